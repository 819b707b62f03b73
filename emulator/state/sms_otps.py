"""SMS one-time passcodes: 6 random digits, stored hashed, one active code per member,
valid for 2 minutes and once."""

from __future__ import annotations

import hashlib
import hmac

from emulator import config
from emulator.errors import StytchAPIError
from emulator.state import Context, outbox
from emulator.store import Record

KIND = "sms_code"


def _hash(member_id: str, code: str) -> str:
    return hashlib.sha256(f"{member_id}:{code}".encode()).hexdigest()


def link_phone(member: Record, phone_number: str) -> None:
    """Attach a new, not yet verified, phone number to the member (the caller saves it)."""
    member["mfa_phone_number"] = phone_number
    member["mfa_phone_number_verified"] = False


def phone_id(ctx: Context, member: Record) -> str:
    """The ID of the member's phone factor, made on first use (the caller saves the member)."""
    if not member.get("_phone_id"):
        member["_phone_id"] = ctx.ids.prefixed("member-phone")
    return member["_phone_id"]


def send_code(ctx: Context, org: Record, member: Record) -> None:
    """A new code replaces any earlier one."""
    code = ctx.ids.digits(6)
    now = ctx.clock.now()
    ctx.store.put(
        KIND,
        member["member_id"],
        {
            "code_hash": _hash(member["member_id"], code),
            "phone_number": member["mfa_phone_number"],
            "expires_at": now + config.SMS_CODE_TTL,
            "used": False,
        },
        organization_id=member["organization_id"],
        member_id=member["member_id"],
        created=now,
    )
    outbox.send(
        ctx,
        "sms",
        member["mfa_phone_number"],
        f"{code} is your {org['organization_name']} verification code. It expires in 2 minutes.",
        code=code,
        organization_id=org["organization_id"],
        member_id=member["member_id"],
    )


def check_code(ctx: Context, member: Record, code: str) -> str:
    """Consume the member's code if `code` matches it; return the phone number it went to."""
    record = ctx.store.get(KIND, member["member_id"])
    if record is None or not hmac.compare_digest(record["code_hash"], _hash(member["member_id"], code or "")):
        raise StytchAPIError(
            "otp_code_not_found",
            "The passcode is incorrect. Check the code, or send a new one.",
        )
    if record["used"] or record["expires_at"] <= ctx.clock.now():
        raise StytchAPIError(
            "unable_to_auth_otp_code",
            "This passcode was already used or has expired (codes live 2 minutes). Send a new one.",
        )
    record["used"] = True
    ctx.store.put(KIND, member["member_id"], record, organization_id=member["organization_id"],
                  member_id=member["member_id"])
    return record["phone_number"]
