"""Show what Stytch returned, readably and safely.

Every display here is a mime bundle with an HTML view for people and a text/plain twin with
the same content, so nbval compares something meaningful. Tokens and JWTs are shortened to a
prefix before anything is shown: a committed notebook must never carry a usable credential.
"""

from __future__ import annotations

import base64
import html
import json
from datetime import datetime, timezone
from typing import Any

import jwt
from IPython.display import display
from stytch.core.response_base import StytchError

TOKEN_KEYS = frozenset({"session_token", "session_jwt", "intermediate_session_token"})
SESSION_CLAIM = "https://stytch.com/session"
ORGANIZATION_CLAIM = "https://stytch.com/organization"

# What to do about the errors a reader of this workbook meets most often.
HINTS: dict[str, str] = {
    "otp_code_not_found": "The passcode is wrong. Check the digits, or send a new code.",
    "unable_to_auth_otp_code": "The passcode expired (2 minutes) or was used already. Send a new one.",
    "invalid_phone_number": "Enter the phone number in E.164 format, e.g. +14155550123.",
    "duplicate_member_phone_number_for_member": (
        "The member already has another MFA phone. Text that one (omit mfa_phone_number), "
        "or delete it with organizations.members.delete_mfa_phone_number."
    ),
    "member_phone_number_not_found": "The member has no MFA phone yet: pass mfa_phone_number.",
    "intermediate_session_not_found": (
        "The intermediate session token expired (10 minutes) or was already used to finish MFA. "
        "Log in again (primary authentication) to get a new one."
    ),
    "invalid_totp_code": "A TOTP code is the 6 digits your authenticator app shows.",
    "unable_to_authenticate_totp": (
        "The TOTP code is wrong. Type the code the app shows now, and check the device clock."
    ),
    "totp_code_already_authenticated": "Each TOTP code works once. Wait for the next code (30 s).",
    "expired_totp": "The TOTP registration was not confirmed in time. Create a new one.",
    "active_totp_exists": (
        "The member already has a TOTP registration. Use it, or delete it first with "
        "organizations.members.delete_totp."
    ),
    "totp_not_found": "The member has no TOTP registration. Create one with totps.create.",
    "operation_restricted_by_organization_mfa_methods": (
        "The organization restricts MFA methods (mfa_methods=RESTRICTED) and this one is not in "
        "allowed_mfa_methods. Pick an allowed method, or change the organization's settings."
    ),
    "allowed_mfa_methods_required_for_restricted": (
        "RESTRICTED needs allowed_mfa_methods with at least one method (sms_otp, totp)."
    ),
    "invalid_organization_mfa_factor_setting": (
        "mfa_methods takes ALL_ALLOWED or RESTRICTED; REQUIRED_FOR_ALL and OPTIONAL belong to "
        "mfa_policy."
    ),
    "invalid_organization_mfa_policy": "mfa_policy takes REQUIRED_FOR_ALL or OPTIONAL.",
    "insufficient_factors": (
        "The member already has an MFA method: finish MFA with it first, then add the new one "
        "using the resulting session."
    ),
    "no_associated_session_passed_in": (
        "Pass the intermediate_session_token from primary authentication (or a session)."
    ),
    "unable_to_authenticate_recovery_code": (
        "The recovery code is wrong or was used already; each code works once."
    ),
    "no_active_recovery_code_backed_factor": "Recovery codes come with an active TOTP registration.",
    "unauthorized_credentials": (
        "Stytch did not accept the credentials: the project ID/secret, or the member's password."
    ),
    "session_not_found": "The session expired or was revoked. Log in again.",
    "member_not_found": "No such member in this organization. Run the cell that creates it.",
    "email_jit_provisioning_not_allowed": (
        "Use the email of an existing member (the parameters cell has one): this organization "
        "does not let new members sign up by email."
    ),
    "organization_not_found": "No such organization. Run the cell that creates it.",
    "magic_link_not_found": "That magic link token is unknown. Copy the token from the newest email.",
    "unable_to_auth_magic_link": "The magic link was used already or expired. Send a new one.",
    "action_available_only_for_active_members": "Only active members can do MFA.",
    "user_lock_limit_reached": (
        "Too many wrong passwords or codes in a row locked this member (for an hour by default). "
        "Wait until lock_expires_at (on the emulator: advance its clock), or unlock the member "
        "in the Stytch dashboard."
    ),
    "too_many_requests": (
        "Rate limited: too many codes texted to this phone or member this hour, or too many wrong "
        "codes with this intermediate session. Use the code already sent, or log in again."
    ),
    "invalid_phone_number_country_code": (
        "SMS to this country is not enabled for the project (US and Canada by default). Use a "
        "US or Canadian number, or add the country to the project's SMS allowlist."
    ),
    "pending_totp_exists": (
        "An authenticator app registration is waiting for its first code: enter the code from that "
        "registration, or delete it with organizations.members.delete_totp and start again."
    ),
    "no_match_for_provided_magic_link_url": (
        "The redirect URL is not registered for the project. Add it under Redirect URLs in the "
        "dashboard (on the emulator: PATCH /emulator/v1/project), or pass a registered one."
    ),
    "no_default_login_redirect_url_set": (
        "Pass login_redirect_url, or set a default Login redirect URL in the dashboard."
    ),
    "no_default_signup_redirect_url_set": (
        "Pass signup_redirect_url, or set a default Sign-up redirect URL in the dashboard."
    ),
}
DEFAULT_HINT = "Read the message above; the Stytch docs link in the error has details."


