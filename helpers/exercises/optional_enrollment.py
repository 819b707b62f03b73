"""Exercises of lesson 04, *Optional enrollment*: opting in to MFA from a session, and deciding
from the session's factors whether a sensitive action needs a step-up."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from stytch.core.response_base import StytchError

from helpers.exercises import scenarios
from helpers.exercises.backends import CheckBackend
from helpers.exercises.exercise import Case, Exercise, describe_error, expect

PHONE_OPT_IN = "+14155550401"
PHONE_STEP_UP = "+14155550402"


def opt_in(client, session_jwt, method, code):
    """The guide's /optional-mfa-enrollment route. A logged-in member of an OPTIONAL
    organization confirms their new MFA method with its code (method "sms_otp": the code
    texted to them; "totp": their authenticator app's code), and from then on every login asks
    them for MFA. Return Stytch's response."""
    member_session = client.sessions.authenticate_jwt(session_jwt=session_jwt).member_session
    ids = {"organization_id": member_session.organization_id, "member_id": member_session.member_id}
    if method == "totp":
        return client.totps.authenticate(**ids, code=code, session_jwt=session_jwt, set_mfa_enrollment="enroll")
    return client.otps.sms.authenticate(**ids, code=code, session_jwt=session_jwt, set_mfa_enrollment="enroll")


def needs_step_up(client, session_jwt, now, max_age=timedelta(minutes=5)):
    """True when a sensitive action (changing payout details, say) must ask for a second factor
    first: the session holds no MFA factor ("otp", "totp" or "recovery_codes") authenticated
    within `max_age` before `now` (a timezone-aware datetime)."""
    member_session = client.sessions.authenticate_jwt(session_jwt=session_jwt).member_session
    for factor in member_session.authentication_factors:
        if factor.type in ("otp", "totp", "recovery_codes") and now - factor.last_authenticated_at <= max_age:
            return False
    return True


def _opt_in_cases(backend: CheckBackend) -> list[Case]:
    client = backend.client
    org_id = scenarios.optional_organization(backend, "check-04-opt-in").organization_id

    def case(name: str, method: str, needs: str) -> Case:
        def run(learner: Callable) -> str | None:
            email = scenarios.email(f"ex04.opt-in.{method}")
            member = scenarios.new_member(backend, org_id, email)
            session_jwt = scenarios.log_in(backend, org_id, email).session_jwt
            ids = {"organization_id": org_id, "member_id": member.member_id}
            if method == "totp":  # what the app's "Set up an authenticator app" route did first
                code = backend.totp_code(client.totps.create(**ids, session_jwt=session_jwt).secret)
            else:
                client.otps.sms.send(**ids, mfa_phone_number=PHONE_OPT_IN, session_jwt=session_jwt)
                code = backend.latest_sms_code(PHONE_OPT_IN)
            learner(client, session_jwt, method, code)
            enrolled = client.organizations.members.get(**ids).member.mfa_enrolled
            if not enrolled:
                return ("the member's mfa_enrolled is still False, so their next login would not ask for "
                        "MFA: this was a step-up, not an opt-in")
            try:
                next_login = scenarios.log_in(backend, org_id, email)
            except StytchError as error:
                return f"the member's next login failed: {describe_error(error)}"
            return expect(next_login.member_authenticated, False,
                          "after opting in, the next login should stop at an MFA step")
        return Case(name, run, needs)

    return [case("opt in with an authenticator app", "totp", ""),
            case("opt in with a texted code", "sms_otp", "the emulator's outbox (the code is texted)")]


def _step_up_cases(backend: CheckBackend) -> list[Case]:
    client = backend.client
    org_id = scenarios.optional_organization(backend, "check-04-step-up").organization_id

    def sessions() -> dict[str, tuple[str, datetime]]:
        """A password-only session JWT, and JWTs after a step-up, each with when it happened."""
        found = {}
        # A member of their own: stepping up a session changes it, and authenticate_jwt may ask
        # the backend for the session as it is now (when it cannot check the JWT locally).
        email = scenarios.email("ex04.step-up.password")
        scenarios.new_member(backend, org_id, email)
        found["password"] = (scenarios.log_in(backend, org_id, email).session_jwt, _now(backend))
        email = scenarios.email("ex04.step-up.totp")
        member = scenarios.new_member(backend, org_id, email)
        login = scenarios.log_in(backend, org_id, email)
        ids = {"organization_id": org_id, "member_id": member.member_id}
        created = client.totps.create(**ids, session_token=login.session_token)
        stepped = client.totps.authenticate(**ids, code=backend.totp_code(created.secret), session_token=login.session_token)
        found["totp"] = (stepped.session_jwt, _now(backend))
        if backend.is_emulator:
            email = scenarios.email("ex04.step-up.sms")
            member = scenarios.new_member(backend, org_id, email)
            login = scenarios.log_in(backend, org_id, email)
            ids = {"organization_id": org_id, "member_id": member.member_id}
            client.otps.sms.send(**ids, mfa_phone_number=PHONE_STEP_UP, session_token=login.session_token)
            stepped = client.otps.sms.authenticate(**ids, code=backend.latest_sms_code(PHONE_STEP_UP),
                                                   session_token=login.session_token)
            found["sms"] = (stepped.session_jwt, _now(backend))
        return found

    built: dict[str, Any] = {}  # built once per check: the sessions must be fresh

    def case(name: str, session: str, later: timedelta, expected: bool, why: str, needs: str = "") -> Case:
        def run(learner: Callable) -> str | None:
            if not built:
                built.update(sessions())
            session_jwt, at = built[session]
            return expect(learner(client, session_jwt, at + later), expected, why)
        return Case(name, run, needs)

    return [
        case("a session from a password alone", "password", timedelta(0), True,
             "a password is not a second factor"),
        case("an authenticator app code one minute ago", "totp", timedelta(minutes=1), False,
             "the session holds a totp factor authenticated within the last 5 minutes"),
        case("the same session ten minutes later", "totp", timedelta(minutes=10), True,
             "the totp factor is older than max_age: ask again"),
        case("a texted code one minute ago", "sms", timedelta(minutes=1), False,
             "the session holds an otp factor (SMS) authenticated within the last 5 minutes",
             "the emulator's outbox (the code is texted)"),
    ]


def _now(backend: CheckBackend) -> datetime:
    return datetime.fromtimestamp(backend.now(), timezone.utc)


Q1 = Exercise(
    "q1", opt_in,
    todo="Authenticate the code with the session, so that MFA stays on; return the response.",
    hints=(
        "The session JWT tells you who is logged in: client.sessions.authenticate_jwt(session_jwt=...)"
        ".member_session has organization_id and member_id.",
        'client.totps.authenticate / client.otps.sms.authenticate take session_jwt in place of an IST; '
        'set_mfa_enrollment="enroll" is what turns MFA on for every later login.',
    ),
    cases=_opt_in_cases,
)
Q2 = Exercise(
    "q2", needs_step_up,
    todo="Read the session's authentication_factors; return True or False.",
    hints=(
        "client.sessions.authenticate_jwt(session_jwt=...).member_session.authentication_factors lists "
        "the factors, each with .type and .last_authenticated_at.",
        "A password or magic link is the first factor. Only otp, totp and recovery_codes count, and "
        "only if now - last_authenticated_at <= max_age.",
    ),
    cases=_step_up_cases,
)


def exercises(use_solutions: bool) -> tuple[Exercise, ...]:
    """q1, q2 of the exercise notebook."""
    return tuple(q.with_solutions(use_solutions) for q in (Q1, Q2))
