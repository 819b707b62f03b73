"""`kill -9` under write load: every write the emulator acknowledged is there after a restart."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Callable

import requests

from emulator import EmulatorServer
from reliability_steps import AUTH, SOAK

ROUNDS = 10 if SOAK else 1
WRITERS = 4
LOAD_SECONDS = 0.6


def _write_until(url: str, stop: threading.Event, tag: str, acked: list[tuple[str, str]]) -> None:
    """Create organizations with a member each; note each write the emulator answered 200."""
    with requests.Session() as http:
        http.auth = AUTH
        n = 0
        while not stop.is_set():
            n += 1
            try:
                org = http.post(f"{url}/v1/b2b/organizations", timeout=5,
                                json={"organization_name": tag, "organization_slug": f"{tag}-{n}"})
                if org.status_code != 200:
                    continue
                org_id = org.json()["organization"]["organization_id"]
                acked.append(("organization", org_id))
                member = http.post(f"{url}/v1/b2b/organizations/{org_id}/members", timeout=5,
                                   json={"email_address": f"w{n}@{tag}.test"})
                if member.status_code == 200:
                    acked.append(("member", f"{org_id} {member.json()['member_id']}"))
            except requests.RequestException:
                return  # killed mid-request: that write was not acknowledged


def _present(url: str, kind: str, ids: list[str]) -> set[str]:
    with requests.Session() as http:
        http.auth = AUTH
        if kind == "organization":
            found = set()
            for start in range(0, len(ids), 1000):
                query = {"operator": "AND", "operands": [
                    {"filter_name": "organization_ids", "filter_value": ids[start:start + 1000]}]}
                answer = http.post(f"{url}/v1/b2b/organizations/search", json={"query": query, "limit": 1000}).json()
                found |= {o["organization_id"] for o in answer["organizations"]}
            return found
        return {pair for pair in ids
                if http.get(f"{url}/v1/b2b/organizations/{pair.split()[0]}/member",
                            params={"member_id": pair.split()[1]}).status_code == 200}


def test_every_acknowledged_write_survives_kill_9(tmp_path: Path,
                                                  private_emulator: Callable[..., EmulatorServer]) -> None:
    db = tmp_path / "durable.sqlite3"
    server = private_emulator(db)
    acked: list[tuple[str, str]] = []
    for round_ in range(ROUNDS):
        stop = threading.Event()
        writers = [threading.Thread(target=_write_until, args=(server.url, stop, f"r{round_}w{w}", acked))
                   for w in range(WRITERS)]
        for writer in writers:
            writer.start()
        time.sleep(LOAD_SECONDS)
        os.kill(server.process.pid, signal.SIGKILL)
        stop.set()
        for writer in writers:
            writer.join()
        server = private_emulator(db)
    assert len(acked) > 50 * ROUNDS, "too little load to mean anything"
    for kind in ("organization", "member"):
        written = [i for k, i in acked if k == kind]
        lost = set(written) - _present(server.url, kind, written)
        assert not lost, f"{len(lost)} of {len(written)} acknowledged {kind} writes lost after kill -9"
    print(f"{ROUNDS} kill -9 rounds under {WRITERS} writers: {len(acked)} acknowledged writes, none lost")
