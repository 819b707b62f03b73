"""A Python client for the emulator-only API (/emulator/v1): outbox, TOTP registrations, clock,
project settings, reset, seed; and the address of the simulated phone page."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class EmulatorControl:
    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict | None = None, **query: Any) -> dict:
        params = {k: v for k, v in query.items() if v is not None}
        url = f"{self.base_url}/emulator/v1{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read() or b"{}")
            raise RuntimeError(f"emulator: {detail.get('error_message', error)}") from None

    def health(self) -> dict:
        return self._call("GET", "/health")

    @property
    def phone_url(self) -> str:
        """The simulated phone page, for a browser tab or a frame beside the notebook."""
        return f"{self.base_url}/emulator/v1/phone"

    # Outbox
    def messages(self, to: str | None = None, channel: str | None = None, limit: int | None = None) -> list[dict]:
        """Messages sent so far, newest first (the newest `limit` of them)."""
        return self._call("GET", "/messages", to=to, channel=channel, limit=limit)["messages"]

    def latest_message(self, to: str, channel: str | None = None) -> dict | None:
        """The newest message to `to`; the emulator reads that one message only."""
        found = self.messages(to=to, channel=channel, limit=1)
        return found[0] if found else None

    def clear_messages(self) -> None:
        self._call("DELETE", "/messages")

    # Authenticator app
    def totp_registrations(self) -> list[dict]:
        """Every TOTP registration, pending and active, newest first: member, organization,
        status, and the `code` of the emulator's current 30 s window (`code_used` once Stytch
        has accepted it) and the `next_code`. Never the secret."""
        return self._call("GET", "/totp_registrations")["totp_registrations"]

    # Clock
    def clock(self) -> dict:
        return self._call("GET", "/clock")

    def now(self) -> float:
        """The emulator's time, in seconds since the epoch: what a simulated authenticator uses."""
        return self.clock()["now_unix"]

    def advance_clock(self, seconds: float) -> dict:
        return self._call("POST", "/clock/advance", {"seconds": seconds})

    def reset_clock(self) -> dict:
        return self._call("POST", "/clock/reset")

    # Project settings
    def project(self) -> dict:
        """The project's settings (redirect URLs, SMS countries, masking, locks, rate limits)."""
        return self._call("GET", "/project")["project"]

    def update_project(self, **changes: Any) -> dict:
        """Replace the named settings, e.g. update_project(mask_mfa_phone_number=False);
        returns all settings. POST /emulator/v1/reset restores the defaults."""
        return self._call("PATCH", "/project", changes)["project"]

    # State
    def reset(self, seed: int | None = None) -> None:
        """Wipe all state, reset the clock and restore the default project settings."""
        self._call("POST", "/reset", {"seed": seed})

    def seed(self, seed: int | None) -> None:
        self._call("POST", "/seed", {"seed": seed})

    def shutdown(self) -> None:
        self._call("POST", "/shutdown")
