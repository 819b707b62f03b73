"""The MFA operations, one per Stytch call: text a code, check it, register an authenticator
app, check its code, spend a recovery code, list or rotate the recovery codes.

Each takes plain values (IDs, the code, the tokens that vouch for the member, session
options), so either door can call it: the backend door reads them all from the body, the
frontend door takes the session from its header. Each runs in one transaction, saves the
member once, and returns the response record the door answers with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from emulator.errors import StytchAPIError
from emulator.state import (
    Context,
    authentication,
    factors,
    locks,
    member_sessions,
    members,
    organizations,
    project,
    rate_limits,
    sms_otps,
    totps,
    validation,
)
from emulator.state.authentication import SessionOptions, Tokens
from emulator.store import Record


@dataclass(frozen=True)
class Enrollment:
    """What a successful MFA authenticate may change: set_mfa_enrollment, set_default_mfa."""

    set_mfa_enrollment: str | None = None
    set_default_mfa: bool | None = None


# A factor check: given the member, verify the code (raising Stytch's error when it is wrong),
# apply what the factor changes on the member, and return the session factor plus any extra
# response fields.
Verify = Callable[[Record], tuple[Record, dict[str, Any]]]


def send_sms(
    ctx: Context,
    organization_id: str,
    member_id: str,
    tokens: Tokens,
    mfa_phone_number: str | None = None,
) -> Record:
    """otps.sms.send: text a new code to the member's phone. A member without a verified phone
    may name a number: it is linked (replacing a mistyped, never verified one)."""
    with ctx.store.transaction():
        org, member = authentication.mfa_subject(ctx, organization_id, member_id, "sms_otp")
        authentication.check_active(member)
        locks.check_unlocked(ctx, member)
        proof = authentication.find_proof(ctx, member, tokens)
        if mfa_phone_number:
            phone = validation.phone_number(mfa_phone_number)
            if phone != member["mfa_phone_number"]:
                if member["mfa_phone_number_verified"]:
                    raise StytchAPIError(
                        "duplicate_member_phone_number_for_member",
                        "This member already has a different, verified MFA phone number. Omit "
                        "mfa_phone_number to text it, or delete it first "
                        "(organizations.members.delete_mfa_phone_number).",
                    )
                authentication.check_may_add_factor(member, proof)
                project.check_sms_country(ctx, phone)
                sms_otps.link_phone(member, phone)
                members.save(ctx, member)
        elif not member["mfa_phone_number"]:
            raise StytchAPIError(
                "member_phone_number_not_found",
                "This member has no MFA phone number yet: pass mfa_phone_number in E.164 format.",
            )
        project.check_sms_country(ctx, member["mfa_phone_number"])
        rate_limits.count_sms(ctx, member, member["mfa_phone_number"])
        sms_otps.send_code(ctx, org, member)
        return members.payload(ctx, org, member)


def create_totp(
    ctx: Context,
    organization_id: str,
    member_id: str,
    tokens: Tokens,
    expiration_minutes: int | None = None,
) -> Record:
    """totps.create: a pending registration with its secret, QR code and recovery codes."""
    with ctx.store.transaction():
        org, member = authentication.mfa_subject(ctx, organization_id, member_id, "totp")
        authentication.check_active(member)
        locks.check_unlocked(ctx, member)
        proof = authentication.find_proof(ctx, member, tokens)
        authentication.check_may_add_factor(member, proof)
        totp = totps.create(ctx, org, member, expiration_minutes)
        return {
            "totp_registration_id": totp["totp_id"],
            "secret": totp["secret"],
            "qr_code": totps.qr_code(totp, org, member),
            "recovery_codes": [c["code"] for c in totp["recovery_codes"]],
            **members.payload(ctx, org, member),
        }


def authenticate_sms(
    ctx: Context,
    organization_id: str,
    member_id: str,
    code: str,
    tokens: Tokens,
    session: SessionOptions = SessionOptions(),
    enrollment: Enrollment = Enrollment(),
) -> Record:
    """otps.sms.authenticate: the code texted to the member completes MFA (and verifies the phone)."""

    def verify(member: Record) -> tuple[Record, dict[str, Any]]:
        phone = sms_otps.check_code(ctx, member, code)
        member["mfa_phone_number_verified"] = True
        return factors.sms_otp(ctx.clock.now(), sms_otps.phone_id(ctx, member), phone), {}

    return _authenticate(ctx, organization_id, member_id, tokens, session, verify, "sms_otp", enrollment)


def authenticate_totp(
    ctx: Context,
    organization_id: str,
    member_id: str,
    code: str,
    tokens: Tokens,
    session: SessionOptions = SessionOptions(),
    enrollment: Enrollment = Enrollment(),
) -> Record:
    """totps.authenticate: the authenticator's code completes MFA (and activates a pending TOTP)."""

    def verify(member: Record) -> tuple[Record, dict[str, Any]]:
        totp = totps.check_code(ctx, member, code)
        return factors.totp(ctx.clock.now(), totp["totp_id"]), {}

    return _authenticate(ctx, organization_id, member_id, tokens, session, verify, "totp", enrollment)


