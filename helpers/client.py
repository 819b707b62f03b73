"""The one `stytch.B2BClient` a kernel uses, built for the backend the settings chose, and the
emulator started for it when the emulator is that backend."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import requests
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorServer
from helpers.call_log import LOG
from helpers.settings import EMULATOR_DIR, Backend, describe, emulator_state_path, load_backend

_started: list[EmulatorServer] = []


def start_emulator(backend: Backend) -> EmulatorServer:
    """Start the emulator detached, so it outlives this kernel and every notebook shares it;
    reuse the one already serving on the port. Raises PortInUseError if another program
    holds the port."""
    if not backend.is_emulator:
        raise ValueError("start_emulator() is for the emulator backend only.")
    port = urlsplit(backend.base_url).port
    server = EmulatorServer(
        port=port,
        db_path=emulator_state_path(),
        detach=True,
        log_path=EMULATOR_DIR / "emulator.log",
    ).start()
    if server.process:
        # Hold the handle: dropping it makes Python warn that the (deliberately detached)
        # process is still running.
        _started.append(server)
    return server


@cache
def get_backend() -> Backend:
    """The backend this kernel uses, read once (clear with get_backend.cache_clear())."""
    return load_backend()


@cache
def get_client() -> stytch.B2BClient:
    """Build the client on first use: start (or reuse) the emulator if it is the backend, and
    tell the reader once which backend answers. Every request it sends goes through one
    requests.Session that records it in helpers.call_log.LOG, on either backend."""
    backend = get_backend()
    session = LOG.attach(requests.Session())
    if backend.is_emulator:
        # The demo credentials go to the loopback emulator and nowhere else.
        if urlsplit(backend.base_url).hostname != "127.0.0.1":
            raise RuntimeError(f"refusing to send emulator credentials to {backend.base_url}")
        start_emulator(backend)
        # A plain-http base URL goes through `environment`: custom_base_url only takes https.
        client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=backend.base_url,
                                  sync_session=session)
    else:
        # environment="test" pins https://test.stytch.com; the warning it would print is
        # about production use, which the settings already rule out.
        client = stytch.B2BClient(
            backend.project_id, backend.secret, environment="test", suppress_warnings=True,
            sync_session=session,
        )
    print(describe(backend))
    return client
