"""Exercises of lesson 02, *First-time enrollment*: what the app does after primary
authentication, and the backend route that texts the enrollment code."""

from __future__ import annotations

from typing import Any, Callable

import phonenumbers
from stytch.core.response_base import StytchError

from helpers.exercises import scenarios
from helpers.exercises.backends import CheckBackend
from helpers.exercises.exercise import Case, Exercise, describe_error, expect
from helpers.exercises.feedback import short

NEEDS_SMS = "the emulator's outbox (at this login Stytch texts the member's phone)"
STEPS = ("session", "enroll", "verify_sms", "verify_totp")


def next_step(primary):
    """What the app does after primary authentication (`primary` is, e.g., the response of
    passwords.authenticate or magic_links.authenticate). One of:
      "session"      the member is logged in: no MFA step
      "enroll"       MFA is required and the member has no MFA method yet
      "verify_sms"   the member enrolled: ask for the code texted to them
      "verify_totp"  the member enrolled: ask for their authenticator app's code
    A member with both methods verifies with their default one (member.default_mfa_method).
    """
    if primary.member_authenticated:
        return "session"
    options = primary.mfa_required.member_options
    if options is None:
        return "enroll"
    if options.totp_registration_id and (
        primary.member.default_mfa_method == "totp" or not options.mfa_phone_number
    ):
        return "verify_totp"
    return "verify_sms"


def send_enrollment_sms(client, pending, phone_input):
    """The backend route behind "Text me a code" during enrollment. `pending` is what the app
    kept after primary authentication: {"intermediate_session_token", "organization_id",
    "member_id"}. `phone_input` is what the member typed, e.g. "(415) 555-0142" (a US number
    unless it starts with +). Text the code to that number and return Stytch's response."""
    number = phonenumbers.parse(phone_input, "US")
    return client.otps.sms.send(
        organization_id=pending["organization_id"],
        member_id=pending["member_id"],
        mfa_phone_number=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        intermediate_session_token=pending["intermediate_session_token"],
    )


def _next_step_cases(backend: CheckBackend) -> list[Case]:
    def enrolled_by_sms(org_id: str, email: str) -> None:
        scenarios.enrolled_by_sms(backend, org_id, email, "+14155550201")

    def app_then_phone(org_id: str, email: str) -> None:
        scenarios.app_then_phone(backend, org_id, email, "+14155550202")

    def phone_then_app(org_id: str, email: str) -> None:
        scenarios.phone_then_app(backend, org_id, email, "+14155550203")

    # (case, organization, member's email, how the member is set up, expected, why, needs)
    table = [
        ("OPTIONAL organization, member never enrolled", "optional", "ex02.optional",
         lambda org_id, email: scenarios.new_member(backend, org_id, email), "session",
         "member_authenticated is True: the response already holds the session", ""),
        ("REQUIRED_FOR_ALL organization, brand-new member", "required", "ex02.new",
         lambda org_id, email: scenarios.new_member(backend, org_id, email), "enroll",
         "mfa_required.member_options is None: the member has no MFA method yet", ""),
        ("member enrolled by SMS", "required", "ex02.sms", enrolled_by_sms, "verify_sms",
         "member_options.mfa_phone_number is set and there is no TOTP", NEEDS_SMS),
        ("member enrolled with an authenticator app", "required", "ex02.totp",
         lambda org_id, email: scenarios.enrolled_by_totp(backend, org_id, email), "verify_totp",
         "member_options.totp_registration_id is set and there is no phone", ""),
        ("member with a phone and an app, default totp", "required", "ex02.both.totp",
         app_then_phone, "verify_totp",
         "with both methods, member.default_mfa_method decides (here totp)", ""),
        ("member with a phone and an app, default sms_otp", "required", "ex02.both.sms",
         phone_then_app, "verify_sms",
         "with both methods, member.default_mfa_method decides (here sms_otp)", NEEDS_SMS),
    ]

    def logins() -> dict[str, Any]:
        """The primary authentication response of each case this backend can run."""
        orgs = {"required": scenarios.required_organization(backend, "check-02-required").organization_id,
                "optional": scenarios.optional_organization(backend, "check-02-optional").organization_id}
        found = {}
        for name, org, address, build, _, _, needs in table:
            if needs and not backend.is_emulator:
                continue
            email = scenarios.email(address)
            build(orgs[org], email)
            found[name] = scenarios.log_in(backend, orgs[org], email)
        return found

    def case(name: str, expected: str, why: str, needs: str) -> Case:
        def run(learner: Callable) -> str | None:
            return expect(learner(backend.memo("02-next-step", logins)[name]), expected, why)
        return Case(name, run, needs)

    return [case(name, expected, why, needs) for name, _, _, _, expected, why, needs in table]


def _send_cases(backend: CheckBackend) -> list[Case]:
    org_id = scenarios.required_organization(backend, "check-02-enroll").organization_id

    def case(typed: str, e164: str) -> Case:
        def run(learner: Callable) -> str | None:
            email = scenarios.email(f"ex02.enroll.{e164[-4:]}")
            scenarios.new_member(backend, org_id, email)
            primary = scenarios.log_in(backend, org_id, email)
            before = backend.latest_sms(e164)
            learner(backend.client, scenarios.pending(primary), typed)
            message = backend.latest_sms(e164)
            if message is None or message == before:
                return f"no SMS reached {e164}: Stytch needs mfa_phone_number in E.164 ({e164})"
            try:
                backend.client.otps.sms.authenticate(
                    organization_id=org_id, member_id=primary.member_id, code=message["code"],
                    intermediate_session_token=primary.intermediate_session_token,
                )
            except StytchError as error:
                return f"the code your call texted did not finish MFA for this login: {describe_error(error)}"
            return None

        return Case(f"the member typed {short(typed)}", run, "the emulator's outbox (the code is texted)")

    return [case("+14155550211", "+14155550211"), case("(415) 555-0212", "+14155550212"),
            case("415.555.0213", "+14155550213")]


Q1 = Exercise(
    "q1", next_step,
    todo='Return "session", "enroll", "verify_sms" or "verify_totp".',
    hints=(
        "Look at primary.member_authenticated first, then at primary.mfa_required.member_options.",
        "member_options is None for a member with no MFA method (enroll). When it is set, an absent "
        "method is the empty string \"\", not None.",
        "With both methods, primary.member.default_mfa_method says which one to ask for.",
    ),
    cases=_next_step_cases,
)
Q2 = Exercise(
    "q2", send_enrollment_sms,
    todo="Call client.otps.sms.send(...) and return its response.",
    hints=(
        "Stytch takes mfa_phone_number in E.164: + country code number, e.g. +14155550142.",
        'phonenumbers.parse(text, "US") reads what people type; phonenumbers.format_number(number, '
        "phonenumbers.PhoneNumberFormat.E164) writes E.164. Pass the IST from `pending` too.",
    ),
    cases=_send_cases,
)


def exercises(use_solutions: bool) -> tuple[Exercise, ...]:
    """q1, q2 of the exercise notebook."""
    return tuple(q.with_solutions(use_solutions) for q in (Q1, Q2))
