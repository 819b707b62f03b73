"""Notebook runs with papermill, side by side: each in a fresh kernel, from notebooks/.

Used by `make run` (helpers.run_notebooks) and the tests. Each kernel stops at once when its
notebook ends: the notebook is saved first, and nothing in a lesson needs a graceful exit.
"""

from __future__ import annotations

from helpers import no_iri_grammar  # noqa: F401  (first: nbformat imports jsonschema)

import asyncio
import os
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from helpers.notebook_hygiene import clean, problems
from helpers.settings import REPO_ROOT

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
KERNEL_LOG = REPO_ROOT / "build" / "notebooks" / "kernels.log"
CELL_TIMEOUT = 300  # seconds; a cell that takes longer is stuck
# Kernels at once. A lesson mostly waits on round trips between its kernel and the emulator,
# so more kernels than cores keep both cores busy (measured: bench/bench_run.py).
JOBS = 5


class QuietKernelManager(AsyncKernelManager):
    """Kernels on local IPC sockets instead of TCP ports (nothing listens on the network), each
    under a path of its own (kernels that start together never race for a socket name), whose
    own stderr (start-up and shutdown chatter of ipykernel, not cell output) goes to
    build/notebooks/kernels.log, so `make run` prints one line per notebook."""

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
            try:
                await asyncio.to_thread(ready)
            except BaseException:
                await self.shutdown_kernel(now=True)  # nbclient only cleans up kernels that started
                raise

    return WaitingKernelManager


@dataclass
class Run:
    """One execution: a notebook, where the executed copy goes, the parameters papermill injects."""

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
    """Execute one notebook with papermill; clean the result (notebook_hygiene.clean) and say
    what must not be kept: the failing cell, stderr, or anything notebook_hygiene flags."""
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
    return Outcome(run, time.monotonic() - started, "; ".join(problems(nb)), nb)


def execute_all(runs: list[Run], ready: Callable[[], object] = lambda: None, jobs: int = JOBS) -> Iterator[Outcome]:
    """Execute the runs side by side, at most `jobs` kernels at once, and yield each outcome
    as it comes. Runs of the same notebook go one after another: they share that notebook's
    organization and members. Every kernel start calls `ready()` (from its own thread) and
    runs no cell before it returns; if it raises, that run fails with its error."""
    kernel_manager_class = kernel_manager_waiting_for(ready)
    chains: dict[Path, list[Run]] = {}
    for run in runs:
        chains.setdefault(run.notebook, []).append(run)
    if runs:
        # nbformat compiles its schema validator on first use and caches it: compile it here,
        # once, rather than in every thread at the same time (0.2 s of CPU each).
        nbformat.read(runs[0].notebook, as_version=4)

    def chain(same_notebook: list[Run]) -> list[Outcome]:
        return [execute(run, kernel_manager_class) for run in same_notebook]

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        # A chain yields its outcomes when all its runs are done; one run a chain is the
        # common case (make run), so each notebook is reported as it ends.
        for done in as_completed([pool.submit(chain, c) for c in chains.values()]):
            yield from done.result()


def lesson_notebooks() -> list[Path]:
    """The lessons, notebooks/NN_*.ipynb, in order."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def default_notebooks() -> list[Path]:
    """What `make run` executes: the lessons, then their exercise notebooks
    (notebooks/exercises/, which share their lessons' base names)."""
    return lesson_notebooks() + sorted(NOTEBOOKS_DIR.glob("exercises/*.ipynb"))


def shown(path: Path) -> Path:
    """A notebook's path under notebooks/ (its name alone if it lies elsewhere)."""
    return path.relative_to(NOTEBOOKS_DIR) if path.is_relative_to(NOTEBOOKS_DIR) else Path(path.name)
