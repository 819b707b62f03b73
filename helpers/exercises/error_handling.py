"""The drills' exercise: map the errors of the MFA calls to what the member sees and what the app
does next. The check meets each error for real: on an emulator of the kernel's own, whose clock
it moves (expired codes and sessions) and whose members it locks; on a real project only the
errors that need neither."""

from __future__ import annotations

import html
from typing import Any, Callable

from IPython.display import display

from stytch.core.response_base import StytchError

from helpers.exercises import scenarios
from helpers.exercises.backends import CheckBackend, clock_backend
from helpers.exercises.exercise import Case, Exercise, describe_error, expect
from helpers.exercises.feedback import short

ACTIONS = ("retry", "resend", "next_code", "log_in_again", "wait", "locked", "other_method")
NEEDS_CLOCK = "the emulator's clock"
NEEDS_SMS = "the emulator's outbox (the code is texted)"
NEEDS_LIMITS = "the emulator (Stytch publishes no numbers for this limit)"
PHONE = "+14155550501"
FLOOD_PHONE = "+14155550502"


def handle_mfa_error(err):
    """What the app does when an MFA call fails. `err` is the StytchError the SDK raised, and
    err.details.error_type names the failure. Return (message, action): a message for the
    member (not for a developer: no error types), and what the app does next, one of
      "retry"         let them type the code again
      "resend"        the code expired or was used: offer to send a new one
      "next_code"     that authenticator code was used already: wait for the next one
      "log_in_again"  the login step expired or was used: back to the login page
      "wait"          too many attempts: try again later
      "locked"        the account is locked for a while: say so, and who can help
      "other_method"  the organization does not allow this method: offer the allowed ones
    Any other error is a bug in the app, not something the member can fix: raise it again.
    """
    reactions = {
        "otp_code_not_found": ("That code is not right. Check it and try again.", "retry"),
        "unable_to_authenticate_totp": ("That code is not right. Enter the code your app shows now.", "retry"),
        "unable_to_auth_otp_code": ("That code has expired or was already used. We can text you a new one.",
                                    "resend"),
        "totp_code_already_authenticated": ("That code was just used. Wait for your app to show the next one.",
                                            "next_code"),
        "intermediate_session_not_found": ("Your login timed out. Please log in again.", "log_in_again"),
        "too_many_requests": ("Too many attempts. Wait a while, then try again.", "wait"),
        "user_lock_limit_reached": ("Your account is locked after too many failed attempts. Try again later, "
                                    "or ask your administrator to unlock it.", "locked"),
        "operation_restricted_by_organization_mfa_methods": (
            "Your organization does not allow this method. Choose another one.", "other_method"),
    }
    if err.details.error_type not in reactions:
        raise err
    return reactions[err.details.error_type]


def show_handling(err: StytchError, handler: Callable) -> None:
    """A drill's result: the error Stytch answered, and what `handler` (the learner's
    handle_mfa_error) makes of it."""
    d = err.details
    stytch = f"Stytch: {d.error_type} (HTTP {d.status_code})"
    try:
        message, action = handler(err)
        app = f'Your app: {action}, showing "{message}"'
    except Exception as error:  # the learner's handler is theirs to fix; show what it did
        app = f"Your handle_mfa_error raised {describe_error(error)}"
    plain = f"{stytch}\n  {d.error_message}\n{app}"
    display({
        "text/plain": plain,
        "text/html": (f"<div style='border-left:4px solid #b3261e;padding:0.3em 0.8em'><b>{html.escape(stytch)}</b>"
                      f"<br><small>{html.escape(d.error_message)}</small><br>{html.escape(app)}</div>"),
    }, raw=True)


