"""A simulated authenticator app, for headless runs that cannot scan a QR code.

It computes the same RFC 6238 codes a phone app would (SHA1, 6 digits, 30 s). Its clock is the
backend's: the emulator's own clock (which demos may move forward) or real time for a real
Stytch project, so the codes match what the backend expects.
"""

from __future__ import annotations

import time

import pyotp

from emulator import EmulatorControl
from helpers.client import get_backend

PERIOD = 30

# The newest time step this process produced a code for, per secret: Stytch accepts each TOTP
# code once, so next_code() must move past it.
_last_step: dict[str, int] = {}


class Authenticator:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self._totp = pyotp.TOTP(secret, digits=6, interval=PERIOD)  # SHA1 is pyotp's default

    def _now(self) -> float:
        backend = get_backend()
        if backend.is_emulator:
            return EmulatorControl(backend.base_url).now()
        return time.time()

    def code(self) -> str:
        """The code for now (the emulator's clock on the emulator)."""
        return self._code_at(self._now())

    def next_code(self) -> str:
        """A code from a time window after every code this process already produced for this
        secret: use it when the current code may have been used already.

        On the emulator this moves the emulator's clock forward to the next window (at most
        30 s; emulator only, it also ages SMS codes and sessions). On a real project it sleeps
        until the next window."""
        now = self._now()
        last = _last_step.get(self.secret)
        if last is not None and int(now // PERIOD) <= last:
            wait = (last + 1) * PERIOD - now + 0.5  # land safely inside the next window
            backend = get_backend()
            if backend.is_emulator:
                EmulatorControl(backend.base_url).advance_clock(wait)
            else:
                time.sleep(wait)
            now += wait
        return self._code_at(now)

    def _code_at(self, now: float) -> str:
        step = int(now // PERIOD)
        _last_step[self.secret] = max(step, _last_step.get(self.secret, step))
        return self._totp.generate_otp(step)
