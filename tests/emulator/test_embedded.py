"""The emulator embedded in a process (a kernel's private one): it answers the SDK, keeps its
own state and clock, and stops listening when stopped."""

from __future__ import annotations

import socket

import pytest
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl
from emulator.embedded import EmbeddedEmulator


def test_it_serves_the_sdk_and_stops() -> None:
    with EmbeddedEmulator() as one, EmbeddedEmulator() as two:
        client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=one.url)
        client.organizations.create(organization_name="Embedded", organization_slug="embedded")
        EmulatorControl(one.url).advance_clock(600)
        # Two embedded emulators share nothing: state and clock are each their own.
        assert EmulatorControl(one.url).clock()["offset_seconds"] == 600
        assert EmulatorControl(two.url).clock()["offset_seconds"] == 0
        other = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=two.url)
        assert other.organizations.search().organizations == []
        port = one.port
    assert not one.running
    with pytest.raises(ConnectionRefusedError):  # nothing listens there any more
        socket.create_connection(("127.0.0.1", port), timeout=2)