def mask(value: str, keep: int = 6) -> str:
    """The first `keep` characters and an ellipsis: enough to recognise, useless to replay."""
    return value[:keep] + "…" if value else value


def _looks_like_jwt(value: str) -> bool:
    return value.startswith("eyJ") and value.count(".") == 2


def _safe(value: Any, key: str | None = None) -> Any:
    """A copy of `value` with tokens and JWTs masked and data URLs shortened."""
    if isinstance(value, dict):
        return {k: _safe(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_safe(v) for v in value]
    if isinstance(value, str) and value:
        if key in TOKEN_KEYS or _looks_like_jwt(value):
            return mask(value)
        if value.startswith("data:") and ";base64," in value and len(value) > 64:
            return value.split(",", 1)[0] + ",…"
    return value


def _plain(value: Any) -> Any:
    """SDK models (pydantic) and exceptions to JSON-ready data."""
    if isinstance(value, StytchError):
        return value.details.model_dump(mode="json", exclude={"original_json"})
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


def _title_of(value: Any) -> str:
    """`organizations.UpdateResponse` for an SDK model, else a generic title."""
    if not hasattr(value, "model_dump"):
        return "Result"
    cls = type(value)
    return f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}"


def _emit(html_text: str, plain_text: str) -> None:
    display({"text/html": html_text, "text/plain": plain_text}, raw=True)


def show(response: Any, title: str | None = None) -> None:
    """A response as collapsible, masked JSON."""
    title = title or _title_of(response)
    text = json.dumps(_safe(_plain(response)), indent=2, ensure_ascii=False)
    _emit(
        f"<details><summary><b>{html.escape(title)}</b></summary><pre>{html.escape(text)}</pre></details>",
        f"{title}\n{text}",
    )


def show_totp(create_response: Any) -> None:
    """The QR code an authenticator app scans, and the secret to type in instead."""
    qr_code: str = create_response.qr_code
    secret: str = create_response.secret
    # Decoded and re-encoded: Stytch's docs show "base64, iVBOR…" with a space after the comma.
    png = base64.b64decode(qr_code.split(",", 1)[1].strip())
    note = "Scan the QR code with your authenticator app, or type this secret into it:"
    _emit(
        '<div style="display:flex;gap:1.5em;align-items:center">'
        f'<img alt="TOTP QR code" width="180" src="data:image/png;base64,{base64.b64encode(png).decode()}">'
        f"<div>{html.escape(note)}<br><code style='font-size:1.2em'>{html.escape(secret)}</code>"
        "<br><small>(SHA1, 6 digits, 30-second period)</small></div></div>",
        f"{note}\n  {secret}\n  (QR code shown as an image; SHA1, 6 digits, 30-second period)",
    )


