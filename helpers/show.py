"""Show what Stytch returned, readably and safely: `show.response(resp)`, `show.session(jwt)`,
`show.factors(member_session)`, `show.totp(created)`, `show.error(err)`; every call the
notebook made, `show.call_log()`; and where those calls led in the MFA flow, `show.flow()`.

Every display here is a mime bundle with an HTML view for people and a text/plain twin with
the same content, so nbval compares something meaningful. Tokens and JWTs are shortened to a
prefix before anything is shown (helpers.masking): a committed notebook must never carry a
usable credential. The module is called `show`, not `display`, so IPython's own `display()`
stays usable in the lessons.
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

from helpers.call_log import LOG, bundle as call_log_bundle
from helpers.errors import advice
from helpers.flow import FlowPicture
from helpers.masking import mask, masked

__all__ = ["call_log", "explain", "error", "error_html", "factors", "flow", "mask", "response", "session", "totp"]

SESSION_CLAIM = "https://stytch.com/session"
# Scanned from the back of a room off a projector: 320 CSS px, quiet zone on white in any theme.
QR_CODE_PX = 320
ORGANIZATION_CLAIM = "https://stytch.com/organization"


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


def response(resp: Any, title: str | None = None) -> None:
    """A response (or any JSON-like value) as collapsible JSON, tokens and JWTs masked."""
    title = title or _title_of(resp)
    text = json.dumps(masked(_plain(resp)), indent=2, ensure_ascii=False)
    _emit(
        f"<details><summary><b>{html.escape(title)}</b></summary><pre>{html.escape(text)}</pre></details>",
        f"{title}\n{text}",
    )


def totp(create_response: Any) -> None:
    """The QR code an authenticator app scans, and the secret to type in instead."""
    display(totp_bundle(create_response), raw=True)


def totp_bundle(create_response: Any) -> dict[str, str]:
    """show.totp's mime bundle: the QR code (HTML) and the secret (both views)."""
    qr_code: str = create_response.qr_code
    secret: str = create_response.secret
    # Decoded and re-encoded: Stytch's docs show "base64, iVBOR…" with a space after the comma.
    png = base64.b64decode(qr_code.split(",", 1)[1].strip())
    note = "Scan the QR code with your authenticator app, or type this secret into it:"
    return {"text/html": (
        '<div style="display:flex;flex-wrap:wrap;gap:1.5em;align-items:center">'
        f'<img alt="TOTP QR code" width="{QR_CODE_PX}" height="{QR_CODE_PX}" style="image-rendering:pixelated;'
        f'background:#fff;padding:12px" src="data:image/png;base64,{base64.b64encode(png).decode()}">'
        f"<div>{html.escape(note)}<br><code style='font-size:1.2em'>{html.escape(secret)}</code>"
        "<br><small>(SHA1, 6 digits, 30-second period)</small></div></div>"),
        "text/plain": f"{note}\n  {secret}\n  (QR code shown as an image; SHA1, 6 digits, 30-second period)"}


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
NO_SESSION = "no session yet: an intermediate session token only (member_authenticated: false)"


