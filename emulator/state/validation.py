"""Checks on input values shared by several models, each raising Stytch's error type."""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable

import phonenumbers

from emulator.errors import StytchAPIError

# ASCII addresses only (RFC 5321 without SMTPUTF8): dot-atom local part, hostname domain.
# [INFER] Stytch documents no rule; ASCII also keeps lowercased emails from colliding.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_EMAIL = re.compile(rf"({_LOCAL})@({_DOMAIN.pattern})")
_SLUG = re.compile(r"^(?=.*[A-Za-z0-9])[A-Za-z0-9._~-]{2,128}$")
_EXTERNAL_ID = re.compile(r"[A-Za-z0-9._|-]{1,128}")  # SDK docstrings
# Control characters, and the invisible ones that make a name read differently from what it
# is: bidirectional overrides and isolates, zero-width joiners, the byte-order mark.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200c-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

ORGANIZATION_NAME_MAX = 128  # SDK docstrings
MEMBER_NAME_MAX = 255  # [INFER]
LOGO_URL_MAX = 2048  # [INFER]
METADATA_KEYS_MAX = 20  # Stytch's metadata docs
METADATA_BYTES_MAX = 4096  # Stytch's metadata docs ("4KB")
CUSTOM_CLAIMS_BYTES_MAX = 4096  # SDK docstrings ("4KB")


def email(value: str) -> str:
    match = _EMAIL.fullmatch(value) if isinstance(value, str) else None
    if not match or len(value) > 254 or len(match.group(1)) > 64 or len(match.group(2)) > 253:
        shown = value if isinstance(value, str) and len(value) <= 80 else "That"
        raise StytchAPIError(
            "invalid_email",
            f"{shown!r} is not a valid email address (ASCII, at most 64 characters before the @ "
            "and 254 in all).",
        )
    return value


def text(value: str, field: str, error_type: str, maximum: int, minimum: int = 0) -> str:
    """A name people read: not too long, and nothing hidden in it."""
    if "\u200b" in value:
        raise StytchAPIError("forbidden_character_zero_width_space", f"{field} contains a zero-width space.")
    if _HIDDEN.search(value):
        raise StytchAPIError(error_type, f"{field} contains control or invisible formatting characters.")
    if not minimum <= len(value) <= maximum:
        raise StytchAPIError(error_type, f"{field} must be {minimum}-{maximum} characters long.")
    return value


def organization_name(value: str) -> str:
    if not value:
        raise StytchAPIError("organization_name_missing", "organization_name is required.")
    return text(value, "organization_name", "invalid_organization_name", ORGANIZATION_NAME_MAX, 1)


def external_id(value: str, error_type: str) -> str:
    if value and not _EXTERNAL_ID.fullmatch(value):
        raise StytchAPIError(
            error_type, "An external ID is 1-128 letters, digits and . _ - | characters."
        )
    return value


def _json_size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def metadata(value: Any, field: str) -> Any:
    if not isinstance(value, dict):
        raise StytchAPIError("metadata_invalid_format", f"{field} must be a JSON object.")
    if len(value) > METADATA_KEYS_MAX:
        raise StytchAPIError("metadata_too_many_keys", f"{field} may have at most {METADATA_KEYS_MAX} top-level keys.")
    if _json_size(value) > METADATA_BYTES_MAX:
        raise StytchAPIError("metadata_too_large", f"{field} may be at most {METADATA_BYTES_MAX} bytes as JSON.")
    return value


def domains(value: list[Any], field: str, error_type: str) -> list[Any]:
    for domain in value:
        if isinstance(domain, str) and not (len(domain) <= 253 and _DOMAIN.fullmatch(domain)):
            raise StytchAPIError(error_type, f"{field}: {domain[:80]!r} is not a domain name.")
    return value


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


def _custom_claims(value: Any) -> None:
    if isinstance(value, dict) and _json_size(value) > CUSTOM_CLAIMS_BYTES_MAX:
        raise StytchAPIError("custom_claims_too_large",
                             f"session_custom_claims may be at most {CUSTOM_CLAIMS_BYTES_MAX} bytes as JSON.")


def _logo_url(value: str) -> None:
    if len(value) > LOGO_URL_MAX:
        raise StytchAPIError("organization_logo_url_too_long", f"organization_logo_url is over {LOGO_URL_MAX} characters.")
    text(value, "organization_logo_url", "bad_request", LOGO_URL_MAX)


# Rules by field name, for every request body, so a value Stytch refuses is never stored.
# Each applies to a value of its field's type; a wrong type is left to the route's schema.
_FIELD_RULES: dict[str, tuple[type, Callable[[Any], Any]]] = {
    "email_address": (str, email),
    "organization_name": (str, organization_name),
    "organization_slug": (str, slug),
    "name": (str, lambda v: text(v, "name", "bad_request", MEMBER_NAME_MAX)),
    "external_id": (str, lambda v: external_id(v, "bad_request")),
    "organization_external_id": (str, lambda v: external_id(v, "invalid_organization_external_id")),
    "organization_logo_url": (str, _logo_url),
    "trusted_metadata": (object, lambda v: metadata(v, "trusted_metadata")),
    "untrusted_metadata": (object, lambda v: metadata(v, "untrusted_metadata")),
    "session_custom_claims": (dict, _custom_claims),
    "email_allowed_domains": (list, lambda v: domains(v, "email_allowed_domains", "organization_settings_invalid_domain")),
    "claimed_email_domains": (list, lambda v: domains(v, "claimed_email_domains", "organization_settings_invalid_claimed_domain")),
}


def fields(body: dict[str, Any]) -> None:
    """Check the fields of a request body that Stytch has rules for (see _FIELD_RULES)."""
    for field, value in body.items():
        rule = _FIELD_RULES.get(field)
        if rule is not None and value is not None and isinstance(value, rule[0]):
            rule[1](value)
