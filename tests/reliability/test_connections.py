"""A kept-alive connection survives an error: after a 4xx, and after an unexpected exception
(answered in Stytch's shape and logged with its request ID), the client's next call on the same
connection is answered. (The idle timeout: test_keep_alive.py.)"""

from __future__ import annotations

import socket
import sqlite3

import pytest
import requests

from emulator import EmulatorServer
from reliability_steps import BASIC, Tenant, exchange, request_bytes


def _health(port: int) -> bytes:
    return request_bytes("GET", "/emulator/v1/health", f"127.0.0.1:{port}")


@pytest.mark.parametrize(("request_of", "status"), [
    (lambda h: request_bytes("POST", "/v1/b2b/organizations", h, {"Authorization": BASIC,
                                                                   "Content-Type": "application/json"}, b"{nope"), 400),
    (lambda h: request_bytes("POST", "/v1/b2b/organizations", h, {"Content-Type": "application/json"}, b"{}"), 401),
    (lambda h: request_bytes("GET", "/v1/b2b/nothing", h, {"Authorization": BASIC}), 404),
    (lambda h: request_bytes("POST", "/v1/b2b/organizations", h, {"Authorization": BASIC,
                                                                   "Content-Type": "application/json"},
                             b'{"organization_name": "' + b"x" * 300_000 + b'"}'), 413),
    (lambda h: request_bytes("POST", "/emulator/v1/reset", h, {"Content-Type": "text/plain"}, b"{}"), 415),
], ids=["400", "401", "404", "413", "415"])
def test_an_error_keeps_the_connection(emulator_server: EmulatorServer, request_of, status: int) -> None:
    port = emulator_server.port
    with socket.create_connection(("127.0.0.1", port)) as sock:
        answer = exchange(sock, request_of(f"127.0.0.1:{port}"))
        assert answer.status == status == answer.json["status_code"]
        assert exchange(sock, _health(port)).status == 200


def test_an_unexpected_exception_answers_in_stytchs_shape(emulator_server: EmulatorServer, http: requests.Session,
                                                          tenant: Tenant) -> None:
    """A record the models cannot read (written by hand) makes the route fail: the answer is
    Stytch's 500 body, the log names its request ID, and the connection still serves."""
    broken = "member-test-00000000-0000-4000-8000-00000000b00c"
    with sqlite3.connect(emulator_server.db_path) as db:
        db.execute("INSERT INTO records (kind, id, organization_id, member_id, lookup, created, data)"
                   " VALUES ('member', ?, ?, ?, 'broken@acme.test', 0, '{}')",
                   (broken, tenant.organization_id, broken))
    port = emulator_server.port
    with socket.create_connection(("127.0.0.1", port)) as sock:
        path = f"/v1/b2b/organizations/{tenant.organization_id}/member?member_id={broken}"
        answer = exchange(sock, request_bytes("GET", path, f"127.0.0.1:{port}", {"Authorization": BASIC}))
        body = answer.json
        assert (answer.status, body["status_code"], body["error_type"]) == (500, 500, "internal_server_error")
        assert set(body) == {"status_code", "request_id", "error_type", "error_message", "error_url"}
        assert exchange(sock, _health(port)).status == 200
    log = emulator_server.log_path.read_text()
    assert body["request_id"] in log and "KeyError" in log.split(body["request_id"], 1)[1]
