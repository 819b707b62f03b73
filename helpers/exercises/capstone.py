"""The capstone (lesson 06): the learner's Flask app, `create_app(stytch_client)`, started on a
free port and driven over HTTP as a browser would, through five flows: first-time enrollment by
SMS and by authenticator app, returning login by each, and optional enrollment. Each flow sets
up its own member with the SDK, so one broken route breaks only the flows that use it, and the
check says which step of which flow broke. Codes and magic links come from the emulator."""

from __future__ import annotations

import ast
import inspect
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import requests
from flask import Flask, got_request_exception
from werkzeug.serving import WSGIRequestHandler, make_server

from helpers.exercises import capstone_app, scenarios
from helpers.exercises.backends import CheckBackend
from helpers.exercises.exercise import Case, Exercise, describe_error
from helpers.exercises.feedback import short

REDIRECT_URL = "http://localhost:3000/authenticate"
NEEDS = "the emulator's outbox (the magic links and codes)"


class QuietRequestHandler(WSGIRequestHandler):
    """No access log: it would go to the notebook's stderr."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def serve(app: Any) -> Iterator[tuple[str, list[BaseException]]]:
    """Serve a WSGI app on a free loopback port for the length of the block: its URL, and the
    exceptions a Flask app raised meanwhile (told in the check's report, not logged to the
    notebook's stderr five times over)."""
    raised: list[BaseException] = []
    if isinstance(app, Flask):
        got_request_exception.connect(lambda sender, exception, **extra: raised.append(exception), app, weak=False)
        app.logger.disabled = True
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    # A short poll: shutdown() waits for the next one (0.5 s by default, each flow).
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), name="capstone-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", raised
    finally:
        server.shutdown()
        thread.join(timeout=10)


class Broke(Exception):
    """A flow stopped: at which step, and why."""


@dataclass
class Browser:
    """One member's browser: the app's session cookie, and the steps taken so far."""

    url: str
    http: requests.Session
    raised: list[BaseException]  # by the app, while it answered
    steps: int = 0

    def call(self, method: str, path: str, /, expect_status: int = 200, **form: str) -> dict:
        self.steps += 1
        label = f"step {self.steps}, {method} {path}"
        try:
            response = self.http.request(method, self.url + path, data=form or None, timeout=30)
        except requests.RequestException as error:
            raise Broke(f"{label}: no answer ({type(error).__name__})") from None
        if response.status_code == 404 and "json" not in response.headers.get("Content-Type", ""):
            raise Broke(f"{label}: HTTP 404, the app has no such route")
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code == 500 and self.raised:
            raise Broke(f"{label}: HTTP 500, the app raised {describe_error(self.raised[-1])}")
        if response.status_code != expect_status or not isinstance(body, dict):
            shown = short(body) if body is not None else repr(response.text.strip()[:120])
            raise Broke(f"{label}: expected HTTP {expect_status} with JSON, got HTTP "
                        f"{response.status_code}: {shown}")
        return body

    def expect(self, body: dict, key: str, wanted: Any, why: str = "") -> None:
        if body.get(key) != wanted:
            raise Broke(f"step {self.steps}: expected {key}={short(wanted)}, got {short(body)}"
                        + (f": {why}" if why else ""))


