"""Where a check gets its real responses.

Most checks use the notebook's own backend: the shared emulator, or the Stytch test project the
credentials name. Checks and drills that move the clock use an emulator of their own, embedded
in the kernel: moving the shared emulator's clock would expire the codes and intermediate
sessions of every other notebook running beside this one (`make run` runs several at once) and
jump the simulated phone page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Callable

import pyotp
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl
from emulator.embedded import EmbeddedEmulator
from helpers.client import get_backend, get_client

TOTP_PERIOD = 30


@dataclass(eq=False)
class CheckBackend:
    client: stytch.B2BClient
    control: EmulatorControl | None  # None on a real Stytch project
    # Responses a check built once and reads again (its scenarios), by name.
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_emulator(self) -> bool:
        return self.control is not None

    def now(self) -> float:
        """The backend's time: the emulator's clock, or real time for Stytch."""
        return self.control.now() if self.control else time.time()

    def totp_code(self, secret: str, windows: int = 0) -> str:
        """The code an authenticator app shows `windows` 30-second windows from now (-1: the
        previous window)."""
        return pyotp.TOTP(secret, interval=TOTP_PERIOD).at(self.now() + windows * TOTP_PERIOD)

    def latest_sms(self, phone_number: str) -> dict | None:
        """The newest SMS to the number (emulator only)."""
        return self._outbox().latest_message(phone_number, "sms")

    def latest_sms_code(self, phone_number: str) -> str:
        message = self.latest_sms(phone_number)
        if message is None:
            raise LookupError(f"the emulator has sent no SMS to {phone_number}")
        return message["code"]

    def latest_magic_link_token(self, email_address: str) -> str:
        message = self._outbox().latest_message(email_address, "email")
        if message is None:
            raise LookupError(f"the emulator has sent no email to {email_address}")
        return message["token"]

    def memo(self, name: str, build: Callable[[], Any]) -> Any:
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]

    def _outbox(self) -> EmulatorControl:
        if self.control is None:
            raise RuntimeError("a real Stytch project has no outbox to read")
        return self.control


def for_emulator(url: str) -> CheckBackend:
    """A backend on the emulator at `url` (tests, and the embedded emulator)."""
    return CheckBackend(stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=url), EmulatorControl(url))


@cache
def notebook_backend() -> CheckBackend:
    """The notebook's own backend, through its one client (helpers.client)."""
    backend = get_backend()
    return CheckBackend(get_client(), EmulatorControl(backend.base_url) if backend.is_emulator else None)


@cache
def _embedded() -> EmbeddedEmulator:
    return EmbeddedEmulator().start()


def private_emulator() -> CheckBackend:
    """An emulator of this kernel's own, started on first use (in memory, a free port), whose
    clock a drill may move. The same one for every call in this kernel."""
    return _private_backend(_embedded().url)


@cache
def _private_backend(url: str) -> CheckBackend:
    return for_emulator(url)


def clock_backend() -> CheckBackend:
    """For checks that move the clock: a private emulator when the notebook runs on the
    emulator; the real project otherwise, where those cases are skipped."""
    return private_emulator() if get_backend().is_emulator else notebook_backend()
