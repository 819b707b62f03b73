"""TOTP registrations (RFC 6238: SHA1, 6 digits, 30 s, ±1 step) and their recovery codes."""

from __future__ import annotations

import base64
import io

import pyotp
import qrcode

from emulator import config
from emulator.errors import StytchAPIError
from emulator.state import Context, members
from emulator.store import Record

KIND = "totp"


def find(ctx: Context, member: Record) -> Record | None:
    """The member's registration, active or pending (there is at most one)."""
    found = ctx.store.find(KIND, member_id=member["member_id"])
    return found[-1] if found else None


def save(ctx: Context, totp: Record) -> None:
    ctx.store.put(KIND, totp["totp_id"], totp, organization_id=totp["organization_id"],
                  member_id=totp["member_id"], created=ctx.clock.now())


def create(ctx: Context, org: Record, member: Record, expiration_minutes: int | None) -> Record:
    default, low, high = config.TOTP_EXPIRATION_MINUTES
    minutes = default if expiration_minutes is None else expiration_minutes
    if not low <= minutes <= high:
        raise StytchAPIError("invalid_expiration", f"expiration_minutes must be between {low} and {high}.")
    if member["totp_registration_id"]:
        raise StytchAPIError(
            "active_totp_exists",
            "This member already has an active TOTP registration; delete it first "
            "(organizations.members.delete_totp) to register a new one.",
        )
    pending = find(ctx, member)
    if pending and pending["expires_at"] > ctx.clock.now():
        raise StytchAPIError(
            "pending_totp_exists",
            "This member already has a TOTP registration waiting for its first code: confirm it "
            "with totps.authenticate, let it expire, or delete it (organizations.members.delete_totp).",
        )
    if pending:
        ctx.store.delete(KIND, pending["totp_id"])  # an expired registration is gone
    totp = {
        "totp_id": ctx.ids.prefixed("member-totp"),
        "member_id": member["member_id"],
        "organization_id": member["organization_id"],
        "secret": ctx.ids.totp_secret(),
        "status": "pending",
        "expires_at": ctx.clock.now() + minutes * 60,
        "last_step": -1,
        "recovery_codes": _new_codes(ctx),
    }
    save(ctx, totp)
    return totp


def qr_code(totp: Record, org: Record, member: Record) -> str:
    """The otpauth:// URI as a PNG data URL, what an authenticator app scans."""
    uri = pyotp.TOTP(totp["secret"]).provisioning_uri(
        name=member["email_address"], issuer_name=org["organization_name"]
    )
    buffer = io.BytesIO()
    qrcode.make(uri).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def check_code(ctx: Context, member: Record, code: str) -> Record:
    """Accept a code once, within ±1 step of the emulator's clock; activate a pending TOTP
    (the member's totp_registration_id is set; the caller saves the member)."""
    totp = find(ctx, member)
    if totp is None:
        raise StytchAPIError("totp_not_found", "This member has no TOTP registration. Create one first.")
    now = ctx.clock.now()
    if totp["status"] == "pending" and totp["expires_at"] <= now:
        raise StytchAPIError(
            "expired_totp",
            "This TOTP registration expired before it was confirmed. Create a new one.",
        )
    if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
        raise StytchAPIError("invalid_totp_code", "A TOTP code is 6 digits.")
    generator = pyotp.TOTP(totp["secret"])
    step = next(
        (generator.timecode(now) + offset for offset in (-1, 0, 1)
         if generator.at(now, counter_offset=offset) == code),
        None,
    )
    if step is None:
        raise StytchAPIError(
            "unable_to_authenticate_totp",
            "The TOTP code is incorrect. Check the authenticator app's clock and try the current code.",
        )
    if step <= totp["last_step"]:
        raise StytchAPIError(
            "totp_code_already_authenticated",
            "This TOTP code was already used. Wait for the next code.",
        )
    totp["last_step"] = step
    if totp["status"] == "pending":
        totp["status"] = "active"
        member["totp_registration_id"] = totp["totp_id"]
    save(ctx, totp)
    return totp


def delete(ctx: Context, member: Record) -> None:
    totp = find(ctx, member)
    if totp is None:
        raise StytchAPIError("totp_not_found", "This member has no TOTP registration.")
    ctx.store.delete(KIND, totp["totp_id"])
    members.clear_totp(ctx, member)


# Recovery codes --------------------------------------------------------------------------


def _new_codes(ctx: Context) -> list[Record]:
    return [{"id": ctx.ids.prefixed("totp-recovery-code"), "code": ctx.ids.recovery_code(), "used": False}
            for _ in range(config.RECOVERY_CODE_COUNT)]


def _active(ctx: Context, member: Record) -> Record:
    totp = find(ctx, member)
    if totp is None or totp["status"] != "active":
        raise StytchAPIError(
            "no_active_recovery_code_backed_factor",
            "Recovery codes come with an active TOTP registration, and this member has none.",
        )
    return totp


def unused_codes(ctx: Context, member: Record) -> list[str]:
    return [c["code"] for c in _active(ctx, member)["recovery_codes"] if not c["used"]]


def rotate_codes(ctx: Context, member: Record) -> list[str]:
    totp = _active(ctx, member)
    totp["recovery_codes"] = _new_codes(ctx)
    save(ctx, totp)
    return [c["code"] for c in totp["recovery_codes"]]


def use_recovery_code(ctx: Context, member: Record, code: str) -> tuple[str, int]:
    """Spend one code; return its id and how many remain."""
    totp = _active(ctx, member)
    match = next((c for c in totp["recovery_codes"] if not c["used"] and c["code"] == (code or "").lower()), None)
    if match is None:
        raise StytchAPIError(
            "unable_to_authenticate_recovery_code",
            "This recovery code is incorrect or was already used.",
        )
    match["used"] = True
    save(ctx, totp)
    return match["id"], sum(not c["used"] for c in totp["recovery_codes"])
