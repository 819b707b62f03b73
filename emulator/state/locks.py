"""User locks, as Stytch describes them (docs: resources/platform/user-locks): consecutive
failed authentication attempts lock the member for a while, and while locked every primary
and MFA call is refused with `user_lock_limit_reached`. The threshold and the lock's lifetime
are project settings (10 attempts and 1 hour by default).

What counts as a failure is a guess that was wrong: a wrong password, SMS code, TOTP code or
recovery code. A used or expired code, a replayed TOTP code or an unknown token is not a guess.
The counter restarts when the member gets a session, not when a primary factor alone succeeds:
otherwise every password login would give a password holder a fresh set of MFA guesses.

A failed attempt must be remembered although the request fails, so operations that count
failures run in `transaction()`, which answers a counted failure only after the commit.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, NoReturn

from emulator.clock import rfc3339
from emulator.errors import StytchAPIError
from emulator.state import Context, intermediate_sessions, members, project
from emulator.store import Record

COUNTED_ERRORS = frozenset({
    "unauthorized_credentials",  # a wrong password
    "otp_code_not_found",
    "invalid_totp_code",
    "unable_to_authenticate_totp",
    "unable_to_authenticate_recovery_code",
})


class _CountedFailure(Exception):
    """Raised inside transaction(): the failure was counted; answer `error` after the commit."""

    def __init__(self, error: StytchAPIError) -> None:
        super().__init__(error.error_message)
        self.error = error


@contextmanager
def transaction(ctx: Context) -> Iterator[None]:
    """One transaction for one operation, like Store.transaction(), except that a failure
    counted by fail() is committed before its error is answered."""
    counted: _CountedFailure | None = None
    with ctx.store.transaction():
        try:
            yield
        except _CountedFailure as failure:
            counted = failure
    if counted:
        raise counted.error from None


def check_unlocked(ctx: Context, member: Record) -> None:
    expires_at = member.get("_lock_expires_at") or 0.0
    if expires_at > ctx.clock.now():
        raise StytchAPIError(
            "user_lock_limit_reached",
            f"This member is locked after too many failed authentication attempts, until "
            f"{rfc3339(expires_at)}. Try again after that.",
        )


def fail(ctx: Context, member: Record, error: StytchAPIError, ist: Record | None = None) -> NoReturn:
    """A factor check failed with `error`. If it was a wrong guess, count it against the member
    (locking them at the threshold) and against the intermediate session it was made with;
    then answer `error`."""
    if error.error_type not in COUNTED_ERRORS:
        raise error
    settings = project.get(ctx)
    now = ctx.clock.now()
    if (member.get("_lock_expires_at") or 0.0) <= now and member.get("_lock_expires_at"):
        _clear(member)  # an expired lock: counting starts again
    member["_failed_attempts"] = member.get("_failed_attempts", 0) + 1
    if member["_failed_attempts"] >= settings.user_lock_threshold:
        member["_lock_created_at"] = now
        member["_lock_expires_at"] = now + settings.user_lock_ttl_minutes * 60
    members.save(ctx, member)
    if ist is not None:
        ist["failed_attempts"] = ist.get("failed_attempts", 0) + 1
        intermediate_sessions.save(ctx, ist)
    raise _CountedFailure(error)


def succeeded(member: Record) -> bool:
    """The member gets a session: the count of consecutive failures starts again. True if
    that changed the member (the caller saves it)."""
    changed = any(member.get(key) for key in _LOCK_KEYS)
    _clear(member)
    return changed


_LOCK_KEYS = ("_failed_attempts", "_lock_created_at", "_lock_expires_at")


def _clear(member: Record) -> None:
    for key in _LOCK_KEYS:
        member.pop(key, None)