def _time(unix: int | float | None) -> str:
    if unix is None:
        return "-"
    return datetime.fromtimestamp(unix, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _factor_rows(factors: list[dict]) -> list[tuple[str, str, str, str]]:
    rows = []
    for factor in factors:
        detail = ""
        if factor.get("phone_number_factor"):
            detail = f"phone {factor['phone_number_factor']['phone_number']}"
        elif factor.get("authenticator_app_factor"):
            detail = f"totp_id {factor['authenticator_app_factor']['totp_id']}"
        elif factor.get("email_factor"):
            detail = f"email {factor['email_factor']['email_address']}"
        elif factor.get("recovery_code_factor"):
            detail = f"recovery code {factor['recovery_code_factor']['totp_recovery_code_id']}"
        rows.append((
            str(factor.get("type", "")),
            str(factor.get("delivery_method", "")),
            str(factor.get("last_authenticated_at") or "-"),
            detail,
        ))
    return rows


_FACTOR_HEADER = ("type", "delivery_method", "last_authenticated_at", "detail")


def _factor_table(factors: list[dict]) -> tuple[str, str]:
    rows = _factor_rows(factors)
    cells = "".join(
        "<tr>" + "".join(f"<td style='text-align:left'>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    head = "".join(f"<th style='text-align:left'>{h}</th>" for h in _FACTOR_HEADER)
    table_html = f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"
    widths = [max(len(r[i]) for r in [_FACTOR_HEADER, *rows]) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [_FACTOR_HEADER, *rows]]
    return table_html, "\n".join(lines)


def show_session(session_jwt: str) -> None:
    """What a session JWT carries, decoded WITHOUT verification just to look at it (verify
    with client.sessions.authenticate_jwt). The JWT itself is never shown."""
    header = jwt.get_unverified_header(session_jwt)
    claims = jwt.decode(session_jwt, options={"verify_signature": False})
    session = claims.get(SESSION_CLAIM, {})
    organization = claims.get(ORGANIZATION_CLAIM, {})
    lifetime = claims["exp"] - claims["iat"] if "exp" in claims and "iat" in claims else None
    facts = [
        ("header", f"alg={header.get('alg')} kid={header.get('kid')}"),
        ("iss", str(claims.get("iss"))),
        ("aud", ", ".join(claims["aud"]) if isinstance(claims.get("aud"), list) else str(claims.get("aud"))),
        ("sub (member)", str(claims.get("sub"))),
        ("iat", _time(claims.get("iat"))),
        ("nbf", _time(claims.get("nbf"))),
        ("exp", _time(claims.get("exp"))),
        ("exp - iat", f"{lifetime} s" if lifetime is not None else "-"),
        ("session id", str(session.get("id"))),
        ("organization", f"{organization.get('organization_id')} (slug {organization.get('slug')})"),
    ]
    table_html, table_text = _factor_table(session.get("authentication_factors", []))
    facts_html = "".join(
        f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in facts
    )
    width = max(len(k) for k, _ in facts)
    _emit(
        f"<b>Session JWT (decoded, not verified)</b><table>{facts_html}</table>"
        f"<b>Authentication factors</b>{table_html}",
        "Session JWT (decoded, not verified)\n"
        + "\n".join(f"  {k.ljust(width)}  {v}" for k, v in facts)
        + "\nAuthentication factors\n"
        + "\n".join("  " + line for line in table_text.splitlines()),
    )


def show_factors(member_session: Any) -> None:
    """The factors a MemberSession holds, as a table."""
    factors = _plain(member_session)["authentication_factors"]
    table_html, table_text = _factor_table(factors)
    _emit(f"<b>Authentication factors</b>{table_html}", "Authentication factors\n" + table_text)


def explain(err: Exception) -> str:
    """error_type, HTTP status, Stytch's message, and what to do about it."""
    if not isinstance(err, StytchError):
        return f"{type(err).__name__}: {err}"
    details = err.details
    hint = HINTS.get(details.error_type or "", DEFAULT_HINT)
    return (
        f"{details.error_type or 'unknown_error'} (HTTP {details.status_code}): "
        f"{details.error_message}\nWhat to do: {hint}"
    )


def show_error(err: Exception) -> None:
    heading = "Stytch refused the request" if isinstance(err, StytchError) else "The call failed"
    text = explain(err)
    first, _, rest = text.partition("\n")
    _emit(
        f"<div style='border-left:4px solid #c0392b;padding:0.3em 0.8em'>"
        f"<b>{heading}</b><br>{html.escape(first)}<br><i>{html.escape(rest)}</i></div>",
        f"{heading}\n{text}",
    )
