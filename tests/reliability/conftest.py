"""Fixtures of the reliability suite: a Basic-auth session on a fresh state, a tenant, and
private emulators for the tests that kill or poison one."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
import requests

from emulator import EmulatorControl, EmulatorServer
from emulator.server import free_port
from reliability_steps import AUTH, Tenant, exchange, make_tenant, request_bytes


@pytest.fixture
def http(emulator_server: EmulatorServer, control: EmulatorControl) -> Iterator[requests.Session]:
    """Basic auth for the Stytch routes, on a state that was just reset."""
    with requests.Session() as session:
        session.auth = AUTH
        yield session


@pytest.fixture
def tenant(http: requests.Session, emulator_server: EmulatorServer) -> Tenant:
    """An organization where MFA is optional, with one active member."""
    return make_tenant(http, emulator_server.url)


@pytest.fixture
def private_emulator(tmp_path: Path) -> Iterator[Callable[..., EmulatorServer]]:
    """Start emulators of the test's own (file state, a log file); stopped at the end."""
    started: list[EmulatorServer] = []

    def start(db_path: Path | None = None) -> EmulatorServer:
        db = db_path or tmp_path / "state.sqlite3"
        server = EmulatorServer(port=free_port(), db_path=db, log_path=db.with_suffix(".log")).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session", autouse=True)
def idle_connection(emulator_server: EmulatorServer) -> Iterator[tuple[socket.socket, float]]:
    """A kept-alive connection opened when the suite starts and then left idle, for
    test_keep_alive.py (which runs late, so the suite's own time covers most of the wait)."""
    with socket.create_connection(("127.0.0.1", emulator_server.port)) as sock:
        host = f"127.0.0.1:{emulator_server.port}"
        assert exchange(sock, request_bytes("GET", "/emulator/v1/health", host)).status == 200
        yield sock, time.monotonic()
