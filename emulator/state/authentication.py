"""The MFA decision: after a primary factor, a session or an intermediate session with
`mfa_required`; after a secondary factor, a session that holds both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator import config
from emulator.clock import rfc3339
from emulator.errors import StytchAPIError
from emulator.state import (
    Context,
    factors as factor_kinds,
    intermediate_sessions,
    locks,
    members,
    organizations,
    project,
    rate_limits,
    sessions,
    sms_otps,
    validation,
)
from emulator.store import Record

ENROLLMENT_CHOICES = ("enroll", "unenroll")


@dataclass(frozen=True)
class Tokens:
    """What a caller presents to say who is authenticating: at most one of these. The backend
    door reads all three from the body; the frontend door takes the session from its header."""

    intermediate_session_token: str | None = None
    session_token: str | None = None
    session_jwt: str | None = None


@dataclass(frozen=True)
class SessionOptions:
    """How long the session an authenticate call starts (or extends) lasts, and its claims."""

    duration_minutes: int | None = None
    custom_claims: dict[str, Any] | None = None


@dataclass
class Proof:
    """What the caller presented to show who is authenticating: an IST or a session."""

    kind: str  # "intermediate_session" or "session"
    record: Record

    @property
    def factors(self) -> list[Record]:
        return self.record["factors"]


def find_proof(ctx: Context, member: Record, tokens: Tokens) -> Proof | None:
    given = [t for t in (tokens.intermediate_session_token, tokens.session_token, tokens.session_jwt) if t]
    if len(given) > 1:
        raise StytchAPIError(
            "too_many_session_arguments",
            "Pass exactly one of intermediate_session_token, session_token or session_jwt.",
        )
    if tokens.intermediate_session_token:
        record = intermediate_sessions.resolve(
            ctx, tokens.intermediate_session_token, member["organization_id"], member["member_id"]
        )
        return Proof("intermediate_session", record)
    if tokens.session_token or tokens.session_jwt:
        session = sessions.by_token_or_jwt(ctx, tokens.session_token, tokens.session_jwt)
        if session["member_id"] != member["member_id"]:
            raise StytchAPIError("session_not_found", "This session belongs to another member.")
        return Proof("session", session)
    return None


def require_proof(ctx: Context, member: Record, tokens: Tokens) -> Proof:
    proof = find_proof(ctx, member, tokens)
    if proof is None:
        raise StytchAPIError(
            "no_associated_session_passed_in",
            "An MFA factor completes an authentication that started elsewhere: pass the "
            "intermediate_session_token from primary authentication, or a session_token/session_jwt.",
        )
    return proof


def check_may_add_factor(member: Record, proof: Proof | None) -> None:
    """Stytch's anti-bypass rule: a member who already has an *active* MFA factor (a verified
    phone, an active TOTP) can add another only with an IST or session that already holds an
    MFA factor. A phone never verified is not active: it may be replaced, and it does not
    stand in the way of a TOTP (SDK docstrings speak of an active factor; Stytch's own UI lets
    a member go back and change an unverified number)."""
    if members.active_mfa_methods(member) and not (proof and factor_kinds.has_secondary(proof.factors)):
        raise StytchAPIError(
            "insufficient_factors",
            "This member already has an MFA method. Complete MFA with it first, then add a new "
            "method with the resulting session (or intermediate session).",
        )


def check_mfa_method_allowed(org: Record, member: Record, method: str) -> None:
    if not member["is_breakglass"] and not organizations.mfa_method_allowed(org, method):
        raise StytchAPIError(
            "operation_restricted_by_organization_mfa_methods",
            f"This organization restricts MFA to {', '.join(org['allowed_mfa_methods'])}; "
            f"{method} is not allowed.",
        )


def mfa_subject(ctx: Context, organization_id: str, member_id: str, method: str) -> tuple[Record, Record]:
    """The organization and member an SMS/TOTP call is about, once the method is allowed."""
    org = organizations.get(ctx, organization_id)
    member = members.get(ctx, organization_id, member_id)
    check_mfa_method_allowed(org, member, method)
    return org, member


def check_active(member: Record) -> None:
    if member["status"] != "active":
        raise StytchAPIError(
            "action_available_only_for_active_members",
            "MFA is available only to active members; this member has not finished signing up.",
        )


def session_minutes(value: int | None) -> int:
    return validation.session_minutes(value, config.DEFAULT_SESSION_MINUTES, config.SESSION_MINUTES_RANGE)


def mfa_required(org: Record, member: Record) -> bool:
    return org["mfa_policy"] == "REQUIRED_FOR_ALL" or member["mfa_enrolled"]


def member_options(ctx: Context, member: Record) -> Record | None:
    """Null until the member has a phone or a TOTP, as in Stytch's guide; the phone number
    masked unless the project shows it (project.shown_phone_number)."""
    if not member["mfa_phone_number"] and not member["totp_registration_id"]:
        return None
    return {
        "mfa_phone_number": project.shown_phone_number(ctx, member["mfa_phone_number"]),
        "totp_registration_id": member["totp_registration_id"],
    }


def _auto_send_sms(ctx: Context, org: Record, member: Record) -> str | None:
    """Stytch sends the SMS itself when SMS is the member's way in (default method sms_otp, or
    a phone and no TOTP). Not when the phone's country is not enabled or the send limit is
    reached: primary authentication still succeeds, and a send then says why."""
    prefers_sms = member["default_mfa_method"] == "sms_otp" or (
        not member["default_mfa_method"] and not member["totp_registration_id"]
    )
    phone = member["mfa_phone_number"]
    if (phone and prefers_sms and organizations.mfa_method_allowed(org, "sms_otp")
            and project.sms_country_allowed(ctx, phone) and rate_limits.may_send_sms(ctx, member, phone)):
        rate_limits.count_sms(ctx, member, phone)
        sms_otps.send_code(ctx, org, member)
        return "sms_otp"
    return None


def session_fields(ctx: Context, session: Record, org: Record) -> dict[str, Any]:
    return {
        "session_token": session["session_token"],
        "session_jwt": sessions.mint_jwt(ctx, session, org),
        "member_session": sessions.member_session(session, org),
    }


def complete_primary(
    ctx: Context,
    org: Record,
    member: Record,
    factor: Record,
    tokens: Tokens,
    minutes: int,
    custom_claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The fields every primary-authentication response shares. A valid session of the member
    passed in vouches for MFA: re-authenticating with it adds the factor to that session and
    never asks for MFA (SDK docstrings of passwords.authenticate, magic_links.authenticate).
    A member who gets a session starts counting failed attempts afresh (state/locks.py)."""
    proof = find_proof(ctx, member, tokens)
    factors = factor_kinds.merge(proof.factors if proof else [], factor)
    reauthenticating = proof is not None and proof.kind == "session"
    if mfa_required(org, member) and not factor_kinds.has_secondary(factors) and not reauthenticating:
        if proof and proof.kind == "intermediate_session":
            token, record = tokens.intermediate_session_token, proof.record
            record["factors"] = factors
            intermediate_sessions.save(ctx, record)
        else:
            token, record = intermediate_sessions.create(ctx, member, factors)
        return {
            "member_authenticated": False,
            "session_token": "",
            "session_jwt": "",
            "member_session": None,
            "intermediate_session_token": token,
            "intermediate_session_token_expires_at": rfc3339(record["expires_at"]),
            "mfa_required": {
                "member_options": member_options(ctx, member),
                "secondary_auth_initiated": _auto_send_sms(ctx, org, member),
            },
            "primary_required": None,
        }
    if proof and proof.kind == "session":
        session = proof.record
        sessions.add_factor(ctx, session, factor)
        sessions.touch(ctx, session, minutes)
    else:
        if proof:
            intermediate_sessions.consume(ctx, proof.record)
        session = sessions.start(ctx, member, factors, minutes, custom_claims)
    if locks.succeeded(member):
        members.save(ctx, member)
    return {
        "member_authenticated": True,
        "intermediate_session_token": "",
        "mfa_required": None,
        "primary_required": None,
        **session_fields(ctx, session, org),
    }


