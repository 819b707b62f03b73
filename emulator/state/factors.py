"""Authentication factors in the SDK's shape: the type/delivery_method pairs it accepts."""

from __future__ import annotations

from emulator.clock import rfc3339
from emulator.store import Record

# Factors that prove the email address, so sessions.exchange carries them to another organization.
EMAIL_VERIFYING_TYPES = ("magic_link", "email_otp", "sso", "oauth")
SECONDARY_TYPES = ("otp", "totp", "recovery_codes")


def _factor(type_: str, delivery: str, now: float, **detail: dict) -> Record:
    stamp = rfc3339(now)
    return {
        "type": type_,
        "delivery_method": delivery,
        "last_authenticated_at": stamp,
        "created_at": stamp,
        "updated_at": stamp,
        **detail,
    }


def magic_link(now: float, email_id: str, email_address: str) -> Record:
    return _factor("magic_link", "email", now,
                   email_factor={"email_id": email_id, "email_address": email_address})


def password(now: float) -> Record:
    return _factor("password", "knowledge", now)


def sms_otp(now: float, phone_id: str, phone_number: str) -> Record:
    return _factor("otp", "sms", now,
                   phone_number_factor={"phone_id": phone_id, "phone_number": phone_number})


def totp(now: float, totp_id: str) -> Record:
    return _factor("totp", "authenticator_app", now, authenticator_app_factor={"totp_id": totp_id})


def recovery_code(now: float, recovery_code_id: str) -> Record:
    return _factor("recovery_codes", "recovery_code", now,
                   recovery_code_factor={"totp_recovery_code_id": recovery_code_id})


def has_secondary(factors: list[Record]) -> bool:
    return any(f["type"] in SECONDARY_TYPES for f in factors)


def merge(existing: list[Record], new: Record) -> list[Record]:
    """Factors with `new` added; a factor of the same type and delivery is replaced."""
    kept = [f for f in existing
            if (f["type"], f["delivery_method"]) != (new["type"], new["delivery_method"])]
    return kept + [new]
