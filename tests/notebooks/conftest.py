"""Notebook tests run kernels that inherit this process's environment. Before any kernel
starts, point them at a dedicated emulator (free port, temporary state) and make sure no
Stytch credentials can reach them: CI has none, and tests must never touch a real project."""

from __future__ import annotations

import os

import pytest

from emulator import EmulatorServer
from emulator.server import free_port

# An empty value also hides a developer's .env (helpers.settings reads the environment first).
_ENVIRONMENT = ("STYTCH_PROJECT_ID", "STYTCH_SECRET", "STYTCH_EMULATOR_PORT", "STYTCH_EMULATOR_DB")




@pytest.fixture(scope="session", autouse=True)
def notebook_emulator(tmp_path_factory: pytest.TempPathFactory):
    saved = {name: os.environ.get(name) for name in _ENVIRONMENT}
    state = tmp_path_factory.mktemp("notebook-emulator") / "state.sqlite3"
    port = free_port()
    os.environ.update(
        STYTCH_PROJECT_ID="", STYTCH_SECRET="",
        STYTCH_EMULATOR_PORT=str(port), STYTCH_EMULATOR_DB=str(state),
    )
    server = EmulatorServer(port=port, db_path=state, log_path=state.with_suffix(".log")).start()
    try:
        yield server
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
