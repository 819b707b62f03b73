"""Does one slow request (a bcrypt cost-15 password login) delay the fast ones beside it?

Starts an emulator, gives a member a bcrypt hash of cost 15, then times fast calls
(organizations.get and a member update, alternately, over requests) twice: alone, and while
the slow login runs in another thread. Prints p50/p99/max of each and the ratios. It prints;
it never asserts.

    python bench/bench_slow_beside_fast.py [--cost 15]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import bcrypt
import requests

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorServer
from emulator.server import free_port

PASSWORD = "correct horse battery staple"


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1], ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cost", type=int, default=15, help="bcrypt cost of the slow login")
    args = parser.parse_args()
    slow_hash = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(args.cost)).decode()
    with EmulatorServer(port=free_port(), db_path=None) as server, requests.Session() as http:
        http.auth = (DEMO_PROJECT_ID, DEMO_SECRET)
        url = server.url
        org = http.post(f"{url}/v1/b2b/organizations",
                        json={"organization_name": "Bench", "organization_slug": "bench"}).json()["organization"]
        org_id = org["organization_id"]
        member_id = http.post(f"{url}/v1/b2b/organizations/{org_id}/members",
                              json={"email_address": "b@bench.test"}).json()["member_id"]
        http.post(f"{url}/v1/b2b/passwords/migrate", json={
            "organization_id": org_id, "email_address": "b@bench.test", "hash": slow_hash, "hash_type": "bcrypt"})

        def fast(i: int) -> float:
            start = time.perf_counter()
            if i % 2:
                http.put(f"{url}/v1/b2b/organizations/{org_id}/members/{member_id}", json={"name": f"B{i}"})
            else:
                http.get(f"{url}/v1/b2b/organizations/{org_id}")
            return (time.perf_counter() - start) * 1000

        for i in range(50):
            fast(i)
        alone = [fast(i) for i in range(300)]

        done = threading.Event()
        slow_ms: list[float] = []

        def slow_login() -> None:
            with requests.Session() as own:
                own.auth = http.auth
                start = time.perf_counter()
                own.post(f"{url}/v1/b2b/passwords/authenticate", json={
                    "organization_id": org_id, "email_address": "b@bench.test", "password": PASSWORD})
                slow_ms.append((time.perf_counter() - start) * 1000)
            done.set()

        worker = threading.Thread(target=slow_login)
        worker.start()
        time.sleep(0.05)
        beside, i = [], 0
        while not done.is_set():
            beside.append(fast(i))
            i += 1
        worker.join()

    a, b = percentiles(alone), percentiles(beside)
    print(f"slow login (bcrypt cost {args.cost}): {slow_ms[0]:.0f} ms; {len(beside)} fast calls completed beside it")
    print(f"{'fast calls, ms':<22}{'p50':>8}{'p99':>8}{'max':>9}")
    print(f"{'alone':<22}{a[0]:>8.2f}{a[1]:>8.2f}{a[2]:>9.2f}")
    print(f"{'beside the slow login':<22}{b[0]:>8.2f}{b[1]:>8.2f}{b[2]:>9.2f}")
    print(f"{'ratio':<22}{b[0] / a[0]:>7.2f}x{b[1] / a[1]:>7.2f}x{b[2] / a[2]:>8.2f}x")


if __name__ == "__main__":
    main()
