"""Execute the workbook's notebooks headless against the emulator, side by side.

    python -m helpers.run_notebooks [--in-place] [--jobs N] [notebook ...]

Each notebook runs with papermill in a fresh kernel, from notebooks/, with its default
parameters. Results go to build/notebooks/, or with --in-place back into notebooks/ (how the
committed outputs are regenerated: `make notebooks`). A notebook that fails, writes to stderr
or would leak a token is reported and never written in place.

The lessons share no mutable emulator state (each has its own organization, members and phone
number), so they run side by side on one emulator. The emulator starts (or is found running)
first, and boots while this command loads papermill and the kernels boot.
"""

from __future__ import annotations

from helpers import no_iri_grammar  # noqa: F401  (before anything imports nbformat's jsonschema)

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from emulator import EmulatorServer
from helpers.settings import EMULATOR_DIR, REPO_ROOT, ConfigurationError, emulator_state_path, load_backend

BUILD_DIR = REPO_ROOT / "build" / "notebooks"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.run_notebooks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--in-place", action="store_true", help="write the executed notebooks back into notebooks/")
    parser.add_argument("--jobs", type=int, default=None, help="kernels at once (default: helpers.papermill_runs.JOBS)")
    parser.add_argument("notebook", nargs="*", type=Path, help="notebooks to run (default: notebooks/NN_*.ipynb)")
    args = parser.parse_args(argv)

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
    with ThreadPoolExecutor(max_workers=1) as starter:
        emulator_up = starter.submit(server.start)
        try:
            return _run(args, emulator_up.result)
        finally:
            emulator_up.exception()  # wait until it is up (or failed), so stop() finds its process
            server.stop()  # only stops an emulator this command started


def _run(args: argparse.Namespace, ready: Callable[[], object]) -> int:
    # Imported once the emulator is booting: loading papermill and nbformat takes a while.
    import nbformat
    from helpers.papermill_runs import JOBS, Run, default_notebooks, execute_all, shown

    notebooks = [p.resolve() for p in args.notebook] or default_notebooks()
    runs = [Run(path, BUILD_DIR / shown(path)) for path in notebooks]
    failures = 0
    for outcome in execute_all(runs, ready=ready, jobs=args.jobs or JOBS):
        if outcome.ok and args.in_place:
            nbformat.write(outcome.nb, outcome.run.notebook)
        failures += not outcome.ok
        print(f"{'ok' if outcome.ok else 'FAIL':<4} {shown(outcome.run.notebook)}  {outcome.seconds:.1f}s"
              + ("" if outcome.ok else f"  {outcome.problem}"), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
