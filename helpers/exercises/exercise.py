"""An exercise: the stub a learner edits, a check, hints, and the reference solution.

The stub is the reference solution's signature and docstring with a to-do in place of its body,
so the two never drift apart. A check runs the learner's function through cases, each a real
scenario on the backend, and reports every case: passed, failed (what was expected, and why),
or skipped on a real project. `USE_SOLUTIONS` (each exercise notebook's one parameter) makes a
check of an untouched stub check the reference instead, and says so: that is how headless runs
get through, and a learner who writes their own function is checked on it whatever it says.
"""

from __future__ import annotations

import __future__
import ast
import inspect
import textwrap
from dataclasses import dataclass, field, replace
from types import CodeType
from typing import Any, Callable, Literal

from IPython import get_ipython
from IPython.display import display
from stytch.core.response_base import StytchError

from helpers.exercises import feedback
from helpers.exercises.backends import CheckBackend, notebook_backend


@dataclass(frozen=True)
class Case:
    """One scenario. `run` calls the learner's function on real responses and returns None when
    the answer is right, else what was expected (and why). `needs_emulator` says what a real
    project cannot give ("the emulator's outbox"); such a case is skipped there."""

    name: str
    run: Callable[[Callable], str | None]
    needs_emulator: str = ""


@dataclass(frozen=True)
class Outcome:
    case: str
    status: Literal["pass", "fail", "skip"]
    detail: str = ""


@dataclass(frozen=True)
class Report:
    label: str  # "q1"
    function_name: str
    outcomes: tuple[Outcome, ...]
    checked_reference: bool = False  # USE_SOLUTIONS with the stub untouched
    stub: bool = False  # the learner's function is the untouched stub

    @property
    def passed(self) -> bool:
        statuses = [o.status for o in self.outcomes]
        return "fail" not in statuses and "pass" in statuses

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "fail"]


class LearnerError(Exception):
    """The learner's function raised: reported as the case's failure, not as a broken check."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def expect(got: Any, expected: Any, why: str = "") -> str | None:
    """None when got == expected; else the mismatch, and why the expected answer is right."""
    if got == expected:
        return None
    return f"expected {feedback.short(expected)}, got {feedback.short(got)}" + (f": {why}" if why else "")


def describe_error(error: BaseException) -> str:
    if isinstance(error, StytchError):
        d = error.details
        return f"StytchError {d.error_type} (HTTP {d.status_code}): {d.error_message}"
    return f"{type(error).__name__}: {error}"


def _comparable(code: CodeType) -> CodeType:
    """The code, and the code of the functions it defines, without `from __future__ import
    annotations`, which a module may set and a notebook cell does not."""
    consts = tuple(_comparable(c) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_flags=code.co_flags & ~__future__.annotations.compiler_flag, co_consts=consts)


@dataclass(frozen=True)
class Exercise:
    label: str  # how the notebook names it: "q1"
    solution_function: Callable  # the reference; its source is the solution shown
    todo: str  # the stub's body: what to write, as a comment
    hints: tuple[str, ...]
    cases: Callable[[CheckBackend], list[Case]]
    backend: Callable[[], CheckBackend] = notebook_backend
    use_solutions: bool = False
    # For an exercise whose cell holds more than one function (the capstone): the whole cell.
    stub_source: str = ""
    solution_source: str = ""
    _stub_code: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.solution_function.__name__

    @property
    def solution_text(self) -> str:
        return self.solution_source or textwrap.dedent(inspect.getsource(self.solution_function))

    @property
    def stub(self) -> str:
        """The reference's signature and docstring, then the to-do."""
        if self.stub_source:
            return self.stub_source
        source = self.solution_text
        definition = ast.parse(source).body[0]
        docstring_end = definition.body[0].end_lineno
        head = source.splitlines()[:docstring_end]
        todo = [f"    # {line}".rstrip() for line in self.todo.splitlines()]
        return "\n".join([*head, *todo, "    ...", ""])

    def with_solutions(self, use_solutions: bool) -> "Exercise":
        return replace(self, use_solutions=use_solutions, _stub_code={})

    # The learner's side
    def check(self, fn: Callable) -> None:
        """Check `fn` against real responses and show each case's result."""
        report = self.evaluate(fn)
        if report.checked_reference:
            self._bind_reference()
        display(feedback.report_bundle(report), raw=True)

    def hint(self, n: int = 1) -> None:
        display(feedback.hint_bundle(self.label, self.hints, n), raw=True)

    def solution(self) -> None:
        display(feedback.code_bundle(f"Solution to {self.label} ({self.name})", self.solution_text), raw=True)

    def load_solution(self) -> None:
        """Replace the cell this runs in with the reference solution; run the cell again to
        define it."""
        self._replace_cell(self.solution_text)

    def reset(self) -> None:
        """Replace the cell this runs in with the stub; run the cell again to define it."""
        self._replace_cell(self.stub)

    # The check
    def evaluate(self, fn: Callable, backend: CheckBackend | None = None) -> Report:
        stub = self.is_stub(fn)
        checked_reference = stub and self.use_solutions
        if stub and not checked_reference:
            return Report(self.label, self.name, (), stub=True)  # nothing to run: it is the stub
        learner = self.solution_function if checked_reference else fn
        backend = backend or self.backend()
        outcomes = [self._run_case(case, learner, backend) for case in self.cases(backend)]
        return Report(self.label, self.name, tuple(outcomes), checked_reference, stub)

    def is_stub(self, fn: Callable) -> bool:
        """True if `fn` is the untouched stub (comments aside): same code as the stub's."""
        if not self._stub_code:
            self._stub_code["codes"] = [self._compiled_stub(by_statement) for by_statement in (False, True)]
        code = getattr(fn, "__code__", None)
        return code is not None and _comparable(code) in self._stub_code["codes"]

    def _compiled_stub(self, by_statement: bool) -> CodeType:
        """The stub's function compiled as one module, or statement by statement as IPython runs
        a cell (CPython compiles a call on a module imported in the same unit differently)."""
        tree = ast.parse(self.stub)
        units = [ast.Module([node], []) for node in tree.body] if by_statement else [tree]
        namespace = dict(self.solution_function.__globals__)  # the stub's defaults resolve
        for unit in units:
            exec(compile(unit, f"<stub of {self.name}>", "exec", dont_inherit=True), namespace)  # noqa: S102 (our own stub)
        return _comparable(namespace[self.name].__code__)

    @staticmethod
    def _run_case(case: Case, fn: Callable, backend: CheckBackend) -> Outcome:
        if case.needs_emulator and not backend.is_emulator:
            return Outcome(case.name, "skip", f"skipped on a real project: needs {case.needs_emulator}")

        def learner(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as error:  # whatever the learner's code raises is the answer
                raise LearnerError(error) from error

        try:
            problem = case.run(learner)
        except LearnerError as raised:
            problem = f"your function raised {describe_error(raised.error)}"
        return Outcome(case.name, "fail", problem) if problem else Outcome(case.name, "pass")

    def _bind_reference(self) -> None:
        """The cells below call the function by its name: in headless runs that is the
        reference (the check's message says so)."""
        shell = get_ipython()
        if shell is not None:
            shell.user_ns[self.name] = self.solution_function

    @staticmethod
    def _replace_cell(text: str) -> None:
        shell = get_ipython()
        if shell is None:
            print(text)
        else:
            shell.set_next_input(text, replace=True)