def recover(
    ctx: Context,
    organization_id: str,
    member_id: str,
    recovery_code: str,
    tokens: Tokens,
    session: SessionOptions = SessionOptions(),
) -> Record:
    """recovery_codes.recover: one recovery code completes MFA in place of the authenticator."""

    def verify(member: Record) -> tuple[Record, dict[str, Any]]:
        code_id, remaining = totps.use_recovery_code(ctx, member, recovery_code)
        return factors.recovery_code(ctx.clock.now(), code_id), {"recovery_codes_remaining": remaining}

    return _authenticate(ctx, organization_id, member_id, tokens, session, verify, None, None)


def recovery_codes(ctx: Context, organization_id: str | None, member_id: str | None,
                   session_token: str | None = None) -> Record:
    """recovery_codes.get: the member's unused codes. The backend door names the member; the
    frontend door passes only the caller's session_token."""
    org, member = _named_or_holder(ctx, organization_id, member_id, session_token)
    return {"recovery_codes": totps.unused_codes(ctx, member), **members.payload(ctx, org, member)}


def rotate_recovery_codes(ctx: Context, organization_id: str | None, member_id: str | None,
                          session_token: str | None = None) -> Record:
    """recovery_codes.rotate: ten new codes replace the old ones (named member, or the caller)."""
    with ctx.store.transaction():
        org, member = _named_or_holder(ctx, organization_id, member_id, session_token)
        codes = totps.rotate_codes(ctx, member)
        return {"recovery_codes": codes, **members.payload(ctx, org, member)}


def _named_or_holder(ctx: Context, organization_id: str | None, member_id: str | None,
                     session_token: str | None) -> tuple[Record, Record]:
    if organization_id is not None and member_id is not None:
        return organizations.get(ctx, organization_id), members.get(ctx, organization_id, member_id)
    return member_sessions.holder(ctx, session_token)


def _authenticate(
    ctx: Context,
    organization_id: str,
    member_id: str,
    tokens: Tokens,
    session: SessionOptions,
    verify: Verify,
    method: str | None,
    enrollment: Enrollment | None,
) -> Record:
    """The recipe every MFA authenticate shares: find the member (not locked) and the IST or
    session that vouches for them (an IST allows a few wrong codes), verify the factor
    (a wrong guess counts toward the member's lock), apply enrollment, save the member once,
    and complete the session. `method` None (recovery codes) skips the organization's method
    restriction and leaves enrollment alone."""
    minutes = authentication.session_minutes(session.duration_minutes)
    if enrollment:
        authentication.check_enrollment_choice(enrollment.set_mfa_enrollment)
    with locks.transaction(ctx):
        if method:
            org, member = authentication.mfa_subject(ctx, organization_id, member_id, method)
        else:
            org = organizations.get(ctx, organization_id)
            member = members.get(ctx, organization_id, member_id)
        locks.check_unlocked(ctx, member)
        proof = authentication.require_proof(ctx, member, tokens)
        ist = proof.record if proof.kind == "intermediate_session" else None
        if ist is not None:
            rate_limits.check_attempts(ctx, ist)
        try:
            factor, extra = verify(member)
        except StytchAPIError as error:
            locks.fail(ctx, member, error, ist)
        if method and enrollment:
            authentication.apply_enrollment(org, member, method, enrollment.set_mfa_enrollment,
                                            enrollment.set_default_mfa)
        locks.succeeded(member)
        members.save(ctx, member)
        result = authentication.complete_secondary(ctx, org, member, factor, proof, minutes,
                                                   session.custom_claims)
        return {**members.payload(ctx, org, member), **extra, **result}
