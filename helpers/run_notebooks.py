"""Execute the workbook's notebooks headless against the emulator, in order.

    python -m helpers.run_notebooks [--in-place] [notebook ...]

Each notebook runs with papermill in a fresh kernel, from notebooks/, with its default
parameters. Results go to build/notebooks/, or with --in-place back into notebooks/ (how the
committed outputs are regenerated: `make notebooks`). A notebook that fails, writes to stderr
or would leak a token is reported and never written in place.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from emulator import EmulatorServer
from helpers.notebook_hygiene import clean, problems
from helpers.settings import EMULATOR_DIR, REPO_ROOT, ConfigurationError, emulator_state_path, load_backend

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BUILD_DIR = REPO_ROOT / "build" / "notebooks"
KERNEL_LOG = BUILD_DIR / "kernels.log"
CELL_TIMEOUT = 300  # seconds; a cell that takes longer is stuck


class QuietKernelManager(AsyncKernelManager):
    """Kernels on local IPC sockets instead of TCP ports (nothing listens on the network),
    whose own stderr (start-up and shutdown chatter of ipykernel, not cell output) goes to
    build/notebooks/kernels.log, so this command prints one line per notebook."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    async def start_kernel(self, **kw: Any) -> None:
        KERNEL_LOG.parent.mkdir(parents=True, exist_ok=True)
        with open(KERNEL_LOG, "ab") as log:  # the kernel keeps its own copy of the descriptor
            kw.setdefault("stderr", log)
            await super().start_kernel(**kw)


def default_notebooks() -> list[Path]:
    """The lessons, then their exercise notebooks (notebooks/exercises/, same base names)."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")) + sorted(NOTEBOOKS_DIR.glob("exercises/*.ipynb"))


def shown(path: Path) -> Path:
    """The path under notebooks/ (exercises/01_….ipynb has its lesson's name), else the name."""
    return path.relative_to(NOTEBOOKS_DIR) if path.is_relative_to(NOTEBOOKS_DIR) else Path(path.name)


def run_one(path: Path, in_place: bool) -> tuple[bool, str]:
    """Execute one notebook; (ok, what went wrong)."""
    executed = BUILD_DIR / shown(path)
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(path), str(executed),
            kernel_name="python3", cwd=str(NOTEBOOKS_DIR),
            progress_bar=False, request_save_on_cell_execute=False,
            execution_timeout=CELL_TIMEOUT,
            store_widget_state=False,  # nbclient option: widget models are not worth saving
            kernel_manager_class=QuietKernelManager,
        )
    except papermill.PapermillExecutionError as err:
        return False, f"{err.ename}: {err.evalue}"
    except Exception as err:  # kernel died, timeout, unreadable notebook
        return False, f"{type(err).__name__}: {err}"
    nb = clean(nbformat.read(executed, as_version=4))
    nbformat.write(nb, executed)
    found = problems(nb)
    if found:
        return False, "; ".join(found)
    if in_place:
        nbformat.write(nb, path)
    return True, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.run_notebooks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--in-place", action="store_true", help="write the executed notebooks back into notebooks/")
    parser.add_argument("notebook", nargs="*", type=Path, help="notebooks to run (default: notebooks/NN_*.ipynb)")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebook] or default_notebooks()

    # Always the emulator: committed outputs must never come from (or show) a real project.
    # An empty variable hides the .env value too (see helpers.settings).
    try:
        configured = load_backend()
    except ConfigurationError:
        configured = None
    if configured is None or not configured.is_emulator:
        print("note: running on the emulator; Stytch settings in the environment or .env are ignored")
    os.environ["STYTCH_PROJECT_ID"] = ""
    os.environ["STYTCH_SECRET"] = ""
    backend = load_backend()
    server = EmulatorServer(
        port=urlsplit(backend.base_url).port, db_path=emulator_state_path(),
        log_path=EMULATOR_DIR / "emulator.log",
    ).start()  # reuses a running emulator; kernels then reuse this one

    failures = 0
    try:
        for path in notebooks:
            started = time.monotonic()
            ok, problem = run_one(path, args.in_place)
            elapsed = f"{time.monotonic() - started:.1f}s"
            failures += not ok
            print(f"{'ok' if ok else 'FAIL':<4} {shown(path)}  {elapsed}" + ("" if ok else f"  {problem}"), flush=True)
    finally:
        server.stop()  # only stops an emulator this command started
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