def _factor_table(factors: list[dict], compared_with: list[dict] | None = None) -> tuple[str, str]:
    """A factor table (HTML, text); with `compared_with`, a first column marks the factors
    that are not in it as new."""
    rows: list[tuple[str, ...]] = _factor_rows(factors)
    header: tuple[str, ...] = _FACTOR_HEADER
    marks = None
    if compared_with is not None:
        known = {row[:2] + row[3:] for row in _factor_rows(compared_with)}
        marks = ["new" if row[:2] + row[3:] not in known else "" for row in rows]
    if rows and not any(row[3] for row in rows):  # a password alone has no detail: no empty column
        rows, header = [row[:3] for row in rows], header[:3]
    if marks is not None:
        rows = [(mark, *row) for mark, row in zip(marks, rows)]
        header = ("", *header)
    cells = "".join(
        "<tr>" + "".join(f"<td style='text-align:left'>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    head = "".join(f"<th style='text-align:left'>{h}</th>" for h in header)
    table_html = f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    return table_html, "\n".join(lines)


def _claims(session_jwt: str) -> dict:
    return jwt.decode(session_jwt, options={"verify_signature": False})


def _factors_of(value: Any) -> list[dict] | None:
    """The authentication factors of a session JWT, or of a response that holds a session;
    None when there is no session (an IST response, or "")."""
    if isinstance(value, str):
        return _claims(value).get(SESSION_CLAIM, {}).get("authentication_factors", []) if value else None
    if getattr(value, "session_jwt", ""):
        return _factors_of(value.session_jwt)
    if getattr(value, "member_session", None) is not None:
        return _plain(value.member_session)["authentication_factors"]
    return None


def _before_and_after(before: Any, after: list[dict], labels: tuple[str, str]) -> tuple[str, str]:
    """The factors before and after, side by side (HTML) or one under the other (text)."""
    earlier = _factors_of(before)
    sides = []
    for label, factors, compared_with in ((labels[0], earlier, None), (labels[1], after, earlier or [])):
        if factors is None:
            sides.append((label, f"<p><i>{html.escape(NO_SESSION)}</i></p>", NO_SESSION))
        else:
            table_html, table_text = _factor_table(factors, compared_with)
            sides.append((label, table_html, table_text))
    # Side by side even in a narrow notebook: the output scrolls sideways rather than wrap.
    html_view = ("<div style='display:flex;gap:2em;flex-wrap:nowrap;align-items:flex-start;font-size:0.92em'>"
                 + "".join(f"<div style='flex:0 0 auto;max-width:{'18em' if table.startswith('<p>') else 'none'}'>"
                           f"<b>{html.escape(label)}</b>{table}</div>" for label, table, _ in sides) + "</div>")
    text = "\n".join(f"  {label}\n" + "\n".join("    " + line for line in table.splitlines())
                     for label, _, table in sides)
    return html_view, text


def session(session_jwt: str, before: Any = None, labels: tuple[str, str] = ("Before MFA", "After MFA")) -> None:
    """What a session JWT carries, decoded WITHOUT verification just to look at it (verify
    with client.sessions.authenticate_jwt). The JWT itself is never shown.

    before: the session before this step (its JWT, or the response that carried it; a
    response without a session, such as primary authentication's IST answer, counts as none):
    the authentication_factors are then shown side by side, the new ones marked."""
    header = jwt.get_unverified_header(session_jwt)
    claims = _claims(session_jwt)
    session_claim = claims.get(SESSION_CLAIM, {})
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
        ("session id", str(session_claim.get("id"))),
        ("organization", f"{organization.get('organization_id')} (slug {organization.get('slug')})"),
    ]
    factors = session_claim.get("authentication_factors", [])
    if before is None:
        table_html, table_text = _factor_table(factors)
        factors_title, factors_text = "Authentication factors", "\n".join("  " + line for line in table_text.splitlines())
    else:
        table_html, factors_text = _before_and_after(before, factors, labels)
        factors_title = "Authentication factors, before and after"
    facts_html = "".join(
        f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in facts
    )
    width = max(len(k) for k, _ in facts)
    _emit(
        f"<b>Session JWT (decoded, not verified)</b><table>{facts_html}</table>"
        f"<b>{html.escape(factors_title)}</b>{table_html}",
        "Session JWT (decoded, not verified)\n"
        + "\n".join(f"  {k.ljust(width)}  {v}" for k, v in facts)
        + f"\n{factors_title}\n{factors_text}",
    )


def factors(member_session: Any) -> None:
    """The factors a MemberSession holds, as a table."""
    table_html, table_text = _factor_table(_plain(member_session)["authentication_factors"])
    _emit(f"<b>Authentication factors</b>{table_html}", "Authentication factors\n" + table_text)


def explain(err: Exception) -> str:
    """error_type, HTTP status, Stytch's message, and what to do about it."""
    if not isinstance(err, StytchError):
        return f"{type(err).__name__}: {err}"
    details = err.details
    return (
        f"{details.error_type or 'unknown_error'} (HTTP {details.status_code}): "
        f"{details.error_message}\nWhat to do: {advice(details.error_type).what_to_do}"
    )


def error_html(err: Exception, what_to_do: str | None = None, heading: str = "") -> str:
    """A refused call in one line, the error type and what to do (`what_to_do` replaces the
    table's advice), with the HTTP status, Stytch's message and the request id folded away."""
    if not isinstance(err, StytchError):
        return f"<b>{html.escape(heading)}</b> {html.escape(explain(err))}"
    details = err.details
    todo = what_to_do or advice(details.error_type).what_to_do
    folded = f"HTTP {details.status_code}: {details.error_message}"
    if details.request_id:
        folded += f"\nrequest_id: {details.request_id}"
    return (
        f"<details><summary>{f'<b>{html.escape(heading)}:</b> ' if heading else ''}"
        f"<code>{html.escape(details.error_type or 'unknown_error')}</code> &mdash; {html.escape(todo)}</summary>"
        f"<div style='white-space:pre-wrap;color:var(--jp-content-font-color2);margin:0.2em 0 0 1em'>"
        f"{html.escape(folded)}</div></details>"
    )


def error(err: Exception) -> None:
    """A refused call: one line with its error type and what to do, the details folded away
    (all of it in the text twin)."""
    heading = "Stytch refused the request" if isinstance(err, StytchError) else "The call failed"
    _emit(
        "<div style='border-left:4px solid var(--jp-error-color1);padding:0.2em 0.8em'>"
        f"{error_html(err, heading=heading)}</div>",
        f"{heading}\n{explain(err)}",
    )


def call_log() -> None:
    """Every request the SDK sent from this notebook so far: method, path, the fields sent,
    status, the key fields of the answer, time taken and which code made it (collapsed)."""
    display(call_log_bundle(LOG), raw=True)


def flow() -> None:
    """The MFA flow picture with this notebook's current step highlighted. In JupyterLab it
    follows every later call too (right-click it, "Create New View for Output", to keep it
    beside the notebook); a saved notebook keeps it as it was when the cell ran."""
    display(FlowPicture(LOG))
