"""Messages the emulator "sends": SMS passcodes and magic-link emails, readable only through
the emulator-only API (a real project delivers them to a phone or an inbox)."""

from __future__ import annotations

from typing import Any

from emulator.clock import rfc3339
from emulator.state import Context
from emulator.store import Match, Record

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


def list_messages(
    ctx: Context, to: str | None = None, channel: str | None = None, limit: int | None = None
) -> list[Record]:
    """Newest first; `limit` of them are read (the newest SMS to a phone is one index step)."""
    scope = [Match("lookup", "in", [to.lower()])] if to else []
    if channel:
        scope.append(Match("$.channel", "in", [channel]))
    return ctx.store.search(KIND, scope, limit=limit, newest_first=True)


def clear(ctx: Context) -> None:
    ctx.store.delete_where(kind=KIND)
