"""The emulator's clock: real time plus an offset that tests and demos can move forward.

Every expiry and every TOTP window reads this clock, so moving it is how a notebook shows an
expired code without waiting. The offset is persisted, so it survives a restart.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime, timezone

from emulator.errors import StytchAPIError
from emulator.store import Store

_OFFSET_KEY = "clock_offset_seconds"
# RFC 3339 timestamps end at year 9999, and the longest lifetime stamped from `now` is a
# session's 366 days: the clock stops a year short of the end.
LATEST = datetime(9998, 12, 31, tzinfo=timezone.utc).timestamp()

log = logging.getLogger("emulator")


class Clock:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._offset = self._stored_offset()
        if not self._in_range(self._offset):
            # An older emulator let the clock run past what timestamps can show, which broke
            # every route that stamps a time: start again from real time.
            log.warning("the stored clock offset %r is out of range; the clock is reset", self._offset)
            self.reset()

    def _stored_offset(self) -> float:
        try:
            return float(self._store.get_meta(_OFFSET_KEY) or 0.0)
        except ValueError:
            return math.nan

    @staticmethod
    def _in_range(offset: float) -> bool:
        return math.isfinite(offset) and offset >= 0 and time.time() + offset <= LATEST

    @property
    def offset_seconds(self) -> float:
        return self._offset

    def now(self) -> float:
        """Seconds since the epoch, as the emulator sees it."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move forward; refused (400) if the clock would pass LATEST."""
        with self._store.transaction():  # one advance at a time, read and written together
            offset = self._stored_offset() + seconds
            if not (seconds >= 0 and self._in_range(offset)):
                raise StytchAPIError(
                    "bad_request",
                    f"The clock only moves forward, and not past {rfc3339(LATEST)}: "
                    "reset it (POST /emulator/v1/clock/reset) to go further.",
                )
            self._set_offset(offset)

    def reset(self) -> None:
        self._set_offset(0.0)

    def _set_offset(self, offset: float) -> None:
        self._store.set_meta(_OFFSET_KEY, repr(offset))
        self._offset = offset


def rfc3339(timestamp: float) -> str:
    """Stytch's timestamp format: RFC 3339, UTC, second precision."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
