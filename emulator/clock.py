"""The emulator's clock: real time plus an offset that tests and demos can move forward.

Every expiry and every TOTP window reads this clock, so moving it is how a notebook shows an
expired code without waiting. The offset is persisted, so it survives a restart.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from emulator.store import Store

_OFFSET_KEY = "clock_offset_seconds"


class Clock:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._offset = float(store.get_meta(_OFFSET_KEY) or 0.0)

    @property
    def offset_seconds(self) -> float:
        return self._offset

    def now(self) -> float:
        """Seconds since the epoch, as the emulator sees it."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._set_offset(self._offset + seconds)

    def reset(self) -> None:
        self._set_offset(0.0)

    def _set_offset(self, offset: float) -> None:
        self._offset = offset
        self._store.set_meta(_OFFSET_KEY, repr(offset))


def rfc3339(timestamp: float) -> str:
    """Stytch's timestamp format: RFC 3339, UTC, second precision."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
