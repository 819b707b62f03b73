"""The capstone's check drives a Flask app over HTTP through five flows: it passes on the
reference app (and on the solution a learner loads into the cell), fails on the stub, and on an
app with one route missing or without the error handling it names the flow and the step."""

from __future__ import annotations

import ast
from typing import Any, Callable

import pytest
from stytch.core.response_base import StytchError
from werkzeug.exceptions import NotFound

from helpers.exercises import capstone, capstone_app
from helpers.exercises.backends import CheckBackend
from helpers.exercises.feedback import report_bundle

Q1 = capstone.Q1


def cell(source: str, by_statement: bool = False) -> dict[str, Any]:
    """What running `source` in a notebook cell defines: IPython compiles and runs a cell one
    statement at a time."""
    namespace = {"__name__": "__main__"}
    tree = ast.parse(source)
    for unit in [ast.Module([node], []) for node in tree.body] if by_statement else [tree]:
        exec(compile(unit, "<cell>", "exec", dont_inherit=True), namespace)  # noqa: S102 (the exercise's own texts)
    return namespace


def without_route(path: str) -> Callable:
    """The reference app, answering 404 at `path` as if the learner had not written that route."""
    def create_app(stytch_client):
        app = capstone_app.create_app(stytch_client)
        inner = app.wsgi_app

        def wsgi_app(environ: dict, start_response: Callable) -> Any:
            if environ["PATH_INFO"] == path:
                return NotFound()(environ, start_response)
            return inner(environ, start_response)

        app.wsgi_app = wsgi_app
        return app
    return create_app


def without_error_handling(stytch_client):
    """The guide's routes let a refused Stytch call become a 500 (their status_code != 200
    tests never run: the SDK raises)."""
    app = capstone_app.create_app(stytch_client)
    del app.error_handler_spec[None][None][StytchError]
    return app


def test_the_reference_app_passes_every_flow(check_backend: CheckBackend) -> None:
    report = Q1.evaluate(capstone_app.create_app, check_backend)
    assert report.passed, report_bundle(report)["text/plain"]
    assert [o.case for o in report.outcomes if o.status == "pass"] == [name for name, _ in capstone.FLOWS]


def test_the_solution_loaded_into_a_cell_passes(check_backend: CheckBackend) -> None:
    create_app = cell(Q1.solution_text)["create_app"]
    assert not Q1.is_stub(create_app)
    report = Q1.evaluate(create_app, check_backend)
    assert report.passed, report_bundle(report)["text/plain"]


@pytest.mark.parametrize("by_statement", [False, True], ids=["as a module", "as IPython runs a cell"])
def test_the_stub_fails_and_headless_runs_check_the_reference(by_statement: bool) -> None:
    stub = cell(Q1.stub, by_statement)["create_app"]
    report = Q1.evaluate(stub)
    assert report.stub and not report.passed and report.outcomes == ()
    assert Q1.with_solutions(True).is_stub(stub)


@pytest.mark.parametrize(("create_app", "broken", "where"), [
    (without_route("/mfa/totp/create"),
     ["first-time enrollment with an authenticator app", "optional enrollment with an authenticator app"],
     "step 2, POST /mfa/totp/create: HTTP 404, the app has no such route"),
    (without_route("/authenticate"), [name for name, _ in capstone.FLOWS],
     "step 1, POST /authenticate: HTTP 404, the app has no such route"),
    (without_error_handling, ["returning login by SMS, a wrong code first"],
     "step 2, POST /mfa/sms/authenticate: HTTP 500, the app raised StytchError otp_code_not_found"),
], ids=["no /mfa/totp/create", "no /authenticate", "no error handling"])
def test_a_broken_app_fails_and_the_check_names_flow_and_step(
    create_app: Callable, broken: list[str], where: str, check_backend: CheckBackend
) -> None:
    report = Q1.evaluate(create_app, check_backend)
    plain = report_bundle(report)["text/plain"]
    failed = {o.case: o.detail for o in report.failures()}
    assert sorted(failed) == sorted(broken), plain
    assert all(detail.startswith(f"broke at {where}") for detail in failed.values()), plain
    assert all(o.status == "pass" for o in report.outcomes if o.case not in broken), plain
