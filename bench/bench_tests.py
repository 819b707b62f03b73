"""How long does the whole test suite take, and where does the time go?

Runs `python -m pytest` once (the same command `make test` runs) with a JUnit report, then
prints the wall time, pytest's own count line, and each test file's share: the sum of its
tests' durations (setup, call and teardown), slowest file first. The goal is a suite under
three minutes on two cores; this prints whether it held, and never asserts.

    python bench/bench_tests.py [--report FILE] [pytest arguments ...]

With --report and an existing file it only summarizes that earlier report.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

GOAL_SECONDS = 180.0
REPO_ROOT = Path(__file__).resolve().parent.parent


def per_file(report: Path) -> dict[str, tuple[int, float]]:
    """Test file -> (tests, seconds), from a JUnit report whose classnames are dotted paths."""
    files: dict[str, list[float]] = defaultdict(list)
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")
        # tests.notebooks.test_nbval or tests.notebooks.test_x.TestClass: up to the test_ module.
        parts = []
        for part in module:
            parts.append(part)
            if part.startswith("test_"):
                break
        files["/".join(parts) + ".py"].append(float(case.get("time", 0)))
    return {name: (len(times), sum(times)) for name, times in files.items()}


def print_breakdown(report: Path, wall: float | None) -> None:
    files = per_file(report)
    total = sum(seconds for _, seconds in files.values())
    print(f"\n{'test file':55} {'tests':>5} {'seconds':>8} {'share':>6}")
    for name, (count, seconds) in sorted(files.items(), key=lambda item: -item[1][1]):
        print(f"{name:55} {count:5d} {seconds:8.1f} {seconds / total:6.1%}")
    print(f"{'all tests (sum of durations)':55} {sum(c for c, _ in files.values()):5d} {total:8.1f}")
    if wall is not None:
        verdict = "ok" if wall < GOAL_SECONDS else "MISSED"
        print(f"\nwall time of the whole suite: {wall:.1f} s  (goal: under {GOAL_SECONDS:.0f} s: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, help="JUnit report to write, or to summarize if it exists")
    args, pytest_args = parser.parse_known_args()
    if args.report and args.report.exists():
        print_breakdown(args.report, None)
        return 0
    report = args.report or Path(tempfile.mkdtemp()) / "junit.xml"
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", *pytest_args],
                         cwd=REPO_ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
    lines = run.stdout.strip().splitlines()
    print("\n".join(lines[-1:]))  # pytest's closing count line
    if run.returncode != 0:
        print(run.stdout[-5000:] + run.stderr[-2000:])
    if report.exists():
        print_breakdown(report, wall)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
