"""What a JSON request body must be before any route reads it.

Strict JSON in valid UTF-8; text without lone surrogates or NUL; finite numbers within 64 bits;
bounded sizes; then Stytch's rules for the fields it names (state/validation.py). A body that
breaks one is refused with 400 in Stytch's shape, so nothing it holds is ever stored. The
limits are listed in emulator/README.md.
"""

from __future__ import annotations

import json
from typing import Any

from emulator.errors import StytchAPIError
from emulator.state import validation

MAX_BODY_BYTES = 256 * 1024
MAX_STRING_CHARS = 16_384  # a session JWT with 4 KB of custom claims fits
MAX_ITEMS = 1_000  # entries of an array, keys of an object
MAX_DEPTH = 32
INT_LIMIT = 2**63  # Stytch's integer fields are 64-bit


def _refuse(message: str) -> StytchAPIError:
    return StytchAPIError("bad_request", message)


def _constant(name: str) -> Any:
    raise _refuse(f"{name} is not a JSON number: numbers must be finite.")


def _float(literal: str) -> float:
    value = float(literal)
    if value in (float("inf"), float("-inf")):
        raise _refuse(f"The number {literal[:40]} is too large: numbers must be finite.")
    return value


def _int(literal: str) -> int:
    value = int(literal) if len(literal) <= 20 else INT_LIMIT
    if not -INT_LIMIT <= value < INT_LIMIT:
        raise _refuse(f"The integer {literal[:40]}... is out of range: integers are 64-bit.")
    return value


def _name(key: str) -> str:
    """A key fit to quote in an error message (it may itself be what is wrong)."""
    return key if key.isascii() and key.isprintable() and len(key) <= 64 else json.dumps(key[:64])


def _check_text(text: str, where: str) -> None:
    if len(text) > MAX_STRING_CHARS:
        raise _refuse(f"{where}: text is limited to {MAX_STRING_CHARS} characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(f"{where}: text holds a lone surrogate (\\ud800-\\udfff), which is not Unicode.") from None
    if "\x00" in text:
        raise _refuse(f"{where}: text holds a NUL character (\\u0000).")


def _check(value: Any, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _refuse(f"{where}: nested deeper than {MAX_DEPTH} levels.")
    if isinstance(value, str):
        _check_text(value, where)
    elif isinstance(value, (list, dict)):
        if len(value) > MAX_ITEMS:
            raise _refuse(f"{where}: more than {MAX_ITEMS} entries.")
        if isinstance(value, list):
            for i, item in enumerate(value):
                _check(item, f"{where}[{i}]", depth + 1)
        else:
            for key, item in value.items():
                _check_text(key, f"{where}: a key")
                _check(item, f"{where}.{_name(key)}" if where != "body" else _name(key), depth + 1)


def is_json(content_type: str | None) -> bool:
    """What FastAPI parses as JSON: no content type, or a JSON media type."""
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def check(raw: bytes) -> None:
    """Refuse the body (StytchAPIError, 400) unless it is JSON the emulator may store."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse("The request body is not valid UTF-8.") from None
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except (ValueError, RecursionError):
        raise _refuse("The request body is not valid JSON.") from None
    if isinstance(value, dict):
        validation.fields(value)  # first, so a bad email is invalid_email whatever is wrong in it
    _check(value, "body", 0)
