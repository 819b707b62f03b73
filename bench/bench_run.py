"""How close is `make run` to the cost of starting its kernels?

`make run` executes N lesson notebooks, each in a fresh kernel. Its floor is starting N bare
kernels one after another (start, kernel_info answered, stop at once), with the kernel manager
`make run` uses. This script measures both in one run, in interleaved rounds so that load
elsewhere on the machine hits them alike, and prints the medians, the best of each, and P1 =
make run / floor (goal: at most 1.5). It prints; it never asserts.

Each `make run` round starts its own emulator on a free port (STYTCH_EMULATOR_PORT), on state
the warm-up round left (STYTCH_EMULATOR_DB), as a second `make run` finds its state. With --warm
the rounds reuse one emulator that is already running, as `make run` reuses the one a notebook
or `make lab` left.

    python bench/bench_run.py [--rounds 5] [--warm]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from emulator import EmulatorServer
from emulator.server import free_port
from helpers.papermill_runs import QuietKernelManager, default_notebooks

GOAL = 1.5
REPO_ROOT = Path(__file__).resolve().parent.parent


async def bare_kernel() -> None:
    manager = QuietKernelManager(kernel_name="python3")
    # The history setting papermill's nbclient passes to every kernel it starts.
    await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


def floor(n: int) -> float:
    started = time.monotonic()
    for _ in range(n):
        asyncio.run(bare_kernel())
    return time.monotonic() - started


def make_run(env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(["make", "--no-print-directory", "run"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"make run failed:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warm", action="store_true", help="reuse one running emulator in every round")
    args = parser.parse_args()
    n = len(default_notebooks())
    state = Path(tempfile.mkdtemp())
    env = {**os.environ, "STYTCH_PROJECT_ID": "", "STYTCH_SECRET": ""}
    env["STYTCH_EMULATOR_DB"] = str(state / "emulator.sqlite3")
    warm = EmulatorServer(port=free_port(), db_path=env["STYTCH_EMULATOR_DB"]).start() if args.warm else None

    floors, runs = [], []
    try:
        # Warm-up: the disk cache, bytecode, and the emulator's state (its signing key).
        make_run({**env, "STYTCH_EMULATOR_PORT": str(warm.port if warm else free_port())})
        for _ in range(args.rounds):
            floors.append(floor(n))
            runs.append(make_run({**env, "STYTCH_EMULATOR_PORT": str(warm.port if warm else free_port())}))
    finally:
        if warm:
            warm.stop()

    print(f"{n} lessons; {args.rounds} interleaved rounds; emulator {'warm (reused)' if warm else 'cold (started by make run)'}\n")
    print(f"{'':32} {'median s':>9} {'best s':>7}   rounds")
    for name, times in ((f"floor: {n} bare kernel starts", floors), ("make run", runs)):
        print(f"{name:32} {statistics.median(times):9.2f} {min(times):7.2f}   " + " ".join(f"{t:.2f}" for t in times))
    p1 = statistics.median(runs) / statistics.median(floors)
    best = min(runs) / min(floors)
    print(f"\nP1 = make run / floor: {p1:.2f} (medians), {best:.2f} (best of each)  "
          f"goal <= {GOAL}: {'ok' if p1 <= GOAL else 'MISSED'}")


if __name__ == "__main__":
    main()
