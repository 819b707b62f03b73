"""One exercise end to end in JupyterLab, in a real browser, as a learner does it: type a wrong
answer into the exercise cell and run the check, which names the case that failed and what
was expected; ask for a hint; type the right answer, and the check passes on it (not on the
reference); reset the cell to the stub, and load the solution into it. Screenshots go to
build/screenshots/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from helpers.exercises import first_time_enrollment

if TYPE_CHECKING:
    from browser_support import JupyterLab

EXERCISES = Path(__file__).resolve().parents[2] / "notebooks" / "exercises"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
NOTEBOOK = "exercises-02_first_time_enrollment.ipynb"

# The example of a plausible wrong answer: member_options is None read as "verify".
WRONG = '''def next_step(primary):
    if primary.member_authenticated:
        return "session"
    if primary.mfa_required.member_options is None:
        return "verify_sms"
    return "enroll"'''


@pytest.fixture(scope="module", autouse=True)
def exercise_notebook(jupyterlab: JupyterLab) -> None:
    """The committed exercise notebook (USE_SOLUTIONS = True, as a learner opens it)."""
    shutil.copy(EXERCISES / "02_first_time_enrollment.ipynb", jupyterlab.root / NOTEBOOK)


def code_cell(panel: Locator, source_start: str) -> Locator:
    return panel.locator(".jp-CodeCell").filter(has=panel.page.locator(".cm-content", has_text=source_start)).first


def replace_and_run(page: Page, cell: Locator, text: str) -> None:
    """Select the cell's text, put `text` in its place (as a paste would), and run the cell and
    the check below it with Shift+Enter."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")


def test_a_wrong_answer_is_named_and_the_right_one_passes(open_notebook: Callable[[str], Locator]) -> None:
    from browser_support import kernel_idle, run_menu  # beside the shared fixtures in conftest.py

    panel = open_notebook(NOTEBOOK)
    page = panel.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stub = code_cell(panel, "def next_step(primary):")
    stub.locator(".cm-content").click()
    run_menu(page, "Run All Above Selected Cell")  # the parameters and the set-up
    expect(kernel_idle(page)).to_be_visible(timeout=60_000)
    check = code_cell(panel, "q1.check(next_step)")
    outputs = check.locator(".jp-OutputArea")

    replace_and_run(page, stub, WRONG)
    expect(outputs).to_contain_text("Not yet: next_step fails", timeout=60_000)
    failed = outputs.get_by_role("listitem").filter(has_text="✗ REQUIRED_FOR_ALL organization, brand-new member")
    expect(failed).to_contain_text("expected 'enroll', got 'verify_sms'")
    expect(failed).to_contain_text("member_options is None: the member has no MFA method yet")
    expect(outputs).not_to_contain_text("Checked the reference solution")  # the learner's own code
    check.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "exercise-02-q1-wrong-answer.png"))

    help_cell = code_cell(panel, "q1.hint()")
    help_cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("q1.hint()")
    page.keyboard.press("Control+Enter")
    expect(help_cell.locator(".jp-OutputArea")).to_contain_text("Hint 1 of 3 (q1.hint(2) for another)")

    replace_and_run(page, stub, first_time_enrollment.Q1.solution_text)
    expect(outputs).to_contain_text("✓ Correct: next_step passes 6 of 6 cases.", timeout=60_000)
    expect(outputs).not_to_contain_text("Checked the reference solution")
    check.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "exercise-02-q1-passes.png"))

    # q1.reset() and q1.load_solution(), run in the exercise cell, put their text in its place.
    for command, text in [("q1.reset()", "# Return \"session\", \"enroll\""), ("q1.load_solution()", "return \"verify_sms\"")]:
        stub.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(command)
        page.keyboard.press("Control+Enter")
        expect(stub.locator(".cm-content")).to_contain_text(text)
        expect(stub.locator(".cm-content")).not_to_contain_text(command)
