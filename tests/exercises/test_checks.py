"""Every exercise's check both ways (DESIGN rule 9): it passes on the reference solution, fails
on the untouched stub, and fails on each plausible wrong answer in wrong_answers.py, naming the
case that answer gets wrong. All against real responses from an emulator."""

from __future__ import annotations

from typing import Callable

import pytest

from helpers.exercises import (
    configure_organization,
    error_handling,
    first_time_enrollment,
    optional_enrollment,
    returning_login,
)
from helpers.exercises.backends import CheckBackend
from helpers.exercises.exercise import Exercise
from helpers.exercises.feedback import report_bundle
from wrong_answers import WRONG_ANSWERS

MODULES = [configure_organization, first_time_enrollment, returning_login, optional_enrollment, error_handling]
EXERCISES = {f"{module.__name__.rsplit('.', 1)[-1]}.{q.label}": q
             for module in MODULES for q in module.exercises(use_solutions=False)}


def stub_of(exercise: Exercise) -> Callable:
    """The stub as a learner's cell defines it."""
    namespace = dict(exercise.solution_function.__globals__)
    exec(compile(exercise.stub, "<cell>", "exec"), namespace)  # noqa: S102 (the exercise's own stub)
    return namespace[exercise.name]


def test_every_exercise_has_wrong_answers_and_there_are_enough() -> None:
    assert sorted(WRONG_ANSWERS) == sorted(EXERCISES)
    assert len(EXERCISES) >= 10
    for module in MODULES[:4]:
        assert len(module.exercises(use_solutions=False)) >= 2, module.__name__


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_headless_the_stub_checks_the_reference_which_passes_every_case(
    exercise_id: str, check_backend: CheckBackend
) -> None:
    exercise = EXERCISES[exercise_id].with_solutions(True)
    report = exercise.evaluate(stub_of(exercise), check_backend)
    plain = report_bundle(report)["text/plain"]
    assert report.checked_reference and report.passed, plain
    assert all(o.status == "pass" for o in report.outcomes), "on the emulator no case may be skipped"
    assert plain.startswith(f"Checked the reference solution, because USE_SOLUTIONS is True and "
                            f"{exercise.name} above is still the stub.")


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_stub_fails(exercise_id: str, check_backend: CheckBackend) -> None:
    exercise = EXERCISES[exercise_id]
    report = exercise.evaluate(stub_of(exercise), check_backend)
    assert report.stub and not report.passed
    plain = report_bundle(report)["text/plain"]
    assert plain.startswith(f"✗ {exercise.name} is still the stub") and f"{exercise.label}.hint()" in plain


@pytest.mark.parametrize(("exercise_id", "wrong", "failing_case"), [
    pytest.param(exercise_id, wrong, case, id=f"{exercise_id}-{wrong.__name__}")
    for exercise_id, answers in WRONG_ANSWERS.items() for wrong, case in answers
])
def test_a_wrong_answer_fails_and_the_check_names_the_case(
    exercise_id: str, wrong: Callable, failing_case: str, check_backend: CheckBackend
) -> None:
    exercise = EXERCISES[exercise_id].with_solutions(True)  # a learner's own code is checked even so
    report = exercise.evaluate(wrong, check_backend)
    plain = report_bundle(report)["text/plain"]
    assert not report.passed and not report.checked_reference, plain
    failed = {o.case: o.detail for o in report.failures()}
    assert failing_case in failed, plain
    assert f"✗ {failing_case}: {failed[failing_case]}" in plain  # the case, and what was expected
