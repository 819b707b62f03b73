"""How fast does the emulator answer, next to the fastest loopback HTTP round trip?

Starts an emulator (its own free port; in-memory state unless --db is given) and a trivial
keep-alive JSON server in another process (the floor), then times N calls of each:

  floor        requests.Session().get on the trivial server
  raw          requests.Session() on the emulator's routes (no SDK)
  sdk          the same routes through stytch.B2BClient

and prints p50/p99 in ms, each p50 over the floor's p50, and whether the goals hold
(p50 within 2x of the floor, p99 under 10 ms). It prints; it never asserts.

    python bench/bench_emulator.py [-n 2000] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import requests
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from emulator.server import free_port

P50_FACTOR_GOAL = 2.0
P99_GOAL_MS = 10.0
WARMUP = 100
ROUNDS = 10
FLOOR = "floor (trivial server)"


class FloorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's requests.Session uses
    disable_nagle_algorithm = True  # headers and body go out in two writes; don't let Nagle hold the second
    body = json.dumps({"status_code": 200, "request_id": "request-id-floor"}).encode()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def serve_floor(port: int) -> None:
    ThreadingHTTPServer(("127.0.0.1", port), FloorHandler).serve_forever()




def wait_for(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"nothing listens on port {port}")


def timed(calls: dict[str, Callable[[], object]], n: int) -> dict[str, list[float]]:
    """Milliseconds per call for each measurement, sorted. Rounds interleave the measurements
    so a burst of load elsewhere on the machine hits all of them alike."""
    for call in calls.values():
        for _ in range(WARMUP):  # also opens each keep-alive connection
            call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(ROUNDS):
        for name, call in calls.items():
            for _ in range(max(1, n // ROUNDS)):
                start = time.perf_counter_ns()
                call()
                samples[name].append((time.perf_counter_ns() - start) / 1e6)
    return {name: sorted(ms) for name, ms in samples.items()}


def percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))]


def ok(response: requests.Response) -> requests.Response:
    response.raise_for_status()
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="timed calls per measurement")
    parser.add_argument("--db", default=None, help="SQLite file for the emulator (default: in memory)")
    args = parser.parse_args()

    floor_port = free_port()
    floor = multiprocessing.Process(target=serve_floor, args=(floor_port,), daemon=True)
    floor.start()
    wait_for(floor_port)
    try:
        with EmulatorServer(port=free_port(), db_path=args.db) as server:
            run(server, f"http://127.0.0.1:{floor_port}/", args.n)
    finally:
        floor.terminate()
        floor.join()


def run(server: EmulatorServer, floor_url: str, n: int) -> None:
    client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=server.url)
    control = EmulatorControl(server.url)
    control.reset()
    org = client.organizations.create(organization_name="Bench", organization_slug="bench").organization
    org_id = org.organization_id
    client.organizations.members.create(organization_id=org_id, email_address="bench@bench.test")
    client.magic_links.email.login_or_signup(organization_id=org_id, email_address="bench@bench.test")
    token = control.latest_message("bench@bench.test", "email")["token"]
    session_token = client.magic_links.authenticate(magic_links_token=token).session_token

    http = requests.Session()
    http.auth = (DEMO_PROJECT_ID, DEMO_SECRET)
    floor_http = requests.Session()
    measurements = {
        FLOOR: lambda: ok(floor_http.get(floor_url)),
        "raw organizations.get": lambda: ok(http.get(f"{server.url}/v1/b2b/organizations/{org_id}")),
        "sdk organizations.get": lambda: client.organizations.get(organization_id=org_id),
        "raw sessions.authenticate": lambda: ok(http.post(f"{server.url}/v1/b2b/sessions/authenticate",
                                                          json={"session_token": session_token})),
        "sdk sessions.authenticate": lambda: client.sessions.authenticate(session_token=session_token),
    }
    results = timed(measurements, n)

    floor_p50 = percentile(results[FLOOR], 0.50)
    print(f"{n} calls each in {ROUNDS} interleaved rounds, after {WARMUP} warm-up calls; "
          f"emulator state in {server.db_path or 'memory'}; keep-alive everywhere\n")
    print(f"{'measurement':28} {'p50 ms':>8} {'p99 ms':>8} {'p50/floor':>10}  "
          f"goals: p50 <= {P50_FACTOR_GOAL:g}x floor, p99 < {P99_GOAL_MS:g} ms")
    for name, samples in results.items():
        p50, p99 = percentile(samples, 0.50), percentile(samples, 0.99)
        ratio = p50 / floor_p50
        verdict = "" if name == FLOOR else (
            f"p50 {'ok' if ratio <= P50_FACTOR_GOAL else 'MISSED'}, p99 {'ok' if p99 < P99_GOAL_MS else 'MISSED'}")
        print(f"{name:28} {p50:8.3f} {p99:8.3f} {ratio:9.2f}x  {verdict}")
    for route in ("organizations.get", "sessions.authenticate"):
        own = percentile(results[f"sdk {route}"], 0.50) - percentile(results[f"raw {route}"], 0.50)
        print(f"the SDK's own cost on {route} (p50 sdk - p50 raw): {own:.3f} ms")

if __name__ == "__main__":
    main()
