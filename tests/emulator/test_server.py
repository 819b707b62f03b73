"""Running the emulator: the background server's life cycle and the command line."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from emulator import EmulatorControl, EmulatorServer, PortInUseError
from emulator.server import free_port, probe


def test_start_reuses_a_healthy_emulator_and_stop_leaves_it_running(emulator_server: EmulatorServer) -> None:
    again = EmulatorServer(port=emulator_server.port).start()
    assert again.reused and again.process is None
    again.stop()
    assert EmulatorControl(emulator_server.url).health()["status"] == "ok"


def test_a_port_held_by_another_program_is_reported() -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"Port {port} .* not the Stytch emulator"):
            EmulatorServer(port=port, db_path=None).start(timeout=5)


def test_state_file_is_created_and_stop_ends_the_process(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "state.sqlite3"
    server = EmulatorServer(port=free_port(), db_path=db).start()
    process = server.process
    server.stop()
    assert db.exists() and process.poll() is not None


def test_cli_serves_on_loopback_only(tmp_path: Path) -> None:
    port = free_port()
    cli = subprocess.Popen([sys.executable, "-m", "emulator", "--port", str(port), "--ephemeral", "--quiet"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        banner = cli.stdout.readline()
        assert f"http://127.0.0.1:{port}" in banner and "memory" in banner
        deadline = time.monotonic() + 20
        while not probe(port):
            assert time.monotonic() < deadline and cli.poll() is None, "the CLI never answered"
            time.sleep(0.05)
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
        assert f"127.0.0.1:{port}" in listening and f"0.0.0.0:{port}" not in listening
    finally:
        cli.terminate()
        cli.wait(timeout=10)
