"""A local emulator of the Stytch B2B API, for the official `stytch` SDK.

    from emulator import EmulatorServer, DEMO_PROJECT_ID, DEMO_SECRET
    with EmulatorServer(port=8765, db_path=None) as server:
        client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=server.url)
"""

from emulator.config import DEFAULT_PORT, DEMO_PROJECT_ID, DEMO_PUBLIC_TOKEN, DEMO_SECRET
from emulator.control import EmulatorControl
from emulator.server import EmulatorServer, PortInUseError

__all__ = [
    "DEFAULT_PORT",
    "DEMO_PROJECT_ID",
    "DEMO_PUBLIC_TOKEN",
    "DEMO_SECRET",
    "EmulatorControl",
    "EmulatorServer",
    "PortInUseError",
]
