"""A person in JupyterLab, in a real browser (Debian's Chromium driven by Playwright): with
AUTO_SUBMIT = False the lessons wait for clicks, a bad input gets a readable message next to
its field, and a press of the button makes the notebook's own SDK call."""

from __future__ import annotations

import re
from typing import Callable

import nbformat
import papermill
import pytest
import stytch
from playwright.sync_api import Locator, expect

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorServer
from helpers import fixtures
from helpers.papermill_runs import lesson_notebooks

from browser_support import JupyterLab, kernel_idle, run_menu


@pytest.fixture(scope="module", autouse=True)
def presenter_copies(jupyterlab: JupyterLab) -> None:
    """Copies of the lessons in JupyterLab's folder as a presenter prepares them: AUTO_SUBMIT =
    False, and the committed outputs cleared, so every output and prompt number on the page
    comes from this run."""
    lessons = {path.name: path for path in lesson_notebooks()}
    for name, parameters, _ in PRESENTER_RUNS:
        copy = jupyterlab.root / copy_name(name, parameters)
        nb = papermill.execute_notebook(str(lessons[name]), str(copy), parameters={**parameters, "AUTO_SUBMIT": False},
                                        prepare_only=True, progress_bar=False)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, copy)


@pytest.fixture
def client(notebook_emulator: EmulatorServer) -> stytch.B2BClient:
    return stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=notebook_emulator.url)


def open_and_run_all(open_notebook: Callable[[str], Locator], notebook: str) -> Locator:
    """The notebook open in JupyterLab with every cell run (its kernel was idle first); its panel."""
    panel = open_notebook(notebook)
    run_menu(panel.page, "Run All Cells")
    return panel


def test_policy_form_checks_locally_then_updates_the_organization(
    open_notebook: Callable[[str], Locator], client: stytch.B2BClient
) -> None:
    panel = open_and_run_all(open_notebook, "01_configure_organization.ipynb")
    button = panel.get_by_role("button", name="Update organization")
    expect(button).to_be_visible(timeout=120_000)
    # Run All stops at the first cell that needs the unsubmitted form, with one readable line.
    expect(panel.get_by_text('FormNotSubmitted: Fill in the form above and press "Update organization" first.')).to_be_visible()

    panel.locator(".widget-dropdown select").nth(1).select_option("RESTRICTED")
    panel.get_by_label("SMS one-time passcode").uncheck()
    panel.get_by_label("Authenticator app (TOTP)").uncheck()
    button.click()
    expect(panel.get_by_text("RESTRICTED needs at least one allowed method: tick one.")).to_be_visible()
    org = client.organizations.get(organization_id=fixtures.ORG_SLUG_REQUIRED).organization
    assert org.mfa_methods == "ALL_ALLOWED", "an invalid form must not reach Stytch"

    panel.get_by_label("Authenticator app (TOTP)").check()
    button.click()
    expect(panel.locator(".workbook-action-status", has_text="Done")).to_be_visible(timeout=30_000)
    org = client.organizations.get(organization_id=fixtures.ORG_SLUG_REQUIRED).organization
    assert (org.mfa_methods, org.allowed_mfa_methods) == ("RESTRICTED", ["totp"])


def test_email_form_shows_errors_next_to_the_field_and_never_a_traceback(
    open_notebook: Callable[[str], Locator], client: stytch.B2BClient
) -> None:
    panel = open_and_run_all(open_notebook, "02_first_time_enrollment.ipynb")
    button = panel.get_by_role("button", name="Email me a login link")
    expect(button).to_be_visible(timeout=120_000)
    email = panel.get_by_placeholder("ada@acme-workbook.example")

    email.fill("not-an-email")
    button.click()
    expect(panel.get_by_text("Enter an email address, e.g. ada@acme-workbook.example")).to_be_visible()

    email.fill("stranger@acme-workbook.example")  # not a member, and the org allows no sign-ups
    button.click()
    expect(panel.get_by_text("email_jit_provisioning_not_allowed").first).to_be_visible(timeout=30_000)
    # The only red output is Run All stopping at the first cell that needs this form.
    errors = panel.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")
    expect(errors).to_have_count(1)
    expect(errors).to_have_text('FormNotSubmitted: Fill in the form above and press "Email me a login link" first.')
    expect(panel.get_by_text("Traceback")).to_have_count(0)

    email.fill("new.hire@acme-workbook.example")
    button.click()
    expect(panel.locator(".workbook-action-status", has_text="Done")).to_be_visible(timeout=30_000)
    sent = client.organizations.members.get(
        organization_id=fixtures.ORG_SLUG_ENROLLMENT, email_address="new.hire@acme-workbook.example"
    )
    assert sent.member.status == "active"


