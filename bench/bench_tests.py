"""How long does the whole test suite take, and where does the time go?

Runs `python -m pytest` once with the arguments given (`make bench-tests` passes the ones
`make test` uses, so the suite runs as it does there) and prints:
- the wall time and the CPU time of every process the suite started (user + sys, reaped
  children), so a slow run on a busy machine can be told from a slow suite;
- each phase, a test file: its xdist worker, when it started and ended, its wall time, and its
  busy time (the sum of its tests' setup, call and teardown); phases of different workers
  overlap;
- each worker's busy time and each test file's share.
The goal is a suite under three minutes on two cores; this prints whether it held, and never
asserts.

    python bench/bench_tests.py [--timeline FILE] [pytest arguments ...]

With --timeline and an existing file it only summarizes that earlier run (wall and CPU unknown).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

GOAL_SECONDS = 180.0
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Span:
    """Tests that ran together (a phase, a worker, a file): their count, first start, last stop
    and summed duration."""

    workers: set[str] = field(default_factory=set)
    tests: set[str] = field(default_factory=set)
    start: float = float("inf")
    stop: float = 0.0
    busy: float = 0.0

    def add(self, record: dict) -> None:
        self.workers.add(record["worker"])
        self.tests.add(record["nodeid"])
        self.start = min(self.start, record["start"])
        self.stop = max(self.stop, record["stop"])
        self.busy += record["stop"] - record["start"]


def summarize(timeline: Path, wall: float | None, cpu: float | None) -> None:
    records = [json.loads(line) for line in timeline.read_text().splitlines()]
    if not records:
        print("no test ran")
        return
    origin = min(r["start"] for r in records)
    workers: dict[str, Span] = defaultdict(Span)
    files: dict[str, Span] = defaultdict(Span)
    for record in records:
        workers[record["worker"]].add(record)
        files[record["nodeid"].split("::", 1)[0]].add(record)

    if wall is not None and cpu is not None:
        print(f"\nwall {wall:.1f} s   CPU {cpu:.1f} s (user + sys of the suite's processes)"
              f"   {cpu / wall:.2f} cores busy on average")
    print(f"\n{'phase: a test file, by start':56} {'worker':>7} {'tests':>5} "
          f"{'start':>6} {'end':>6} {'wall':>6} {'busy':>6}")
    for name, span in sorted(files.items(), key=lambda item: item[1].start):
        print(f"{name:56} {','.join(sorted(span.workers)):>7} {len(span.tests):5d} {span.start - origin:6.1f} "
              f"{span.stop - origin:6.1f} {span.stop - span.start:6.1f} {span.busy:6.1f}")
    print(f"\n{'worker':8} {'tests':>5} {'end':>6} {'busy':>6}")
    for name, span in sorted(workers.items()):
        print(f"{name:8} {len(span.tests):5d} {span.stop - origin:6.1f} {span.busy:6.1f}")
    total = sum(span.busy for span in files.values())
    print(f"\n{'test file, slowest first':56} {'tests':>5} {'seconds':>8} {'share':>6}")
    for name, span in sorted(files.items(), key=lambda item: -item[1].busy):
        print(f"{name:56} {len(span.tests):5d} {span.busy:8.1f} {span.busy / total:6.1%}")
    print(f"{'all tests (sum of durations)':56} {sum(len(s.tests) for s in files.values()):5d} {total:8.1f}")
    if wall is not None:
        verdict = "ok" if wall < GOAL_SECONDS else "MISSED"
        print(f"\nwall time of the whole suite: {wall:.1f} s  (goal: under {GOAL_SECONDS:.0f} s: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeline", type=Path, help="timeline to write, or to summarize if it exists")
    args, pytest_args = parser.parse_known_args()
    if args.timeline and args.timeline.exists():
        summarize(args.timeline, None, None)
        return 0
    timeline = args.timeline or Path(tempfile.mkdtemp()) / "timeline.jsonl"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "bench.pytest_timeline", *pytest_args],
                         cwd=REPO_ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTEST_TIMELINE": str(timeline)})
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = run.stdout.strip().splitlines()
    print("\n".join(lines[-1:]))  # pytest's closing count line
    if run.returncode != 0:
        print(run.stdout[-5000:] + run.stderr[-2000:])
    if timeline.exists():
        summarize(timeline, wall, cpu)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
