"""What the simulated phone's authenticator app shows (emulator only): every TOTP registration
the emulator holds, pending or active, with its code at the emulator's time.

The codes are computed here, on the emulator's clock, so a page needs no secret and follows the
clock when a demo moves it. Stytch has no such read: a real authenticator scans the QR code.
"""

from __future__ import annotations

from typing import Any

import pyotp

from emulator.clock import rfc3339
from emulator.state import Context, members, organizations, totps

PERIOD = 30  # seconds a code lasts (RFC 6238's default, the one Stytch uses)


def current_step(now: float) -> int:
    return int(now // PERIOD)


def registrations(ctx: Context) -> dict[str, Any]:
    """The registrations, newest first, and the time window their codes belong to."""
    now = ctx.clock.now()
    step = current_step(now)
    found = ctx.store.find(totps.KIND)
    return {
        "now_unix": now,
        "period_seconds": PERIOD,
        "step_ends_at_unix": (step + 1) * PERIOD,
        "totp_registrations": [_entry(ctx, totp, now, step) for totp in reversed(found)],
    }


def _entry(ctx: Context, totp: dict[str, Any], now: float, step: int) -> dict[str, Any]:
    generator = pyotp.TOTP(totp["secret"], interval=PERIOD)
    member = ctx.store.get(members.KIND, totp["member_id"]) or {}
    org = ctx.store.get(organizations.KIND, totp["organization_id"]) or {}
    pending = totp["status"] == "pending"
    return {
        "totp_registration_id": totp["totp_id"],
        "member_id": totp["member_id"],
        "organization_id": totp["organization_id"],
        "email_address": member.get("email_address", ""),
        "organization_name": org.get("organization_name", ""),
        "status": totp["status"],
        # A pending registration must be confirmed before it expires; an active one never does.
        "expires_at": rfc3339(totp["expires_at"]) if pending else None,
        "expired": pending and totp["expires_at"] <= now,
        "code": generator.generate_otp(step),
        # Stytch accepts a code once: this one, or a later one, was already used.
        "code_used": step <= totp["last_step"],
        "next_code": generator.generate_otp(step + 1),
    }
