"""Where the SMS passcodes and magic-link emails go.

Emulator only: it keeps every message it "sends" in an outbox that these helpers read, so a
headless run can type the code itself. On a real Stytch project the SMS reaches a real phone
and the email a real inbox; there is nothing to read, and the helpers say so.
"""

from __future__ import annotations

import html

from IPython.display import display

from emulator import EmulatorControl
from helpers.client import get_backend
from helpers.errors import ReadableError

# Stytch's documented B2B sandbox values (reference §7): magic links only.
SANDBOX_EMAIL = "sandbox@stytch.com"
SANDBOX_ORGANIZATION_ID = "organization-test-007d9d4a-deac-4a87-ba0a-e6e8afba4d4b"
SANDBOX_MAGIC_LINK_TOKEN = "DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94="


class InboxUnavailable(ReadableError, RuntimeError):
    """The backend is a real Stytch project: messages go to real phones and inboxes."""


class MessageNotFound(ReadableError, LookupError):
    """The emulator has sent nothing to that recipient yet."""


def _channel(recipient: str) -> str:
    return "sms" if recipient.startswith("+") else "email"


def _latest(recipient: str, channel: str) -> dict:
    backend = get_backend()
    if not backend.is_emulator:
        raise InboxUnavailable(_where_it_went(recipient, channel))
    message = EmulatorControl(backend.base_url).latest_message(recipient, channel)
    if message is None:
        what = "SMS" if channel == "sms" else "email"
        raise MessageNotFound(f"The emulator has sent no {what} to {recipient} yet: run the cell that sends it first.")
    return message


def _where_it_went(recipient: str, channel: str) -> str:
    if channel == "sms":
        return (
            f"On a real Stytch project the passcode is texted to {recipient}: read it on that phone and "
            "type it into the form. (Stytch documents the sandbox number +10000000000 with code "
            "000000 for consumer OTPs only, not for B2B MFA.)"
        )
    return (
        f"On a real Stytch project the email goes to {recipient}'s inbox: open it and paste the link's "
        f"token into the form. Stytch's B2B sandbox also accepts {SANDBOX_EMAIL} with organization "
        f"{SANDBOX_ORGANIZATION_ID} (no email is sent) and the token {SANDBOX_MAGIC_LINK_TOKEN}."
    )


def latest_sms_code(phone_number: str) -> str:
    """The passcode in the newest SMS to `phone_number` (emulator only)."""
    return _latest(phone_number, "sms")["code"]


def latest_magic_link_token(email_address: str) -> str:
    """The token in the newest magic-link email to `email_address` (emulator only)."""
    return _latest(email_address, "email")["token"]


def show_latest(recipient: str) -> None:
    """The newest message to a phone number or email address, as it would arrive."""
    channel = _channel(recipient)
    device = "phone" if channel == "sms" else "inbox"
    try:
        message = _latest(recipient, channel)
    except InboxUnavailable as unavailable:
        text = str(unavailable)
        display({"text/plain": text, "text/html": f"<p><i>{html.escape(text)}</i></p>"}, raw=True)
        return
    label = f"Emulator outbox — on a real project this arrives on the {device}"
    if channel == "sms":
        plain = f"{label}\nSMS to {message['to']} at {message['sent_at']}\n  {message['body']}"
        card = (
            # Theme colours: the bubble reads in JupyterLab's light and dark themes alike.
            "<div style='max-width:22em;background:var(--jp-layout-color2);color:var(--jp-content-font-color1);"
            "border-radius:1.2em;padding:0.6em 1em'>"
            f"{html.escape(message['body'])}</div>"
            f"<small>to {html.escape(message['to'])}, {html.escape(message['sent_at'])}</small>"
        )
    else:
        plain = (f"{label}\nEmail to {message['to']} at {message['sent_at']}\n"
                 f"  Subject: {message['subject']}\n" + "\n".join(f"  {line}" for line in message["body"].splitlines()))
        card = (
            "<div style='max-width:40em;border:1px solid var(--jp-border-color1);border-radius:0.4em;padding:0.6em 1em'>"
            f"<div><b>{html.escape(message['subject'])}</b></div>"
            f"<div><small>to {html.escape(message['to'])}, {html.escape(message['sent_at'])}</small></div>"
            f"<pre style='white-space:pre-wrap'>{html.escape(message['body'])}</pre></div>"
        )
    display({"text/plain": plain, "text/html": f"<p><small>{html.escape(label)}</small></p>{card}"}, raw=True)
