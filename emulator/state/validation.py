"""Checks on input values shared by several models, each raising Stytch's error type."""

from __future__ import annotations

import re
from typing import Iterable

import phonenumbers

from emulator.errors import StytchAPIError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SLUG = re.compile(r"^(?=.*[A-Za-z0-9])[A-Za-z0-9._~-]{2,128}$")


def email(value: str) -> str:
    if not _EMAIL.match(value or ""):
        raise StytchAPIError("invalid_email", f"{value!r} is not a valid email address.")
    return value.strip()


def phone_number(value: str) -> str:
    """An E.164 number (+ and digits, a real numbering plan), returned normalised."""
    message = (
        f"{value!r} is not a valid phone number. Phone numbers must be in E.164 format, "
        "for example +14155550123."
    )
    if not isinstance(value, str) or not re.fullmatch(r"\+[1-9]\d{6,14}", value):
        raise StytchAPIError("invalid_phone_number", message)
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise StytchAPIError("invalid_phone_number", message) from None
    if not phonenumbers.is_valid_number(parsed):
        raise StytchAPIError("invalid_phone_number", message)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def slug(value: str) -> str:
    if not _SLUG.match(value or ""):
        raise StytchAPIError(
            "invalid_organization_slug",
            "organization_slug must be 2-128 characters: letters, digits and - . _ ~ "
            "(at least one letter or digit).",
        )
    return value


def choice(error_type: str, field: str, value: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise StytchAPIError(error_type, f"{field} must be one of {', '.join(allowed)}; got {value!r}.")
    return value


def session_minutes(value: int | None, default: int, bounds: tuple[int, int]) -> int:
    if value is None:
        return default
    low, high = bounds
    if not low <= value <= high:
        raise StytchAPIError(
            "invalid_session_duration_minutes",
            f"session_duration_minutes must be between {low} and {high}.",
        )
    return value
