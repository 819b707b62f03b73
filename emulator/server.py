"""Start the emulator as a background process, wait until it is healthy, reuse one that is
already serving, and stop it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from emulator import config

DEFAULT_DB_PATH = Path(".stytch-emulator") / "emulator.sqlite3"


def free_port() -> int:
    """A loopback port nothing listens on right now (for tests and side-by-side emulators)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortInUseError(RuntimeError):
    """The port is taken by a program that is not this emulator."""


def probe(port: int) -> bool:
    """True if our emulator answers on the port, False if nothing listens; raises
    PortInUseError if something else does."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            pass
    except OSError:
        return False
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/emulator/v1/health", timeout=2) as r:
            health = json.loads(r.read())
        if health.get("emulator") == "stytch-b2b" and health.get("project_id") == config.DEMO_PROJECT_ID:
            return True
    except (urllib.error.URLError, ValueError, OSError):
        pass
    raise PortInUseError(
        f"Port {port} on 127.0.0.1 is held by another program, not the Stytch emulator. "
        f"Stop that program, or choose another port (STYTCH_EMULATOR_PORT / --port)."
    )


class EmulatorServer:
    def __init__(
        self,
        port: int = config.DEFAULT_PORT,
        db_path: str | Path | None = DEFAULT_DB_PATH,
        *,
        seed: int | None = None,
        detach: bool = False,
        log_path: str | Path | None = None,
    ) -> None:
        """`db_path=None` keeps state in memory. `detach=True` lets the emulator outlive this
        Python process (a notebook kernel), so the next notebook reuses it."""
        self.port = port
        self.db_path = db_path
        self.seed = seed
        self.detach = detach
        self.log_path = Path(log_path) if log_path else None
        self.process: subprocess.Popen | None = None
        self.reused = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> "EmulatorServer":
        if probe(self.port):
            self.reused = True
            return self
        command = [sys.executable, "-m", "emulator", "--port", str(self.port), "--quiet"]
        command += ["--ephemeral"] if self.db_path is None else ["--db", str(self.db_path)]
        if self.seed is not None:
            command += ["--seed", str(self.seed)]
        if self.log_path:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=self.detach
        )
        if self.log_path:
            log.close()  # the child holds its own copy of the descriptor
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_path.read_text()[-2000:] if self.log_path else ""
                raise RuntimeError(f"the emulator exited at start (code {self.process.returncode}). {tail}")
            try:
                if probe(self.port):
                    return self
            except PortInUseError:
                pass  # our process is still starting
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"the emulator did not become healthy on port {self.port} in {timeout:.0f}s")

    def stop(self) -> None:
        """Stop the process this object started (a reused emulator is left running)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
