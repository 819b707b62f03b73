"""What a notebook may show of a credential: a prefix to recognise it by, never enough to use.

Shared by everything that shows Stytch's requests or answers (the show module, the call log,
the settings line), so one rule decides what counts as a secret.
"""

from __future__ import annotations

from typing import Any, Iterable

# Credentials that authenticate a member: shown as a 6-character prefix.
TOKEN_KEYS = frozenset({"session_token", "session_jwt", "intermediate_session_token", "magic_links_token"})
# What a person types or keeps to prove who they are: never shown at all in a log.
SECRET_KEYS = frozenset({"code", "recovery_code", "recovery_codes", "password", "hash", "secret"})
HIDDEN = "••••••"


def mask(value: str, keep: int = 6) -> str:
    """The first `keep` characters and an ellipsis: enough to recognise, useless to replay."""
    return value[:keep] + "…" if value else value


def looks_like_jwt(value: str) -> bool:
    return value.startswith("eyJ") and value.count(".") == 2


def masked(value: Any, hide: Iterable[str] = (), key: str | None = None) -> Any:
    """A copy of JSON-like `value` with tokens and JWTs shortened to a prefix, data URLs cut
    short, and the values of the keys in `hide` replaced by HIDDEN (lists item by item)."""
    hide = frozenset(hide)
    if isinstance(value, dict):
        return {k: masked(v, hide, k) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v, hide, key) for v in value]
    if isinstance(value, str) and value:
        if key in hide:
            return HIDDEN
        if key in TOKEN_KEYS or looks_like_jwt(value):
            return mask(value)
        if value.startswith("data:") and ";base64," in value and len(value) > 64:
            return value.split(",", 1)[0] + ",…"
    return value
