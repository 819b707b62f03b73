"""No slow request stalls the others: a bcrypt login of cost 14 runs beside fast calls, which
all finish while it is still working; an oversized or unauthenticated body is refused before
it is read."""

from __future__ import annotations

import socket
import threading

import requests

from emulator import EmulatorServer
from reliability_steps import BASIC, Tenant, exchange, raw, request_bytes

PASSWORD = "correct horse battery staple"
# bcrypt cost 14 of PASSWORD, made once (about a second to check on this machine).
SLOW_HASH = "$2b$14$cG15a7e4gPhH.4dBV0D5eOJ2kEXfPhaqJUc1lXVmm6Gy4py1u/TSS"
FAST_CALLS = 10


def test_a_slow_login_does_not_delay_fast_calls(http: requests.Session, tenant: Tenant) -> None:
    migrated = http.post(f"{tenant.url}/v1/b2b/passwords/migrate", json={
        "organization_id": tenant.organization_id, "email_address": tenant.email,
        "hash": SLOW_HASH, "hash_type": "bcrypt"})
    assert migrated.status_code == 200, migrated.text
    slow_done, slow_started = threading.Event(), threading.Event()
    outcome: dict[str, int] = {}

    def slow_login() -> None:
        with requests.Session() as own:
            own.auth = http.auth
            slow_started.set()
            outcome["status"] = own.post(f"{tenant.url}/v1/b2b/passwords/authenticate", json={
                "organization_id": tenant.organization_id, "email_address": tenant.email,
                "password": PASSWORD}).status_code
        slow_done.set()

    worker = threading.Thread(target=slow_login)
    worker.start()
    slow_started.wait()
    slow_done.wait(0.1)  # let the login reach the server and start hashing
    for _ in range(FAST_CALLS):  # reads and writes, while bcrypt runs
        assert http.get(f"{tenant.url}/v1/b2b/organizations/{tenant.organization_id}").status_code == 200
        assert http.put(f"{tenant.url}/v1/b2b/organizations/{tenant.organization_id}/members/{tenant.member_id}",
                        json={"name": "Ada"}).status_code == 200
    finished_first = not slow_done.is_set()
    worker.join()
    assert outcome["status"] == 200  # the slow login itself succeeded
    assert finished_first, "the fast calls waited for the bcrypt login"


def test_an_oversized_body_is_refused_before_it_is_read(emulator_server: EmulatorServer, tenant: Tenant) -> None:
    """50 MB announced, none sent: the answer comes at once (the emulator does not wait for,
    buffer or parse it)."""
    answer = raw(emulator_server.port, "POST", "/v1/b2b/organizations", headers={
        "Authorization": BASIC, "Content-Type": "application/json"}, content_length=50_000_000,
        timeout=3)
    assert (answer.status, answer.json["error_type"]) == (413, "request_too_large")


def test_credentials_are_checked_before_the_body_is_read(emulator_server: EmulatorServer) -> None:
    answer = raw(emulator_server.port, "POST", "/v1/b2b/organizations",
                 headers={"Content-Type": "application/json"}, content_length=40_000, timeout=3)
    assert (answer.status, answer.json["error_type"]) == (401, "unauthorized_credentials")


def test_a_streamed_body_is_cut_off_at_the_limit(emulator_server: EmulatorServer) -> None:
    """Chunked (no Content-Length): counted as it arrives, refused once over the limit."""
    port = emulator_server.port
    chunk = b"x" * 65536
    with socket.create_connection(("127.0.0.1", port)) as sock:
        head = request_bytes("POST", "/v1/b2b/organizations", f"127.0.0.1:{port}", {
            "Authorization": BASIC, "Content-Type": "application/json",
            "Transfer-Encoding": "chunked"})
        body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5)) + b"0\r\n\r\n"
        answer = exchange(sock, head + body, timeout=5)
    assert (answer.status, answer.json["error_type"]) == (413, "request_too_large")
