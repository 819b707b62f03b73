"""Shared fixtures: emulators for the test session.

emulator_server    session   the emulator that emulator and helper tests call through the SDK;
                             `control` resets it before each test that asks for it.
control, client    function  EmulatorControl and stytch.B2BClient on emulator_server, freshly reset.
notebook_emulator  session   a second emulator, for kernels (papermill, nbval, JupyterLab): tests
                             that run lessons never share state with tests that reset theirs.
kernel_env         session   the environment variables that point a kernel at notebook_emulator,
                             with no Stytch credentials (CI has none, and tests must never reach
                             a real project); pass them to any process that starts kernels.

`make test` runs the suite on two pytest-xdist workers, each a session with fixtures of its own:
tests/parallel.py says how the tests are shared out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from emulator.server import free_port
from parallel import pytest_xdist_make_scheduler  # noqa: F401  (a hook: how make test shares out the tests)


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


@pytest.fixture(scope="session")
def notebook_emulator(tmp_path_factory: pytest.TempPathFactory) -> EmulatorServer:
    state = tmp_path_factory.mktemp("notebook-emulator") / "state.sqlite3"
    with EmulatorServer(port=free_port(), db_path=state, log_path=state.with_suffix(".log")) as server:
        yield server


@pytest.fixture(scope="session")
def kernel_env(notebook_emulator: EmulatorServer) -> dict[str, str]:
    # An empty value also hides a developer's .env (helpers.settings reads the environment first).
    return {
        "STYTCH_PROJECT_ID": "", "STYTCH_SECRET": "",
        "STYTCH_EMULATOR_PORT": str(notebook_emulator.port),
        "STYTCH_EMULATOR_DB": str(notebook_emulator.db_path),
    }