def complete_secondary(
    ctx: Context,
    org: Record,
    member: Record,
    factor: Record,
    proof: Proof,
    minutes: int,
    custom_claims: dict[str, Any] | None,
) -> dict[str, Any]:
    """MFA succeeded: the IST becomes a session, or the session gains the factor (step-up)."""
    if proof.kind == "intermediate_session":
        intermediate_sessions.consume(ctx, proof.record)
        session = sessions.start(ctx, member, factor_kinds.merge(proof.factors, factor), minutes, custom_claims)
    else:
        session = proof.record
        sessions.add_factor(ctx, session, factor)
        sessions.touch(ctx, session, minutes)
    return session_fields(ctx, session, org)


def apply_enrollment(
    org: Record,
    member: Record,
    method: str,
    set_mfa_enrollment: str | None,
    set_default_mfa: bool | None,
) -> None:
    """What a successful MFA authenticate changes on the member (the caller saves it)."""
    if org["mfa_policy"] == "REQUIRED_FOR_ALL":
        member["mfa_enrolled"] = True  # set_mfa_enrollment is ignored under REQUIRED_FOR_ALL
    elif set_mfa_enrollment is not None:
        member["mfa_enrolled"] = set_mfa_enrollment == "enroll"
    if set_default_mfa or not member["default_mfa_method"]:
        member["default_mfa_method"] = method


def check_enrollment_choice(set_mfa_enrollment: str | None) -> None:
    if set_mfa_enrollment is not None:
        validation.choice("bad_request", "set_mfa_enrollment", set_mfa_enrollment, ENROLLMENT_CHOICES)
