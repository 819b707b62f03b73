"""Messages the emulator "sends": SMS passcodes and magic-link emails, readable only through
the emulator-only API (a real project delivers them to a phone or an inbox)."""

from __future__ import annotations

from typing import Any

from emulator.clock import rfc3339
from emulator.state import Context
from emulator.store import Record

KIND = "message"


def send(ctx: Context, channel: str, to: str, body: str, **extra: Any) -> Record:
    now = ctx.clock.now()
    message = {
        "message_id": ctx.ids.prefixed("message"),
        "channel": channel,
        "to": to,
        "body": body,
        "sent_at": rfc3339(now),
        **extra,
    }
    ctx.store.put(KIND, message["message_id"], message, lookup=to.lower(), created=now)
    return message


def list_messages(ctx: Context, to: str | None = None, channel: str | None = None) -> list[Record]:
    """Newest first."""
    found = ctx.store.find(KIND, lookup=to.lower() if to else None)
    return [m for m in reversed(found) if channel is None or m["channel"] == channel]


def clear(ctx: Context) -> None:
    for message in ctx.store.find(KIND):
        ctx.store.delete(KIND, message["message_id"])
