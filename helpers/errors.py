"""Errors a notebook reader can act on: the helpers' own, and the one table of Stytch's error
types a learner meets, each with the form field it concerns and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass


class ReadableError(Exception):
    """IPython shows these as their one-line message, not a traceback: the message says what
    to do, and the traceback would only hide it."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


@dataclass(frozen=True)
class Advice:
    """What to do about an error type, and the form fields it is about, most specific first
    (a form shows it next to the first of them it has, else on its status line)."""

    what_to_do: str
    fields: tuple[str, ...] = ()


# A lock or a rate limit is about whatever the person was typing into.
_TYPED = ("code", "recovery_code", "phone_number", "token", "email_address", "password")

ERRORS: dict[str, Advice] = {
    # Organization settings (lesson 01).
    "invalid_organization_mfa_policy": Advice("mfa_policy takes REQUIRED_FOR_ALL or OPTIONAL.", ("mfa_policy",)),
    "invalid_organization_mfa_factor_setting": Advice(
        "mfa_methods takes ALL_ALLOWED or RESTRICTED; REQUIRED_FOR_ALL and OPTIONAL belong to mfa_policy.",
        ("mfa_methods",)),
    "allowed_mfa_methods_required_for_restricted": Advice(
        "RESTRICTED needs allowed_mfa_methods with at least one method (sms_otp, totp).", ("allowed_mfa_methods",)),
    "invalid_organization_allowed_mfa_methods": Advice(
        "allowed_mfa_methods takes sms_otp and totp only.", ("allowed_mfa_methods",)),
    "operation_restricted_by_organization_mfa_methods": Advice(
        "The organization restricts MFA methods (mfa_methods=RESTRICTED) and this one is not in "
        "allowed_mfa_methods. Pick an allowed method, or change the organization's settings.",
        ("method", "phone_number", "code")),
    "organization_not_found": Advice("No such organization. Run the cell that creates it."),
    "organization_slug_already_used": Advice("Another organization has this slug: get it by slug, or choose another."),
    "invalid_organization_slug": Advice("A slug is 2-128 letters, digits and -._~ characters."),
    # Members and primary authentication.
    "member_not_found": Advice("No such member in this organization. Run the cell that creates it.", ("email_address",)),
    "invalid_email": Advice("Enter an email address, e.g. ada@acme-workbook.example.", ("email_address",)),
    "duplicate_member_email": Advice(
        "A member with this email exists already: get it (organizations.members.get) instead of creating it.",
        ("email_address",)),
    "action_available_only_for_active_members": Advice("Only active members can do MFA."),
    "email_jit_provisioning_not_allowed": Advice(
        "Use the email of an existing member (the parameters cell has one): this organization does not "
        "let new members sign up by email.", ("email_address",)),
    "operation_restricted_by_organization_auth_methods": Advice(
        "The organization does not allow this primary authentication method (allowed_auth_methods).",
        ("email_address", "password")),
    "no_match_for_provided_magic_link_url": Advice(
        "The redirect URL is not registered for the project. Add it under Redirect URLs in the dashboard "
        "(on the emulator: PATCH /emulator/v1/project), or pass a registered one.", ("email_address",)),
    "no_default_login_redirect_url_set": Advice(
        "Pass login_redirect_url, or set a default Login redirect URL in the dashboard.", ("email_address",)),
    "no_default_signup_redirect_url_set": Advice(
        "Pass signup_redirect_url, or set a default Sign-up redirect URL in the dashboard.", ("email_address",)),
    "magic_link_not_found": Advice("That magic link token is unknown. Copy the token from the newest email.", ("token",)),
    "unable_to_auth_magic_link": Advice("The magic link was used already or expired. Send a new one.", ("token",)),
    "unauthorized_credentials": Advice(
        "Stytch did not accept the credentials: the project ID/secret, or the member's password.", ("password",)),
    "invalid_expiration": Advice(
        "expiration_minutes is out of range: leave it out (60), or pass 5 to 1440 for a TOTP registration "
        "(up to 10080 for a magic link)."),
    # The intermediate session and the proof an MFA call needs.
    "intermediate_session_not_found": Advice(
        "The intermediate session token expired (10 minutes) or was already used to finish MFA. Log in again "
        "(primary authentication) to get a new one."),
    "invalid_intermediate_session_token_for_organization": Advice(
        "This intermediate session token belongs to another organization: pass that organization's ID, or log "
        "in to this one."),
    "no_associated_session_passed_in": Advice(
        "Pass the intermediate_session_token from primary authentication (or a session)."),
    "too_many_session_arguments": Advice(
        "Pass one proof only: the intermediate_session_token, the session_token or the session_jwt."),
    "insufficient_factors": Advice(
        "The member already has an MFA method: finish MFA with it first, then add the new one using the "
        "resulting session."),
    # SMS passcodes.
    "invalid_phone_number": Advice("Enter the phone number in E.164 format, e.g. +14155550123.", ("phone_number",)),
    "invalid_phone_number_country_code": Advice(
        "SMS to this country is not enabled for the project (US and Canada by default). Use a US or Canadian "
        "number, or add the country to the project's SMS allowlist.", ("phone_number",)),
    "duplicate_member_phone_number_for_member": Advice(
        "The member already has another MFA phone. Text that one (omit mfa_phone_number), or remove it with "
        "organizations.members.delete_mfa_phone_number (lesson 02: the \"Remove the phone number\" button under "
        "the phone form), then send the code again.", ("phone_number",)),
    "member_phone_number_not_found": Advice("The member has no MFA phone yet: pass mfa_phone_number.", ("phone_number",)),
    "otp_code_not_found": Advice("The passcode is wrong. Check the digits against the newest SMS, or send a new code.",
                                 ("code",)),
    "unable_to_auth_otp_code": Advice(
        "The passcode expired (it lives 2 minutes) or was used already. Send a new one.", ("code",)),
    # Authenticator apps (TOTP) and recovery codes.
    "invalid_totp_code": Advice("A TOTP code is the 6 digits your authenticator app shows.", ("code",)),
    "unable_to_authenticate_totp": Advice(
        "The code is wrong or no longer current (each lasts 30 seconds). Type the code the authenticator app "
        "shows now, or wait for its next one, and press the button again.", ("code",)),
    "totp_code_already_authenticated": Advice("Each TOTP code works once. Wait for the next code (30 s).", ("code",)),
    "expired_totp": Advice("The TOTP registration was not confirmed in time. Create a new one.", ("code",)),
    "active_totp_exists": Advice(
        "The member already has a TOTP registration. Use it, or delete it first with "
        "organizations.members.delete_totp."),
    "pending_totp_exists": Advice(
        "An authenticator app registration is waiting for its first code: enter the code from that "
        "registration, or delete it with organizations.members.delete_totp and start again.", ("code",)),
    "totp_not_found": Advice("The member has no TOTP registration. Create one with totps.create."),
    "unable_to_authenticate_recovery_code": Advice(
        "The recovery code is wrong or was used already; each code works once.", ("recovery_code",)),
    "no_active_recovery_code_backed_factor": Advice(
        "Recovery codes come with an active TOTP registration.", ("recovery_code",)),
    "invalid_mfa_default_method": Advice("default_mfa_method takes sms_otp or totp."),
    "default_mfa_member_missing_factor": Advice(
        "The member cannot default to a method they have not enrolled: enroll it first."),
    # User locks and rate limits (HTTP 429).
    "user_lock_limit_reached": Advice(
        "Too many wrong passwords or codes in a row locked this member (for an hour by default). Wait until "
        "lock_expires_at (on the emulator: advance its clock), or unlock the member in the Stytch dashboard.",
        _TYPED),
    "too_many_requests": Advice(
        "Rate limited: too many codes texted to this phone or member this hour, or too many wrong codes with "
        "this intermediate session. Use the code already sent, or log in again.", _TYPED),
    # Sessions.
    "session_not_found": Advice("The session expired or was revoked. Log in again."),
    "no_session_arguments": Advice("Pass the session_token or the session_jwt to check."),
    "invalid_session_duration_minutes": Advice("session_duration_minutes takes 5 to 527040 (366 days)."),
    "unable_to_parse_session_jwt": Advice("That is not a session JWT: pass the session_jwt Stytch returned."),
    "jwt_invalid_audience": Advice("The JWT was issued for another project."),
    "jwt_invalid_issuer": Advice("The JWT was not issued by this project's Stytch."),
    "jwt_invalid_claims": Advice("The JWT misses a claim or is not valid yet: use the session_jwt Stytch returned."),
    "insufficient_factors_for_session_exchange": Advice(
        "The session's factors do not satisfy the other organization's policy: complete its MFA after the exchange."),
    "bad_request": Advice("Stytch refused the request's shape: the message names the field to fix."),
}
DEFAULT_ADVICE = Advice("Read the message above; the Stytch docs link in the error has details.")


def advice(error_type: str | None) -> Advice:
    return ERRORS.get(error_type or "", DEFAULT_ADVICE)
