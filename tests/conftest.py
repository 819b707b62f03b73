"""Shared fixtures: one emulator process for the test session, reset before each test."""

from __future__ import annotations

from pathlib import Path

import pytest
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from emulator.server import free_port




@pytest.fixture(scope="session")
def emulator_server(tmp_path_factory: pytest.TempPathFactory) -> EmulatorServer:
    db = tmp_path_factory.mktemp("emulator") / "state.sqlite3"
    log = Path(db).with_suffix(".log")
    with EmulatorServer(port=free_port(), db_path=db, log_path=log) as server:
        yield server


@pytest.fixture
def control(emulator_server: EmulatorServer) -> EmulatorControl:
    control = EmulatorControl(emulator_server.url)
    control.reset()
    return control


@pytest.fixture
def client(emulator_server: EmulatorServer, control: EmulatorControl) -> stytch.B2BClient:
    return stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=emulator_server.url)