class _Flows:
    """The five flows, on one backend; each is a case of the check."""

    def __init__(self, backend: CheckBackend) -> None:
        self.b = backend
        self.client = backend.client
        self.required = scenarios.required_organization(backend, "check-06-required").organization_id
        self.optional = scenarios.optional_organization(backend, "check-06-optional").organization_id

    def _token(self, org_id: str, email: str) -> str:
        """The member asks for a login link (the app's login page, not part of this check)."""
        self.client.magic_links.email.login_or_signup(
            organization_id=org_id, email_address=email, login_redirect_url=REDIRECT_URL)
        return self.b.latest_magic_link_token(email)

    def _log_in(self, browser: Browser, org_id: str, email: str, wanted: str, why: str) -> dict:
        body = browser.call("POST", "/authenticate", token=self._token(org_id, email))
        browser.expect(body, "next", wanted, why)
        return body

    def _dashboard(self, browser: Browser, factor: str) -> None:
        body = browser.call("GET", "/dashboard")
        if factor not in body.get("factors", []):
            raise Broke(f"step {browser.steps}: expected a session with a {factor!r} factor, got {short(body)}")

    def _totp_code(self, email: str) -> str:
        """The code the member's app shows (emulator only: it computes every registration's code)."""
        registration = next(r for r in self.b.control.totp_registrations() if r["email_address"] == email)
        return registration["next_code"] if registration["code_used"] else registration["code"]

    def first_time_sms(self, browser: Browser) -> None:
        email = scenarios.email("capstone.sms.new")
        scenarios.new_member(self.b, self.required, email)
        body = self._log_in(browser, self.required, email, "enroll", "a new member of an organization requiring MFA")
        if "sms_otp" not in body.get("methods", []):
            raise Broke(f"step 1: expected sms_otp among the methods offered, got {short(body)}")
        body = browser.call("POST", "/mfa/sms/send", phone_number="(415) 555-0701")
        browser.expect(body, "next", "verify_sms")
        body = browser.call("POST", "/mfa/sms/authenticate", code=self.b.latest_sms_code("+14155550701"))
        browser.expect(body, "next", "dashboard")
        self._dashboard(browser, "otp")

    def first_time_totp(self, browser: Browser) -> None:
        email = scenarios.email("capstone.totp.new")
        scenarios.new_member(self.b, self.required, email)
        self._log_in(browser, self.required, email, "enroll", "a new member of an organization requiring MFA")
        browser.expect(browser.call("POST", "/mfa/totp/create"), "next", "verify_totp")
        body = browser.call("POST", "/mfa/totp/authenticate", code=self._totp_code(email))
        browser.expect(body, "next", "dashboard")
        self._dashboard(browser, "totp")

    def returning_sms(self, browser: Browser) -> None:
        email = scenarios.email("capstone.sms.back")
        scenarios.enrolled_by_sms(self.b, self.required, email, "+14155550702")
        body = self._log_in(browser, self.required, email, "verify_sms", "the member enrolled by SMS")
        browser.expect(body, "sms_sent", True, "Stytch texted the code at this login (secondary_auth_initiated)")
        code = self.b.latest_sms_code("+14155550702")
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        body = browser.call("POST", "/mfa/sms/authenticate", expect_status=404, code=wrong)
        browser.expect(body, "error", "retry", "a wrong code: otp_code_not_found, handled by handle_mfa_error")
        browser.expect(browser.call("POST", "/mfa/sms/authenticate", code=code), "next", "dashboard")
        self._dashboard(browser, "otp")

    def returning_totp(self, browser: Browser) -> None:
        email = scenarios.email("capstone.totp.back")
        scenarios.enrolled_by_totp(self.b, self.required, email)
        self._log_in(browser, self.required, email, "verify_totp", "the member enrolled an authenticator app")
        body = browser.call("POST", "/mfa/totp/authenticate", code=self._totp_code(email))
        browser.expect(body, "next", "dashboard")
        self._dashboard(browser, "totp")

    def optional_enrollment(self, browser: Browser) -> None:
        email = scenarios.email("capstone.optional")
        member = scenarios.new_member(self.b, self.optional, email)
        self._log_in(browser, self.optional, email, "dashboard", "MFA is optional and the member has not opted in")
        browser.expect(browser.call("POST", "/mfa/totp/create"), "next", "verify_totp")
        body = browser.call("POST", "/optional-mfa-enrollment", method="totp", code=self._totp_code(email))
        browser.expect(body, "next", "dashboard")
        enrolled = self.client.organizations.members.get(
            organization_id=self.optional, member_id=member.member_id).member.mfa_enrolled
        if not enrolled:
            raise Broke(f"step {browser.steps}: the member's mfa_enrolled is still False: opting in needs "
                        "set_mfa_enrollment=\"enroll\"")
        self._dashboard(browser, "totp")


