"""Binder: binder/start starts the emulator before handing over to Jupyter (here, a trivial
command), the image gets the lessons' pins and no test-only package, and the README's badge
opens notebook 00."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

from emulator import EmulatorControl
from emulator.server import free_port, probe

REPO_ROOT = Path(__file__).resolve().parents[1]
BINDER = REPO_ROOT / "binder"

# The command Binder would start (Jupyter), reduced to: is the emulator answering already?
CHECK = """
import json, os, sys, urllib.request
health = json.loads(urllib.request.urlopen(sys.argv[1] + "/emulator/v1/health", timeout=5).read())
print(os.getpid(), health["status"], health["emulator"])
sys.exit(3)
"""


def test_binder_start_starts_the_emulator_then_execs_the_command(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # Binder's python
        "STYTCH_PROJECT_ID": "", "STYTCH_SECRET": "",  # no .env's credentials: the emulator
        "STYTCH_EMULATOR_PORT": str(port), "STYTCH_EMULATOR_DB": str(tmp_path / "state.sqlite3"),
    }
    start = subprocess.Popen([str(BINDER / "start"), sys.executable, "-c", CHECK, url], env=environment,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = start.communicate(timeout=60)
        # The command ran in the script's own process (exec), after the emulator answered,
        # and its exit status is the script's.
        assert out.splitlines()[-1] == f"{start.pid} ok stytch-b2b", (out, err)
        assert start.returncode == 3
        assert f"Backend: local Stytch B2B emulator at {url}" in out
        # Detached: still serving after the script is gone, on loopback.
        assert EmulatorControl(url).health()["status"] == "ok"
    finally:
        if probe(port):
            EmulatorControl(url).shutdown()
            # Until the port is closed; not probe(), which a server half-way through its
            # shutdown (accepting, no longer answering) makes raise PortInUseError.
            deadline = time.monotonic() + 10
            while _accepts(port) and time.monotonic() < deadline:
                time.sleep(0.1)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def requirement_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def test_the_binder_image_gets_the_lessons_pins_only() -> None:
    """The same file `make run` installs; nothing that only tests need (requirements-test.txt,
    requirements-fuzz.txt) and nothing else in postBuild."""
    assert requirement_lines(BINDER / "requirements.txt") == ["-r ../requirements.txt"]
    for script in ("postBuild", "start"):
        assert not re.search(r"requirements-|pytest|playwright", (BINDER / script).read_text())
        assert os.access(BINDER / script, os.X_OK)


def test_the_readme_badge_opens_notebook_00() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[^\s)>\]]+", readme)
    assert len(links) == 1, "the repository is named in one place"
    path = re.search(r"[?&]labpath=([^&]+)", links[0])
    assert path and (REPO_ROOT / unquote(path.group(1))).is_file() and unquote(path.group(1)).endswith("00_setup.ipynb")
    assert "[![Launch Binder](https://mybinder.org/badge_logo.svg)][binder]" in readme
