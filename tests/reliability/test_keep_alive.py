"""Keep-alive outlasts the SDK's idle gaps: uvicorn's default closed idle connections after
5 s, and a client that sent on one as it closed got ConnectionResetError."""

from __future__ import annotations

import socket
import time

from emulator import EmulatorServer
from reliability_steps import exchange, request_bytes

IDLE_SECONDS = 6.0  # past uvicorn's 5 s default


def test_a_connection_idle_for_longer_than_five_seconds_still_serves(
    emulator_server: EmulatorServer, idle_connection: tuple[socket.socket, float]
) -> None:
    sock, opened = idle_connection
    time.sleep(max(0.0, IDLE_SECONDS - (time.monotonic() - opened)))
    answer = exchange(sock, request_bytes("GET", "/emulator/v1/health", f"127.0.0.1:{emulator_server.port}"))
    assert answer.status == 200