FLOWS = [
    ("first-time enrollment by SMS", "first_time_sms"),
    ("first-time enrollment with an authenticator app", "first_time_totp"),
    ("returning login by SMS, a wrong code first", "returning_sms"),
    ("returning login with an authenticator app", "returning_totp"),
    ("optional enrollment with an authenticator app", "optional_enrollment"),
]


def _cases(backend: CheckBackend) -> list[Case]:
    flows: dict[str, _Flows] = {}

    def case(name: str, flow: str) -> Case:
        def run(learner: Callable) -> str | None:
            if not flows:
                flows["flows"] = _Flows(backend)
            app = learner(backend.client)  # the learner's create_app
            if not callable(app):
                return f"create_app should return the Flask app, got {short(app)}"
            with serve(app) as (url, raised):
                try:
                    getattr(flows["flows"], flow)(Browser(url, requests.Session(), raised))
                except Broke as broke:
                    return f"broke at {broke}"
            return None
        return Case(name, run, NEEDS)

    return [case(*flow) for flow in FLOWS]


def _solution_source() -> str:
    """The reference app as one cell: its imports, then the pieces from the exercises in place
    of the lines that import them, then create_app."""
    source = inspect.getsource(capstone_app)
    imports = [ast.get_source_segment(source, node) for node in ast.parse(source).body
               if isinstance(node, ast.Import)
               or isinstance(node, ast.ImportFrom) and not node.module.startswith("helpers")]
    pieces = [capstone_app.methods_to_offer, capstone_app.next_step, capstone_app.opt_in,
              capstone_app.handle_mfa_error, capstone_app.create_app]
    return "\n\n\n".join([
        imports[0] + "\n\n" + "\n".join(imports[1:]),  # the standard library, then the packages
        *(inspect.getsource(piece).rstrip() for piece in pieces),
    ]) + "\n"


STUB = '''import secrets

import phonenumbers
from flask import Flask, jsonify, request, session
from stytch.core.response_base import StytchError
from werkzeug.exceptions import Unauthorized

# Paste your pieces here: methods_to_offer (exercises 01), next_step (02), opt_in (04) and
# handle_mfa_error (the drills).


def create_app(stytch_client):
''' + '    """' + capstone_app.create_app.__doc__.strip() + '\n    """' + '''
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(32)  # signs the session cookie

    @app.post("/authenticate")
    def authenticate():
        # magic_links.authenticate the token; keep the IDs and the IST in `session`; next_step()
        ...

    @app.post("/mfa/sms/send")
    def mfa_sms_send():
        # otps.sms.send with the IST (or the session), to the number typed if any
        ...

    @app.post("/mfa/sms/authenticate")
    def mfa_sms_authenticate():
        # otps.sms.authenticate; keep the session JWT, drop the IST
        ...

    @app.post("/mfa/totp/create")
    def mfa_totp_create():
        # totps.create; answer the QR code and the secret
        ...

    @app.post("/mfa/totp/authenticate")
    def mfa_totp_authenticate():
        # totps.authenticate; keep the session JWT, drop the IST
        ...

    @app.post("/optional-mfa-enrollment")
    def optional_mfa_enrollment():
        # opt_in() with the member's session JWT
        ...

    @app.get("/dashboard")
    def dashboard():
        # sessions.authenticate_jwt; answer the member_id and the factors' types
        ...

    return app
'''

Q1 = Exercise(
    "q1", capstone_app.create_app,
    todo="",
    hints=(
        "Start with /authenticate: the guide's route, plus session[\"organization_id\"] and "
        "session[\"member_id\"], which its later routes read but never store. Your next_step() picks "
        "the answer.",
        "Every MFA route needs the member's IDs and a proof of the first factor: the IST during a "
        "login, the session JWT for optional enrollment. One small function can return whichever "
        "the session holds. Register handle_mfa_error with @app.errorhandler(StytchError).",
    ),
    cases=_cases,
    stub_source=STUB,
    solution_source=_solution_source(),
)


def exercises(use_solutions: bool) -> tuple[Exercise, ...]:
    """q1 of the capstone."""
    return (Q1.with_solutions(use_solutions),)

