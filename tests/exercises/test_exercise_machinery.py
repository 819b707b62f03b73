"""What a learner does around a check: load the solution into the cell, reset it to the stub,
read a hint; what headless runs rely on (the reference takes the stub's name); and what a real
project skips."""

from __future__ import annotations

from typing import Any

import pytest

from helpers.exercises import error_handling, exercise, returning_login
from helpers.exercises.backends import CheckBackend
from helpers.exercises.feedback import report_bundle, short


class Shell:
    """The two things the exercises ask of IPython."""

    def __init__(self) -> None:
        self.user_ns: dict[str, Any] = {}
        self.next_input: list[tuple[str, bool]] = []

    def set_next_input(self, text: str, replace: bool = False) -> None:
        self.next_input.append((text, replace))


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> Shell:
    fake = Shell()
    monkeypatch.setattr(exercise, "get_ipython", lambda: fake)
    monkeypatch.setattr(exercise, "display", lambda *args, **kwargs: None)
    return fake


def test_load_solution_and_reset_replace_the_cell(shell: Shell) -> None:
    q1 = returning_login.Q1
    q1.load_solution()
    q1.reset()
    assert shell.next_input == [(q1.solution_text, True), (q1.stub, True)]
    assert q1.solution_text.startswith("def returning_prompt(primary):") and "secondary_auth_initiated" in q1.solution_text
    assert "secondary_auth_initiated" not in q1.stub.split('"""')[-1]  # the stub's body gives nothing away
    assert q1.stub.rstrip().endswith("...")


def test_the_stub_and_the_solution_share_signature_and_docstring() -> None:
    q3 = returning_login.Q3
    stub_head = q3.stub.split('"""')[:2]
    assert q3.solution_text.split('"""')[:2] == stub_head


def test_a_headless_check_names_the_reference_for_the_cells_below(shell: Shell, check_backend: CheckBackend) -> None:
    q1 = returning_login.Q1.with_solutions(True)
    namespace = dict(q1.solution_function.__globals__)
    exec(compile(q1.stub, "<cell>", "exec"), namespace)  # noqa: S102
    report = q1.evaluate(namespace["returning_prompt"], check_backend)
    assert report.checked_reference
    q1._bind_reference()
    assert shell.user_ns["returning_prompt"] is returning_login.returning_prompt


def test_a_learners_own_function_is_never_bound_over(shell: Shell) -> None:
    q1 = returning_login.Q1.with_solutions(True)

    def returning_prompt(primary):  # the learner's own attempt
        return {"methods": [], "sms_sent": False}

    assert not q1.is_stub(returning_prompt)


def test_hints_come_one_at_a_time() -> None:
    q1 = returning_login.Q1
    first = exercise.feedback.hint_bundle(q1.label, q1.hints, 1)["text/plain"]
    assert first.startswith("Hint 1 of 2 (q1.hint(2) for another)")
    assert exercise.feedback.hint_bundle(q1.label, q1.hints, 2)["text/plain"].startswith("Hint 2 of 2\n")


def test_on_a_real_project_the_cases_that_need_the_emulator_are_skipped_and_said_so(
    check_backend: CheckBackend,
) -> None:
    real = CheckBackend(check_backend.client, None)  # as a real project: no clock to move, no outbox
    real.now = check_backend.now  # the time TOTP codes are made for: real time on Stytch
    report = error_handling.Q1.evaluate(error_handling.handle_mfa_error, real)
    skipped = [o for o in report.outcomes if o.status == "skip"]
    assert report.passed and 0 < len(skipped) < len(report.outcomes)
    assert all(o.detail.startswith("skipped on a real project: needs ") for o in skipped)
    plain = report_bundle(report)["text/plain"]
    assert f"{len(skipped)} skipped on a real project" in plain.splitlines()[0]
    assert "– an SMS code after 2 minutes: skipped on a real project: needs the emulator's clock" in plain


def test_values_that_could_be_tokens_are_shortened() -> None:
    token = "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q"
    assert short({"session_token": token}) == "{'session_token': 'mZAYn5…'}"
    assert short("That code is not right.") == "'That code is not right.'"