# What a presenter runs: (notebook, parameters, the buttons they press in order).
PRESENTER_RUNS = [
    ("00_setup.ipynb", {}, []),
    ("01_configure_organization.ipynb", {}, ["Update organization"]),
    ("02_first_time_enrollment.ipynb", {},
     ["Email me a login link", "Log in", "Continue", "Text me a code", "Verify SMS code"]),
    ("02_first_time_enrollment.ipynb", {"MFA_METHOD": "totp"},
     ["Email me a login link", "Log in", "Continue", "Set up authenticator app", "Verify app code"]),
    ("03_returning_login.ipynb", {}, ["Log in", "Verify SMS code", "Use recovery code"]),
    ("03_returning_login.ipynb", {"MFA_METHOD": "totp"}, ["Log in", "Verify app code", "Use recovery code"]),
    ("04_optional_enrollment.ipynb", {},
     ["Text me a code", "Verify SMS code and turn on MFA", "Verify and make default", "Confirm it's you"]),
    ("04_optional_enrollment.ipynb", {"FIRST_METHOD": "totp"},
     ["Set up authenticator app", "Verify app code and turn on MFA", "Verify and make default",
      "Confirm it's you"]),
    ("05_frontend_tab.ipynb", {}, []),  # no widgets: its page is tests/browser/test_frontend_pages.py's
    ("06_capstone_flask_app.ipynb", {}, []),
]


def copy_name(notebook: str, parameters: dict) -> str:
    """02_first_time_enrollment.ipynb with MFA_METHOD=totp is served as 02_first_time_enrollment-totp.ipynb."""
    stem = notebook.removesuffix(".ipynb")
    return "-".join([stem, *map(str, parameters.values())]) + ".ipynb"


def test_every_lesson_is_clicked_through() -> None:
    assert sorted({run[0] for run in PRESENTER_RUNS}) == [p.name for p in lesson_notebooks()]


@pytest.mark.parametrize(("notebook", "parameters", "buttons"), PRESENTER_RUNS,
                         ids=[copy_name(n, p) for n, p, _ in PRESENTER_RUNS])
def test_a_presenter_clicks_through_the_lesson(
    open_notebook: Callable[[str], Locator], notebook: str, parameters: dict, buttons: list[str]
) -> None:
    """Run All stops at each form still waiting for its button; press it (the fields hold the
    parameters' values) and run on from that cell, until the notebook ends without an error."""
    notebook = copy_name(notebook, parameters)
    panel = open_and_run_all(open_notebook, notebook)
    page = panel.page
    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    pressed = []
    for _ in range(12):
        expect(kernel_idle(page)).to_be_visible(timeout=120_000)
        expect(panel.locator(".jp-InputPrompt", has_text="[*]")).to_have_count(0, timeout=120_000)
        if errors.count() == 0:
            break
        waiting = re.fullmatch(r'FormNotSubmitted: Fill in the form above and press "(.+)" first\.',
                               errors.first.text_content().strip())
        assert waiting, f"{notebook} stopped on an error that is not a form waiting: {errors.first.text_content()}"
        button = panel.get_by_role("button", name=waiting.group(1), exact=True)
        button.click()
        expect(button.locator("xpath=..")).to_contain_text("Done", timeout=60_000)
        pressed.append(waiting.group(1))
        stopped_cell = errors.first.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]")
        stopped_cell.locator(".jp-InputPrompt").click()
        run_menu(page, "Run Selected Cell and All Below")
    else:
        pytest.fail(f"{notebook} still waits for a form after pressing {pressed}")
    assert pressed == buttons
    last_prompt = panel.locator(".jp-CodeCell .jp-InputPrompt").last
    expect(last_prompt).to_have_text(re.compile(r"\[\d+\]:"))  # the last cell ran
