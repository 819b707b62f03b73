"""Time and keys: the clock cannot run past what timestamps can show, a broken stored clock is
reset at start, the state files (signing key, TOTP secrets) are the owner's only, and
sessions.authenticate checks a JWT's aud, iss, nbf and exp as the SDK does locally, on the
emulator's clock."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from emulator import DEMO_PROJECT_ID, EmulatorControl, EmulatorServer
from emulator.state import Context
from reliability_steps import Tenant, in_process, magic_link_login

TEN_YEARS = 10 * 365 * 86400  # the most one advance may move


def _old_state(path: Path, clock_offset: float) -> Context:
    """Open (as a starting emulator does) a state file an older emulator left: its clock moved
    by `clock_offset`, the file world-readable."""
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        old.execute("INSERT INTO meta VALUES ('clock_offset_seconds', ?)", (repr(clock_offset),))
    os.chmod(path, 0o644)
    return Context.open(DEMO_PROJECT_ID, str(path))


def _year(unix: float) -> int:
    return datetime.fromtimestamp(unix, tz=timezone.utc).year


def _stamps_times(call) -> None:
    """Routes that stamp a time answer: an organization, a member, a magic link, a session."""
    org = call("POST", "/v1/b2b/organizations", json={"organization_name": "Late", "organization_slug": "late",
                                                      "mfa_policy": "OPTIONAL"})
    assert org.status_code == 200, org.text
    org_id = org.json()["organization"]["organization_id"]
    assert call("POST", f"/v1/b2b/organizations/{org_id}/members", json={"email_address": "l@late.test"}).status_code == 200
    assert call("POST", "/v1/b2b/magic_links/email/login_or_signup",
                json={"organization_id": org_id, "email_address": "l@late.test"}).status_code == 200
    token = call("GET", "/emulator/v1/messages", params={"to": "l@late.test", "limit": 1}).json()["messages"][0]["token"]
    login = call("POST", "/v1/b2b/magic_links/authenticate", json={"magic_links_token": token})
    assert login.status_code == 200 and login.json()["member_authenticated"] is True, login.text


def test_the_clock_stops_before_timestamps_run_out(tmp_path: Path) -> None:
    """Ten-year advances used to pass year 9999 (798 of them from today), after which every
    route that stamps a time failed, even after a restart. Here the clock starts in 9995: the
    next advance is refused."""
    ctx = _old_state(tmp_path / "late.sqlite3", datetime(9995, 1, 1, tzinfo=timezone.utc).timestamp() - time.time())
    call = in_process(ctx)
    assert _year(ctx.clock.now()) == 9995
    refused = call("POST", "/emulator/v1/clock/advance", json={"seconds": TEN_YEARS})
    assert (refused.status_code, refused.json()["error_type"]) == (400, "bad_request")
    assert _year(call("GET", "/emulator/v1/clock").json()["now_unix"]) == 9995
    _stamps_times(call)


def test_a_stored_clock_out_of_range_is_reset_at_start(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    call = in_process(_old_state(db, 252_000_000_000.0))  # 7,985 years: past 9999 from today
    assert call("GET", "/emulator/v1/clock").json()["offset_seconds"] == 0
    _stamps_times(call)
    assert _mode(db) == 0o600


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_state_files_are_the_owners_only(emulator_server: EmulatorServer, tenant: Tenant) -> None:
    """The database holds the JWT signing key and TOTP secrets; SQLite's -wal and -shm files
    hold the same data."""
    db = Path(emulator_server.db_path)
    files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}


# The JWT check -------------------------------------------------------------------------------


@pytest.fixture
def session(http: requests.Session, control: EmulatorControl, tenant: Tenant) -> dict[str, Any]:
    login = magic_link_login(http, control, tenant)
    assert login["member_authenticated"] is True
    return login


def _signing_key(emulator_server: EmulatorServer) -> Any:
    with sqlite3.connect(emulator_server.db_path) as db:
        pem = db.execute("SELECT value FROM meta WHERE key='signing_key_pem'").fetchone()[0]
        kid = db.execute("SELECT value FROM meta WHERE key='signing_key_kid'").fetchone()[0]
    return pem, kid


def _forge(emulator_server: EmulatorServer, issued: str, change: dict[str, Any], drop: tuple[str, ...] = (),
           key: Any = None) -> str:
    """The emulator's own JWT, its claims changed, signed again with the emulator's key."""
    pem, kid = _signing_key(emulator_server)
    claims = {**jwt.decode(issued, options={"verify_signature": False}), **change}
    for claim in drop:
        claims.pop(claim)
    return jwt.encode(claims, key or pem, algorithm="RS256", headers={"kid": kid})


def _authenticate(http: requests.Session, url: str, token: str) -> tuple[int, str]:
    answer = http.post(f"{url}/v1/b2b/sessions/authenticate", json={"session_jwt": token})
    return answer.status_code, answer.json().get("error_type", "")


def test_a_jwt_for_another_audience_or_issuer_is_refused(emulator_server: EmulatorServer, http: requests.Session,
                                                         session: dict[str, Any], tenant: Tenant) -> None:
    issued = session["session_jwt"]
    assert _authenticate(http, tenant.url, _forge(emulator_server, issued, {}))[0] == 200  # the forger works
    cases = {
        "audience": ({"aud": ["project-test-someone-else"]}, (), "jwt_invalid_audience"),
        "issuer": ({"iss": "evil.example"}, (), "jwt_invalid_issuer"),
        "issuer-of-another-project": ({"iss": "stytch.com/project-test-someone-else"}, (), "jwt_invalid_issuer"),
        "no-nbf": ({}, ("nbf",), "jwt_invalid_claims"),
        "no-iss": ({}, ("iss",), "jwt_invalid_claims"),
        "no-exp": ({}, ("exp",), "jwt_invalid_claims"),
    }
    for name, (change, drop, error_type) in cases.items():
        status, got = _authenticate(http, tenant.url, _forge(emulator_server, issued, change, drop))
        assert (status, got) == (400, error_type), name
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert _authenticate(http, tenant.url, _forge(emulator_server, issued, {}, key=other_key)) == (
        400, "unable_to_parse_session_jwt")


def test_nbf_and_exp_are_read_on_the_emulators_clock(emulator_server: EmulatorServer, http: requests.Session,
                                                     control: EmulatorControl, session: dict[str, Any],
                                                     tenant: Tenant) -> None:
    issued = session["session_jwt"]
    now = int(control.now())
    not_yet = _forge(emulator_server, issued, {"nbf": now + 600})
    assert _authenticate(http, tenant.url, not_yet) == (400, "jwt_invalid_claims")
    assert _authenticate(http, tenant.url, _forge(emulator_server, issued, {"iat": now + 600})) == (
        400, "jwt_invalid_claims")
    control.advance_clock(900)  # the emulator's now passes nbf: the same JWT is good
    assert _authenticate(http, tenant.url, not_yet)[0] == 200
    # Expired by its exp while the session lives: Stytch refreshes it (a new JWT comes back).
    expired = _forge(emulator_server, issued, {"exp": int(control.now()) - 60})
    refreshed = http.post(f"{tenant.url}/v1/b2b/sessions/authenticate", json={"session_jwt": expired}).json()
    assert refreshed["status_code"] == 200 and refreshed["session_jwt"] != expired
    control.advance_clock(2 * 3600)  # the session (60 minutes) is over: nothing refreshes it
    assert _authenticate(http, tenant.url, expired) == (404, "session_not_found")
