"""Execute the workbook's notebooks headless against the emulator, side by side.

    python -m helpers.run_notebooks [--in-place] [--jobs N] [notebook ...]

Each notebook runs with papermill in a fresh kernel, from notebooks/, with its default
parameters. Results go to build/notebooks/, or with --in-place back into notebooks/ (how the
committed outputs are regenerated: `make notebooks`). A notebook that fails, writes to stderr
or would leak a token is reported and never written in place.

The lessons share no mutable emulator state (each has its own organization, members and phone
number), so they run side by side on one emulator. Their kernels boot while the emulator starts
(or is found running), and each kernel is stopped at once when its notebook ends: nothing in a
lesson needs a graceful exit.
"""

from __future__ import annotations

from helpers import no_iri_grammar  # noqa: F401  (first: nbformat imports jsonschema)

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
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
# Kernels at once. A lesson mostly waits on round trips between its kernel and the emulator,
# so more kernels than cores keep both cores busy (measured: bench/bench_run.py).
JOBS = 5


class QuietKernelManager(AsyncKernelManager):
    """Kernels on local IPC sockets instead of TCP ports (nothing listens on the network), each
    under a path of its own (kernels that start together never race for a socket name), whose
    own stderr (start-up and shutdown chatter of ipykernel, not cell output) goes to
    build/notebooks/kernels.log, so this command prints one line per notebook."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        return os.path.join(tempfile.gettempdir(), f"workbook-kernel-{uuid.uuid4().hex}")

    async def start_kernel(self, **kw: Any) -> None:
        KERNEL_LOG.parent.mkdir(parents=True, exist_ok=True)
        with open(KERNEL_LOG, "ab") as log:  # the kernel keeps its own copy of the descriptor
            kw.setdefault("stderr", log)
            await super().start_kernel(**kw)


def kernel_manager_waiting_for(ready: Callable[[], object]) -> type[QuietKernelManager]:
    """A QuietKernelManager whose start returns only once `ready()` does: the kernel process
    boots meanwhile, and no cell runs before what it needs (the emulator) is up."""

    class WaitingKernelManager(QuietKernelManager):
        async def start_kernel(self, **kw: Any) -> None:
            await super().start_kernel(**kw)
            await asyncio.to_thread(ready)

    return WaitingKernelManager


@dataclass
class Run:
    """One execution: a notebook, the parameters papermill injects, where the result goes."""

    notebook: Path
    output: Path
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    run: Run
    seconds: float
    problem: str = ""  # empty when the notebook ran clean
    nb: nbformat.NotebookNode | None = None  # the executed, cleaned notebook

    @property
    def ok(self) -> bool:
        return not self.problem


def execute(run: Run, kernel_manager_class: type[QuietKernelManager] = QuietKernelManager) -> Outcome:
    """Execute one notebook with papermill and clean the result (notebook_hygiene.clean)."""
    started = time.monotonic()
    run.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(run.notebook), str(run.output), parameters=run.parameters,
            kernel_name="python3", cwd=str(NOTEBOOKS_DIR),
            progress_bar=False, request_save_on_cell_execute=False,
            execution_timeout=CELL_TIMEOUT,
            # nbclient options: widget models are not worth saving; the notebook is saved
            # before its kernel stops, so nothing is lost by stopping it at once.
            store_widget_state=False, shutdown_kernel="immediate",
            kernel_manager_class=kernel_manager_class,
        )
    except papermill.PapermillExecutionError as err:
        return Outcome(run, time.monotonic() - started, f"cell [{err.exec_count}]: {err.ename}: {err.evalue}")
    except Exception as err:  # kernel died, timeout, unreadable notebook
        return Outcome(run, time.monotonic() - started, f"{type(err).__name__}: {err}")
    nb = clean(nbformat.read(run.output, as_version=4))
    nbformat.write(nb, run.output)
    found = problems(nb)
    return Outcome(run, time.monotonic() - started, "; ".join(found), nb)


def execute_all(runs: list[Run], ready: Callable[[], object] = lambda: None, jobs: int = JOBS) -> Iterator[Outcome]:
    """Execute the runs side by side, at most `jobs` kernels at once, and yield each outcome
    as it comes. Runs of the same notebook go one after another: they share that notebook's
    organization and members. No cell runs before `ready()` has returned."""
    kernel_manager_class = kernel_manager_waiting_for(_once(ready))
    chains: dict[Path, list[Run]] = {}
    for run in runs:
        chains.setdefault(run.notebook, []).append(run)

    def chain(same_notebook: list[Run]) -> list[Outcome]:
        return [execute(run, kernel_manager_class) for run in same_notebook]

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        # A chain yields its outcomes when all its runs are done; one run a chain is the
        # common case (make run), so each notebook is reported as it ends.
        for done in as_completed([pool.submit(chain, c) for c in chains.values()]):
            yield from done.result()


def _once(call: Callable[[], object]) -> Callable[[], None]:
    """`call` run by the first caller; the others wait for it, and each sees its exception."""
    lock = threading.Lock()
    result: list[BaseException | None] = []

    def wrapper() -> None:
        with lock:
            if not result:
                try:
                    call()
                    result.append(None)
                except BaseException as err:  # re-raised in every waiting kernel start
                    result.append(err)
        if result[0] is not None:
            raise result[0]

    return wrapper


def default_notebooks() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.run_notebooks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--in-place", action="store_true", help="write the executed notebooks back into notebooks/")
    parser.add_argument("--jobs", type=int, default=JOBS, help=f"kernels at once (default {JOBS})")
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
    )  # start() reuses a running emulator; kernels then reuse this one

    runs = [Run(path, BUILD_DIR / path.name) for path in notebooks]
    failures = 0
    try:
        for outcome in execute_all(runs, ready=server.start, jobs=args.jobs):
            name = outcome.run.notebook.name
            if outcome.ok and args.in_place:
                nbformat.write(outcome.nb, outcome.run.notebook)
            failures += not outcome.ok
            print(f"{'ok' if outcome.ok else 'FAIL':<4} {name}  {outcome.seconds:.1f}s"
                  + ("" if outcome.ok else f"  {outcome.problem}"), flush=True)
    finally:
        server.stop()  # only stops an emulator this command started
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
