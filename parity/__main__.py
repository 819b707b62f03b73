"""`python -m parity`: run the scenario on a fresh in-memory emulator and, when the settings
name a Stytch test project, on Stytch; write the report (build/parity/ by default)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from emulator import EmulatorServer
from emulator.server import free_port
from helpers.settings import REPO_ROOT, ConfigurationError, load_backend
from parity import report, scenario

DEFAULT_OUT = REPO_ROOT / "build" / "parity"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where report.md and report.json go")
    parser.add_argument("--wait", action="store_true",
                        help="on Stytch, really wait where the scenario needs time to pass (about 10 minutes)")
    args = parser.parse_args(argv)

    # The same rules as the notebooks: real credentials go to Stytch only, demo ones to the
    # loopback emulator only, live ones nowhere (helpers.settings).
    try:
        backend = load_backend()
    except ConfigurationError as error:
        print(f"parity: {error}", file=sys.stderr)
        return 2

    with EmulatorServer(port=free_port(), db_path=None) as server:
        print(f"emulator: running {len(scenario.STEPS)} steps on {server.url}", flush=True)
        ours = scenario.run(scenario.emulator_side(server.url))

    if backend.is_emulator:
        theirs = None
        note = ("Stytch side skipped: STYTCH_PROJECT_ID and STYTCH_SECRET are not set. The emulator's "
                "outcomes are recorded below; set both (a test project) to compare.")
    else:
        print(f"stytch: running {len(scenario.STEPS)} steps on {backend.base_url}", flush=True)
        theirs = scenario.run(scenario.stytch_side(backend.project_id, backend.secret, args.wait))
        note = f"Stytch side: test project {backend.project_id[:17]}… at {backend.base_url}"

    comparisons = report.compare(ours, theirs)
    markdown, data = report.write(args.out, comparisons, note)
    print(note)
    print(f"report: {markdown} and {data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
