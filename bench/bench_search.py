"""Does a search, or reading the newest SMS, cost more when the emulator holds more data?

Builds two state files, one with 100 members (100 organizations of 1) and 100 messages to the
lessons' phone, one with 10,000 of each (100 organizations of 100), serves each with an
emulator, and times through the official SDK (and EmulatorControl for the outbox):

  members by email      organizations.members.search across the 100 organizations, member_emails
  members, first page   organizations.members.search across the 100 organizations, no filter
  orgs by member email  organizations.search, member_emails
  newest SMS            EmulatorControl.latest_message(phone, "sms")

and prints each p50 at 100 and at 10,000 and their ratio (the goal: within 2x). It prints; it
never asserts.

    python bench/bench_search.py [-n 200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from emulator.server import free_port
from emulator.state import Context, members, organizations, outbox

ORGS = 100
PHONE = "+14155550123"
GOAL = 2.0


def build(path: Path, per_org: int) -> list[str]:
    """A state file with ORGS organizations of `per_org` members, and ORGS * per_org SMS."""
    ctx = Context.open(DEMO_PROJECT_ID, str(path))
    org_ids = []
    with ctx.store.transaction():
        for o in range(ORGS):
            org = organizations.create(ctx, f"Org {o}", f"org-{o}", {})
            org_ids.append(org["organization_id"])
            for m in range(per_org):
                members.create(ctx, org["organization_id"], f"m{m}@org{o}.test")
        for n in range(ORGS * per_org):
            outbox.send(ctx, "sms", PHONE, f"{n % 1_000_000:06d} is your code.", code=f"{n % 1_000_000:06d}")
    ctx.store.close()
    return org_ids


def calls(url: str, org_ids: list[str]) -> dict[str, Callable[[], object]]:
    client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=url)
    control = EmulatorControl(url)

    def where(name: str, value: object) -> dict:
        return {"operator": "AND", "operands": [{"filter_name": name, "filter_value": value}]}

    return {
        "members by email": lambda: client.organizations.members.search(
            organization_ids=org_ids, query=where("member_emails", ["m0@org57.test"])),
        "members, first page": lambda: client.organizations.members.search(organization_ids=org_ids),
        "orgs by member email": lambda: client.organizations.search(query=where("member_emails", ["m0@org57.test"])),
        "newest SMS": lambda: control.latest_message(PHONE, "sms"),
    }


def p50_ms(call: Callable[[], object], n: int) -> float:
    for _ in range(10):
        call()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="calls per measurement")
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as work:
        for per_org in (1, 100):
            path = Path(work) / f"state-{per_org}.sqlite3"
            org_ids = build(path, per_org)
            with EmulatorServer(port=free_port(), db_path=path) as server:
                results[ORGS * per_org] = {name: p50_ms(call, args.n) for name, call in calls(server.url, org_ids).items()}
    small, large = results[ORGS], results[ORGS * 100]
    print(f"{'p50 ms':<22}{'at 100':>10}{'at 10,000':>12}{'ratio':>8}  goal <= {GOAL:g}x")
    for name in small:
        ratio = large[name] / small[name]
        print(f"{name:<22}{small[name]:>10.2f}{large[name]:>12.2f}{ratio:>7.2f}x  {'ok' if ratio <= GOAL else 'MISSED'}")


if __name__ == "__main__":
    main()
