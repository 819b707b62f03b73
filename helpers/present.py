"""Give the lessons live, in JupyterLab, without changing a tracked file (`make present`).

    python -m helpers.present [--port 8888] [--token TOKEN] [--no-browser]

1. Copies notebooks/NN_*.ipynb into build/present/ with AUTO_SUBMIT = False (papermill injects
   the parameter without executing anything) and without the committed outputs, so every form
   waits for its button and every output on screen comes from this session. The copies of the
   run before, with whatever was typed or run in them, move to build/present-previous/ (one
   generation is kept; the one before it is deleted).
2. Starts the emulator, or reuses the one running (as the lessons would; not when credentials
   select a real Stytch project).
3. Runs JupyterLab on the copies, on 127.0.0.1, without its news pop-up or update check, in a
   workspace of its own, and prints the lessons' and the simulated phone's addresses. The
   user's own Jupyter configuration is read as usual and never written by this command.

The token comes from --token, else JUPYTER_TOKEN, else a random one. JupyterLab gets it through
JUPYTER_TOKEN, so it does not show in the process list.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import nbformat
import papermill

from emulator import EmulatorControl
from helpers.client import start_emulator
from helpers.settings import REPO_ROOT, ConfigurationError, describe, load_backend

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
PRESENT_DIR = REPO_ROOT / "build" / "present"
PREVIOUS_DIR = REPO_ROOT / "build" / "present-previous"
# JupyterLab settings of this command alone: a page config and the workspaces.
CONFIG_DIR = REPO_ROOT / "build" / "present-config"
DEFAULT_PORT = 8888
PRESENTER_PARAMETERS = {"AUTO_SUBMIT": False}
# JupyterLab's "get notified about Jupyter news?" toast would sit over the first form.
NO_ANNOUNCEMENTS = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}


def lessons(source: Path = NOTEBOOKS_DIR) -> list[Path]:
    return sorted(source.glob("[0-9][0-9]_*.ipynb"))


def prepare_copies(target: Path = PRESENT_DIR, previous: Path | None = PREVIOUS_DIR,
                   source: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Fresh presenter copies of the lessons in `target`; the old copies move to `previous`
    (deleted if it is None). Nothing in `source` is written."""
    if target.exists():
        if previous is None:
            shutil.rmtree(target)
        else:
            shutil.rmtree(previous, ignore_errors=True)
            target.rename(previous)
    target.mkdir(parents=True)
    copies = []
    for lesson in lessons(source):
        copy = target / lesson.name
        papermill.execute_notebook(str(lesson), str(copy), parameters=PRESENTER_PARAMETERS,
                                   prepare_only=True, progress_bar=False)
        nb = nbformat.read(copy, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("papermill", None)
        nb.metadata.pop("papermill", None)
        nbformat.write(nb, copy)
        copies.append(copy)
    return copies


def write_lab_config(config_dir: Path = CONFIG_DIR) -> Path:
    """A config folder JupyterLab reads before the user's own (JUPYTER_CONFIG_PATH), holding
    only the page config that turns the news toast off, and an empty workspaces folder."""
    labconfig = config_dir / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(NO_ANNOUNCEMENTS, indent=2) + "\n")
    shutil.rmtree(config_dir / "workspaces", ignore_errors=True)
    (config_dir / "workspaces").mkdir()
    return config_dir


def lab_command(root: Path, port: int, config_dir: Path = CONFIG_DIR, open_browser: bool = True) -> list[str]:
    command = [
        sys.executable, "-m", "jupyter", "lab",
        f"--ServerApp.root_dir={root}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the printed addresses name this port, or nothing starts
        "--LabApp.default_url=/lab/tree/00_setup.ipynb",
        f"--LabApp.workspaces_dir={config_dir / 'workspaces'}",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses root without it
    return command


def lab_environment(token: str, config_dir: Path = CONFIG_DIR) -> dict[str, str]:
    extra = os.environ.get("JUPYTER_CONFIG_PATH")
    config_path = os.pathsep.join(filter(None, [str(config_dir), extra]))
    return {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_CONFIG_PATH": config_path}


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_backend() -> str | None:
    """Start or reuse the emulator the lessons use; its phone page's address (None on a real
    Stytch project)."""
    backend = load_backend()
    print(describe(backend))
    if not backend.is_emulator:
        return None
    start_emulator(backend)
    return EmulatorControl(backend.base_url).phone_url


def wait_until_serving(url: str, token: str, server: subprocess.Popen, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={quote(token)}", timeout=2):
                return True
        except OSError:
            time.sleep(0.25)
    return False


def addresses(url: str, token: str, copies: list[Path], phone_url: str | None) -> str:
    lines = ["", "Presenter copies of the lessons (AUTO_SUBMIT = False), in JupyterLab:"]
    lines += [f"  {url}/lab/tree/{quote(copy.name)}?token={quote(token)}" for copy in copies]
    if phone_url:
        lines += ["The simulated phone (emulator only), for a browser tab beside the notebook:", f"  {phone_url}"]
    lines += [
        f"Copies: {PRESENT_DIR.relative_to(REPO_ROOT)}/ (the next `make present` moves them to "
        f"{PREVIOUS_DIR.relative_to(REPO_ROOT)}/). Stop JupyterLab with Ctrl+C twice; the emulator keeps running.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.present", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"JupyterLab's port (default {DEFAULT_PORT})")
    parser.add_argument("--token", default=None, help="JupyterLab's token (default: JUPYTER_TOKEN, else random)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    args = parser.parse_args(argv)
    token = args.token or os.environ.get("JUPYTER_TOKEN") or secrets.token_urlsafe(24)

    # Before anything moves: a JupyterLab still serving the old copies would save over the new.
    if port_in_use(args.port):
        print(f"Port {args.port} is in use (a JupyterLab from an earlier `make present`?). Stop it, or choose "
              f"another port: make present PORT={args.port + 1}", file=sys.stderr)
        return 1
    try:
        phone_url = start_backend()
    except (ConfigurationError, RuntimeError, TimeoutError) as error:
        print(f"Cannot start the backend: {error}", file=sys.stderr)
        return 1
    copies = prepare_copies()
    write_lab_config()

    server = subprocess.Popen(lab_command(PRESENT_DIR, args.port, open_browser=not args.no_browser),
                              env=lab_environment(token))
    url = f"http://127.0.0.1:{args.port}"
    try:
        if wait_until_serving(url, token, server):
            print(addresses(url, token, copies, phone_url), flush=True)
    except KeyboardInterrupt:
        pass
    while True:
        try:
            return server.wait()
        except KeyboardInterrupt:  # JupyterLab got the same Ctrl+C: it asks, or shuts down
            continue


if __name__ == "__main__":
    sys.exit(main())