def wrong_code(code: str) -> str:
    """A code that is surely not `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _caught(call: Callable[[], Any]) -> StytchError:
    try:
        call()
    except StytchError as error:
        return error
    raise AssertionError("the backend accepted a call the check expected it to refuse")


class _Errors:
    """The real errors, one scenario each, on one backend."""

    def __init__(self, backend: CheckBackend) -> None:
        self.b = backend
        self.client = backend.client
        self.org_id = scenarios.required_organization(backend, "check-errors").organization_id

    def _ids(self, member: Any) -> dict[str, str]:
        return {"organization_id": self.org_id, "member_id": member.member_id}

    def _totp_member(self, name: str) -> tuple[Any, str]:
        return scenarios.enrolled_by_totp(self.b, self.org_id, scenarios.email(f"errors.{name}"))

    def _login(self, member: Any) -> Any:
        return scenarios.log_in(self.b, self.org_id, member.email_address)

    def expired_ist(self) -> StytchError:
        member = scenarios.new_member(self.b, self.org_id, scenarios.email("errors.expired-ist"))
        login = self._login(member)
        self.b.control.advance_clock(10 * 60 + 1)
        return _caught(lambda: self.client.totps.create(
            **self._ids(member), intermediate_session_token=login.intermediate_session_token))

    def used_ist(self) -> StytchError:
        member, secret = self._totp_member("used-ist")
        login = self._login(member)
        self.client.totps.authenticate(**self._ids(member), code=self.b.totp_code(secret, windows=1),
                                       intermediate_session_token=login.intermediate_session_token)
        return _caught(lambda: self.client.totps.authenticate(
            **self._ids(member), code=self.b.totp_code(secret), intermediate_session_token=login.intermediate_session_token))

    def _sms_login(self, email: str) -> tuple[Any, Any, str]:
        member = scenarios.enrolled_by_sms(self.b, self.org_id, scenarios.email(email), PHONE)
        login = self._login(member)  # Stytch texts the code at this login
        return member, login, self.b.latest_sms_code(PHONE)

    def wrong_sms_code(self) -> StytchError:
        member, login, code = self._sms_login("errors.wrong-sms")
        return _caught(lambda: self.client.otps.sms.authenticate(
            **self._ids(member), code=wrong_code(code), intermediate_session_token=login.intermediate_session_token))

    def expired_sms_code(self) -> StytchError:
        member, login, code = self._sms_login("errors.expired-sms")
        self.b.control.advance_clock(2 * 60 + 1)
        return _caught(lambda: self.client.otps.sms.authenticate(
            **self._ids(member), code=code, intermediate_session_token=login.intermediate_session_token))

    def used_sms_code(self) -> StytchError:
        member, login, code = self._sms_login("errors.used-sms")
        done = self.client.otps.sms.authenticate(**self._ids(member), code=code,
                                                 intermediate_session_token=login.intermediate_session_token)
        return _caught(lambda: self.client.otps.sms.authenticate(
            **self._ids(member), code=code, session_token=done.session_token))

    def wrong_totp_code(self) -> StytchError:
        member, secret = self._totp_member("wrong-totp")
        login = self._login(member)
        return _caught(lambda: self.client.totps.authenticate(
            **self._ids(member), code=wrong_code(self.b.totp_code(secret, windows=1)),
            intermediate_session_token=login.intermediate_session_token))

    def used_totp_code(self) -> StytchError:
        member, secret = self._totp_member("used-totp")
        code = self.b.totp_code(secret, windows=1)
        first = self._login(member)
        self.client.totps.authenticate(**self._ids(member), code=code,
                                       intermediate_session_token=first.intermediate_session_token)
        second = self._login(member)
        return _caught(lambda: self.client.totps.authenticate(
            **self._ids(member), code=code, intermediate_session_token=second.intermediate_session_token))

    def too_many_codes(self) -> StytchError:
        member, secret = self._totp_member("too-many-codes")
        login = self._login(member)
        bad = wrong_code(self.b.totp_code(secret))
        for _ in range(self.b.control.project()["intermediate_session_failed_attempts"]):
            _caught(lambda: self.client.totps.authenticate(
                **self._ids(member), code=bad, intermediate_session_token=login.intermediate_session_token))
        return _caught(lambda: self.client.totps.authenticate(
            **self._ids(member), code=bad, intermediate_session_token=login.intermediate_session_token))

    def too_many_texts(self) -> StytchError:
        member = scenarios.enrolled_by_sms(self.b, self.org_id, scenarios.email("errors.too-many-texts"), FLOOD_PHONE)
        login = self._login(member)  # the first text
        for _ in range(self.b.control.project()["sms_sends_per_member_per_hour"] - 1):
            self.client.otps.sms.send(**self._ids(member), intermediate_session_token=login.intermediate_session_token)
        return _caught(lambda: self.client.otps.sms.send(
            **self._ids(member), intermediate_session_token=login.intermediate_session_token))

    def locked(self) -> StytchError:
        member, secret = self._totp_member("locked")
        bad = wrong_code(self.b.totp_code(secret))
        for _ in range(self.b.control.project()["user_lock_threshold"] + 5):
            try:
                login = self._login(member)
                for _ in range(self.b.control.project()["intermediate_session_failed_attempts"]):
                    self.client.totps.authenticate(**self._ids(member), code=bad,
                                                   intermediate_session_token=login.intermediate_session_token)
            except StytchError as error:
                if error.details.error_type == "user_lock_limit_reached":
                    return error
        raise AssertionError("the member was never locked")

    def method_not_allowed(self) -> StytchError:
        org = scenarios.organization(self.b, "check-errors-totp-only", mfa_policy="REQUIRED_FOR_ALL",
                                     mfa_methods="RESTRICTED", allowed_mfa_methods=["totp"])
        email = scenarios.email("errors.restricted")
        member = scenarios.new_member(self.b, org.organization_id, email)
        login = scenarios.log_in(self.b, org.organization_id, email)
        return _caught(lambda: self.client.otps.sms.send(
            organization_id=org.organization_id, member_id=member.member_id, mfa_phone_number=PHONE,
            intermediate_session_token=login.intermediate_session_token))


# (case, scenario, expected action, why, needs)
CASES = [
    ("the login step expired (10 minutes)", "expired_ist", "log_in_again",
     "intermediate_session_not_found: the IST lives 10 minutes; only a new login gives another", NEEDS_CLOCK),
    ("the login step was already used", "used_ist", "log_in_again",
     "intermediate_session_not_found: MFA consumed the IST", ""),
    ("a wrong SMS code", "wrong_sms_code", "retry",
     "otp_code_not_found: the code sent is still valid, so let them type again", NEEDS_SMS),
    ("an SMS code after 2 minutes", "expired_sms_code", "resend",
     "unable_to_auth_otp_code: SMS codes live 2 minutes; typing it again cannot help", NEEDS_CLOCK),
    ("an SMS code used twice", "used_sms_code", "resend",
     "unable_to_auth_otp_code: each code works once", NEEDS_SMS),
    ("a wrong authenticator code", "wrong_totp_code", "retry", "unable_to_authenticate_totp", ""),
    ("an authenticator code used twice", "used_totp_code", "next_code",
     "totp_code_already_authenticated: the app shows a new code every 30 seconds", ""),
    ("too many wrong codes with one login", "too_many_codes", "wait",
     "too_many_requests (HTTP 429): a rate limit, not a wrong code", NEEDS_LIMITS),
    ("more texts than the hourly limit", "too_many_texts", "wait",
     "too_many_requests (HTTP 429): the SMS send limit", NEEDS_LIMITS),
    ("wrong codes until the member is locked", "locked", "locked",
     "user_lock_limit_reached (HTTP 429, like too_many_requests): waiting minutes will not help; "
     "the lock lasts until the member's lock_expires_at", "the emulator (it locks a member for an hour)"),
    ("an SMS in an organization RESTRICTED to totp", "method_not_allowed", "other_method",
     "operation_restricted_by_organization_mfa_methods", ""),
]


def _cases(backend: CheckBackend) -> list[Case]:
    def errors() -> dict[str, StytchError]:
        made = _Errors(backend)
        return {scenario: getattr(made, scenario)() for _, scenario, _, _, needs in CASES
                if backend.is_emulator or not needs}

    def case(name: str, scenario: str, action: str, why: str, needs: str) -> Case:
        def run(learner: Callable) -> str | None:
            error = backend.memo("errors", errors)[scenario]
            got = learner(error)
            if not (isinstance(got, (tuple, list)) and len(got) == 2):
                return f"expected (message, action), got {short(got)}"
            message, chosen = got
            if chosen not in ACTIONS:
                return f"expected one of the actions {', '.join(ACTIONS)}, got {short(chosen)}"
            if not isinstance(message, str) or not message.strip():
                return f"expected a message for the member, got {short(message)}"
            if error.details.error_type in message or message == error.details.error_message:
                return (f"the message {short(message)} is written for a developer (Stytch's error type or "
                        "message): say what happened and what to do, in the member's words")
            return expect(chosen, action, why)
        return Case(name, run, needs)

    return [case(*row) for row in CASES]


Q1 = Exercise(
    "q1", handle_mfa_error,
    todo="Return (message, action) for the errors above; raise err again for any other.",
    hints=(
        "Branch on err.details.error_type, not on the HTTP status: 401, 404 and 429 each stand for "
        "failures that need different answers.",
        "unable_to_auth_otp_code means expired or used (resend); otp_code_not_found means wrong "
        "(retry). too_many_requests and user_lock_limit_reached are both 429, but only a lock lasts.",
    ),
    cases=_cases,
    backend=clock_backend,
)


def exercises(use_solutions: bool) -> tuple[Exercise, ...]:
    """q1 of the drills notebook."""
    return (Q1.with_solutions(use_solutions),)
