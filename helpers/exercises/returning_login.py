"""Exercises of lesson 03, *Returning login*: the returning member's prompt (and whether Stytch
already texted the code), texting a new code, and recovering with a recovery code."""

from __future__ import annotations

from typing import Any, Callable

from stytch.core.response_base import StytchError

from helpers.exercises import scenarios
from helpers.exercises.backends import CheckBackend
from helpers.exercises.exercise import Case, Exercise, LearnerError, describe_error, expect
from helpers.exercises.feedback import short

NEEDS_SMS = "the emulator's outbox (at this login Stytch texts the member's phone)"


def returning_prompt(primary):
    """What the MFA page shows a returning member, from the response of primary
    authentication: {"methods": [...], "sms_sent": ...}, where methods lists the methods the
    member enrolled ("sms_otp", "totp") and sms_sent is True when Stytch already texted the
    code at this login (so the page must not text another one)."""
    options = primary.mfa_required.member_options
    methods = []
    if options.mfa_phone_number:
        methods.append("sms_otp")
    if options.totp_registration_id:
        methods.append("totp")
    return {"methods": methods, "sms_sent": primary.mfa_required.secondary_auth_initiated == "sms_otp"}


def resend_sms(client, primary):
    """The route behind "Didn't get it? Text me a new code" for a returning member: text a new
    code to the phone the member enrolled, and return Stytch's response. `primary` is the
    response of their primary authentication."""
    return client.otps.sms.send(
        organization_id=primary.organization_id,
        member_id=primary.member_id,
        intermediate_session_token=primary.intermediate_session_token,
    )


def recover(client, pending, recovery_code):
    """The route behind "Lost your phone? Use a recovery code": finish MFA with one of the
    member's recovery codes and return Stytch's response. `pending` is what the app kept after
    primary authentication: {"intermediate_session_token", "organization_id", "member_id"}.
    Let Stytch's errors through (StytchError): the app's error handling shows them."""
    return client.recovery_codes.recover(
        organization_id=pending["organization_id"],
        member_id=pending["member_id"],
        recovery_code=recovery_code,
        intermediate_session_token=pending["intermediate_session_token"],
    )


def _prompt_cases(backend: CheckBackend) -> list[Case]:
    def by_sms(org_id: str, email: str) -> None:
        scenarios.enrolled_by_sms(backend, org_id, email, "+14155550301")

    def app_then_phone(org_id: str, email: str) -> None:
        scenarios.app_then_phone(backend, org_id, email, "+14155550302")

    def phone_then_app(org_id: str, email: str) -> None:
        scenarios.phone_then_app(backend, org_id, email, "+14155550303")

    # (case, member's email, set-up, expected, why, needs)
    table = [
        ("member enrolled by SMS", "ex03.sms", by_sms, {"methods": ["sms_otp"], "sms_sent": True},
         "secondary_auth_initiated is \"sms_otp\": Stytch texted the code during this login", NEEDS_SMS),
        ("member enrolled with an authenticator app", "ex03.totp",
         lambda org_id, email: scenarios.enrolled_by_totp(backend, org_id, email),
         {"methods": ["totp"], "sms_sent": False},
         "member_options.mfa_phone_number is \"\" (no phone), and nothing was texted", ""),
        ("member with a phone and an app, default totp", "ex03.both.totp", app_then_phone,
         {"methods": ["sms_otp", "totp"], "sms_sent": False},
         "the default is totp, so Stytch texted nothing: secondary_auth_initiated is None", ""),
        ("member with a phone and an app, default sms_otp", "ex03.both.sms", phone_then_app,
         {"methods": ["sms_otp", "totp"], "sms_sent": True},
         "the default is sms_otp, so Stytch texted the code: secondary_auth_initiated is \"sms_otp\"", NEEDS_SMS),
    ]

    def logins() -> dict[str, Any]:
        org_id = scenarios.required_organization(backend, "check-03-prompt").organization_id
        found = {}
        for name, address, build, _, _, needs in table:
            if needs and not backend.is_emulator:
                continue
            email = scenarios.email(address)
            build(org_id, email)
            found[name] = scenarios.log_in(backend, org_id, email)
        return found

    def case(name: str, expected: dict, why: str, needs: str) -> Case:
        def run(learner: Callable) -> str | None:
            got = learner(backend.memo("03-prompt", logins)[name])
            if not isinstance(got, dict) or set(got) != {"methods", "sms_sent"}:
                return f'expected a dict with "methods" and "sms_sent", got {short(got)}'
            methods = sorted(got["methods"]) if isinstance(got["methods"], (list, tuple)) else got["methods"]
            return expect({"methods": methods, "sms_sent": got["sms_sent"]}, expected, why)
        return Case(name, run, needs)

    return [case(name, expected, why, needs) for name, _, _, expected, why, needs in table]


