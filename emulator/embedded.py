"""An emulator inside this Python process: uvicorn on a thread, state in memory.

For a notebook or a check that needs an emulator of its own, one whose clock it may move and
whose settings it may change without touching the shared one (`EmulatorServer`) that other
notebooks use at the same time. It lives and dies with the process: a kernel that is killed
(papermill stops kernels at once) leaves no server behind, which a child process would.
"""

from __future__ import annotations

import threading
import time

import uvicorn

from emulator import config
from emulator.app import create_app
from emulator.server import free_port
from emulator.state import Context


class EmbeddedEmulator:
    def __init__(self, port: int | None = None, seed: int | None = None) -> None:
        """`port=None` picks a free loopback port."""
        self.port = port or free_port()
        self.seed = seed
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> "EmbeddedEmulator":
        if self.running:
            return self
        app = create_app(Context.open(config.DEMO_PROJECT_ID, None, self.seed), config.DEMO_SECRET)
        # Loopback only, like `python -m emulator`; the plain asyncio loop, since the thread
        # shares the process with a kernel's own loop.
        self._server = uvicorn.Server(uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False,
            loop="asyncio", timeout_keep_alive=3600,
        ))
        self._thread = threading.Thread(target=self._server.run, name=f"emulator-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the embedded emulator did not start on port {self.port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> "EmbeddedEmulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
