"""Rate limits, as Stytch describes them (docs: resources/platform/rate-limits): counted per
field (a phone number, a member, an intermediate session) over fixed windows that start at the
top of the hour, not rolling ones. Over the limit, Stytch answers 429 `too_many_requests` and
does nothing, so a refused send leaves the code already texted valid.

The numbers are project settings; Stytch does not publish its own (see README.md).
"""

from __future__ import annotations

from emulator.errors import StytchAPIError
from emulator.state import Context, project
from emulator.store import Record

KIND = "rate_count"
_HOUR = 3600


def _window(ctx: Context) -> int:
    return int(ctx.clock.now() // _HOUR)


def _count(ctx: Context, scope: str, key: str) -> int:
    record = ctx.store.get(KIND, f"{scope}:{key}:{_window(ctx)}")
    return record["count"] if record else 0


def _add(ctx: Context, scope: str, key: str, member: Record | None) -> None:
    window = _window(ctx)
    lookup = f"{scope}:{key}"
    for old in ctx.store.find(KIND, lookup=lookup):  # earlier windows are over
        if old["window"] != window:
            ctx.store.delete(KIND, f"{lookup}:{old['window']}")
    ctx.store.put(
        KIND, f"{lookup}:{window}", {"window": window, "count": _count(ctx, scope, key) + 1},
        lookup=lookup,
        organization_id=member["organization_id"] if member else None,
        member_id=member["member_id"] if member else None,
    )


def may_send_sms(ctx: Context, member: Record, phone_number: str) -> bool:
    settings = project.get(ctx)
    return (_count(ctx, "sms_phone", phone_number) < settings.sms_sends_per_phone_per_hour
            and _count(ctx, "sms_member", member["member_id"]) < settings.sms_sends_per_member_per_hour)


def count_sms(ctx: Context, member: Record, phone_number: str) -> None:
    """Count one SMS sent to the phone for the member; refuse with 429 if either is over."""
    if not may_send_sms(ctx, member, phone_number):
        raise StytchAPIError(
            "too_many_requests",
            "Too many SMS codes were sent to this phone number or member in this hour. Use the "
            "code already sent, or try again after the top of the hour.",
        )
    _add(ctx, "sms_phone", phone_number, None)
    _add(ctx, "sms_member", member["member_id"], member)


def check_attempts(ctx: Context, ist: Record) -> None:
    """An intermediate session allows a few wrong codes; then the member must log in again."""
    if ist.get("failed_attempts", 0) >= project.get(ctx).intermediate_session_failed_attempts:
        raise StytchAPIError(
            "too_many_requests",
            "Too many wrong codes were tried with this intermediate session. Log in again "
            "(primary authentication) to get a new one.",
        )