def _resend_cases(backend: CheckBackend) -> list[Case]:
    org_id = scenarios.required_organization(backend, "check-03-resend").organization_id

    def case(name: str, address: str, phone: str, build: Callable[[str, str], Any]) -> Case:
        def run(learner: Callable) -> str | None:
            email = scenarios.email(address)
            build(email, phone)
            primary = scenarios.log_in(backend, org_id, email)
            before = backend.latest_sms(phone)
            learner(backend.client, primary)
            message = backend.latest_sms(phone)
            if message is None or message == before:
                return f"no new SMS reached the member's phone ({phone})"
            try:
                backend.client.otps.sms.authenticate(
                    organization_id=org_id, member_id=primary.member_id, code=message["code"],
                    intermediate_session_token=primary.intermediate_session_token)
            except StytchError as error:
                return f"the new code did not finish MFA for this login: {describe_error(error)}"
            return None
        return Case(name, run, "the emulator's outbox (the code is texted)")

    return [
        case("member enrolled by SMS asks for another code", "ex03.resend", "+14155550311",
             lambda email, phone: scenarios.enrolled_by_sms(backend, org_id, email, phone)),
        case("member with a phone and an app (default totp) picks SMS", "ex03.pick.sms", "+14155550312",
             lambda email, phone: scenarios.app_then_phone(backend, org_id, email, phone)),
    ]


def _recover_cases(backend: CheckBackend) -> list[Case]:
    org_id = scenarios.required_organization(backend, "check-03-recover").organization_id

    def member_who_lost_the_phone(address: str) -> tuple[dict[str, str], list[str]]:
        email = scenarios.email(address)
        member, _ = scenarios.enrolled_by_totp(backend, org_id, email)
        codes = backend.client.recovery_codes.get(organization_id=org_id, member_id=member.member_id).recovery_codes
        return scenarios.pending(scenarios.log_in(backend, org_id, email)), codes

    def unused_code(learner: Callable) -> str | None:
        pending, codes = member_who_lost_the_phone("ex03.recover")
        response = learner(backend.client, pending, codes[0])
        if not getattr(response, "session_jwt", ""):
            return f"expected the response of recovery_codes.recover, with a session, got {short(response)}"
        return expect(response.recovery_codes_remaining, len(codes) - 1, "the code you passed is spent")

    def used_code(learner: Callable) -> str | None:
        pending, codes = member_who_lost_the_phone("ex03.recover.used")
        backend.client.recovery_codes.recover(
            organization_id=org_id, member_id=pending["member_id"], recovery_code=codes[0],
            intermediate_session_token=scenarios.log_in(backend, org_id, scenarios.email("ex03.recover.used"))
            .intermediate_session_token)
        try:
            response = learner(backend.client, pending, codes[0])
        except LearnerError as raised:
            if isinstance(raised.error, StytchError) and raised.error.details.error_type == "unable_to_authenticate_recovery_code":
                return None
            return f"expected StytchError unable_to_authenticate_recovery_code, got {describe_error(raised.error)}"
        return (f"expected your function to let Stytch's error through (StytchError "
                f"unable_to_authenticate_recovery_code), but it returned {short(response)}")

    return [Case("a recovery code not used before", unused_code),
            Case("a recovery code already used", used_code)]


Q1 = Exercise(
    "q1", returning_prompt,
    todo='Return {"methods": [...], "sms_sent": True or False}.',
    hints=(
        "primary.mfa_required.member_options lists the enrolled factors; an absent one is \"\", "
        "which is falsy (and not None).",
        "The guide's member_options.mfa_phone is mfa_phone_number in the SDK. Whether Stytch texted "
        "already is in primary.mfa_required.secondary_auth_initiated.",
    ),
    cases=_prompt_cases,
)
Q2 = Exercise(
    "q2", resend_sms,
    todo="Call client.otps.sms.send(...) and return its response.",
    hints=(
        "member_options.mfa_phone_number is masked (XXXXXXX0142): Stytch refuses it as a number.",
        "Leave mfa_phone_number out: Stytch then texts the phone the member enrolled. Pass the IST.",
    ),
    cases=_resend_cases,
)
Q3 = Exercise(
    "q3", recover,
    todo="Call client.recovery_codes.recover(...) and return its response.",
    hints=(
        "A recovery code stands in for the second factor: it completes the login that primary "
        "authentication started, so it needs that login's intermediate session token.",
        "Do not catch StytchError here: the app's error handling (see the drills) turns it into a message.",
    ),
    cases=_recover_cases,
)


def exercises(use_solutions: bool) -> tuple[Exercise, ...]:
    """q1, q2, q3 of the exercise notebook."""
    return tuple(q.with_solutions(use_solutions) for q in (Q1, Q2, Q3))
