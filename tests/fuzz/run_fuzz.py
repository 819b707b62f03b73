"""The schema fuzzer (`make fuzz`): schemathesis over the emulator's own OpenAPI document.

Starts an emulator of its own (state in memory), lets schemathesis run its phases (coverage,
fuzzing, stateful) against every route but shutdown for --seconds, with the check that no
answer is a 5xx, and prints how many cases ran and how many 5xx it found. Exits 1 on any.
Needs requirements-fuzz.txt (test-only; `make fuzz` installs it).

    python tests/fuzz/run_fuzz.py [--seconds 120] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorServer
from emulator.server import free_port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120, help="time budget of the run")
    parser.add_argument("--seed", type=int, default=None, help="repeat an earlier run")
    args = parser.parse_args()
    schemathesis = Path(sys.executable).with_name("schemathesis")
    with tempfile.TemporaryDirectory() as work, EmulatorServer(port=free_port(), db_path=None) as server:
        report = Path(work) / "run.json"
        command = [
            str(schemathesis), "run", f"{server.url}/emulator/v1/openapi.json", "--url", server.url,
            "--auth", f"{DEMO_PROJECT_ID}:{DEMO_SECRET}", "--checks", "not_a_server_error",
            "--exclude-path", "/emulator/v1/shutdown", "--max-time", str(args.seconds),
            "--generation-database", "none", "--no-color",
            "--report", "json", "--report-json-path", str(report),
        ] + (["--seed", str(args.seed)] if args.seed is not None else [])
        finished = subprocess.run(command, cwd=work, capture_output=True, text=True)
        if not report.exists():
            print(finished.stdout[-4000:], finished.stderr[-4000:], sep="\n")
            return 1
        run = json.loads(report.read_text())
    cases = run["test_cases"]
    server_errors = len(run["failures"])
    print(f"schemathesis {run['schemathesis_version']}, seed {run['seed']}: "
          f"{run['operations']['tested']} operations, {cases['generated']} cases in {run['running_time']:.0f} s")
    print(f"5xx answers (unique failures of not_a_server_error): {server_errors}; errored cases: {cases['errored']}")
    if server_errors or cases["errored"] or run["exit_code"]:
        print(finished.stdout[-6000:])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
