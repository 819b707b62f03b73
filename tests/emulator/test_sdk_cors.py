"""CORS on the frontend SDK's door: a page the project allows gets a credentialed grant naming
its origin (never `*`), on every answer including the gate's own refusals; any other page is
refused before anything runs, and its browser can read nothing."""

from __future__ import annotations

import base64

import pytest
import requests

from emulator import DEMO_PUBLIC_TOKEN, EmulatorControl, EmulatorServer

AUTH = "Basic " + base64.b64encode(f"{DEMO_PUBLIC_TOKEN}:{DEMO_PUBLIC_TOKEN}".encode()).decode()
SDK_HEADERS = "authorization,content-type,x-sdk-client,x-sdk-parent-host"


def _preflight(url: str, origin: str) -> requests.Response:
    return requests.options(f"{url}/sdk/v1/b2b/otps/sms/send", timeout=10, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": SDK_HEADERS})


def _get(url: str, origin: str | None, path: str = "/sdk/v1/b2b/organizations/me") -> requests.Response:
    headers = {"Authorization": AUTH, **({"Origin": origin} if origin else {})}
    return requests.get(f"{url}{path}", headers=headers, timeout=10)


@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://127.0.0.1:8888", "http://localhost:8866"])
def test_a_default_page_origin_gets_a_credentialed_grant(emulator_server: EmulatorServer,
                                                         control: EmulatorControl, origin: str) -> None:
    answer = _preflight(emulator_server.url, origin)
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == origin
    assert answer.headers["access-control-allow-credentials"] == "true"
    allowed = {h.strip().lower() for h in answer.headers["access-control-allow-headers"].split(",")}
    assert set(SDK_HEADERS.split(",")) <= allowed
    assert "POST" in answer.headers["access-control-allow-methods"]
    assert "Origin" in answer.headers["vary"]


def test_the_emulators_own_origin_is_allowed(emulator_server: EmulatorServer, control: EmulatorControl) -> None:
    own = f"http://localhost:{emulator_server.port}"
    assert _get(emulator_server.url, own).headers["access-control-allow-origin"] == own


@pytest.mark.parametrize("origin", ["http://evil.test", "http://localhost:3001", "null", "https://localhost:3000"])
def test_an_origin_the_project_does_not_allow_is_refused_and_granted_nothing(
        emulator_server: EmulatorServer, control: EmulatorControl, origin: str) -> None:
    for answer in (_preflight(emulator_server.url, origin), _get(emulator_server.url, origin)):
        assert answer.status_code == 403
        assert answer.json()["error_type"] == "bad_domain_for_stytch_sdk"
        assert not [h for h in answer.headers if h.lower().startswith("access-control-")]


def test_an_origin_the_project_adds_is_allowed(emulator_server: EmulatorServer, control: EmulatorControl) -> None:
    origin = "http://localhost:5173"
    assert _get(emulator_server.url, origin).status_code == 403
    control.update_project(sdk_allowed_origins=[*control.project()["sdk_allowed_origins"], origin])
    assert _get(emulator_server.url, origin).headers["access-control-allow-origin"] == origin


def test_the_gates_own_refusals_carry_the_grant(emulator_server: EmulatorServer, control: EmulatorControl) -> None:
    """A 413 or a body the gate refuses must still be readable by the page (else the SDK sees
    'Failed to fetch' instead of Stytch's error)."""
    origin = "http://localhost:3000"
    url = f"{emulator_server.url}/sdk/v1/b2b/otps/sms/send"
    headers = {"Authorization": AUTH, "Origin": origin, "Content-Type": "application/json"}
    too_large = requests.post(url, data=b"[" + b"0," * 200_000 + b"0]", headers=headers, timeout=10)
    not_json = requests.post(url, data=b'{"code": NaN}', headers=headers, timeout=10)
    no_token = requests.post(url, json={}, headers={"Origin": origin}, timeout=10)
    for answer, error_type in ((too_large, "request_too_large"), (not_json, "bad_request"),
                               (no_token, "unauthorized_credentials")):
        assert answer.json()["error_type"] == error_type
        assert answer.headers["access-control-allow-origin"] == origin
        assert answer.headers["access-control-allow-credentials"] == "true"


def test_no_browser_no_grant(emulator_server: EmulatorServer, control: EmulatorControl) -> None:
    """Without an Origin (curl, a server): the door answers, with no CORS headers to give."""
    answer = _get(emulator_server.url, None, f"/sdk/v1/projects/bootstrap/{DEMO_PUBLIC_TOKEN}")
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers


def test_the_emulator_only_api_still_grants_no_page(emulator_server: EmulatorServer,
                                                    control: EmulatorControl) -> None:
    """The /sdk/ grant does not leak to the loopback-only API, even for an allowed page."""
    answer = requests.options(f"{emulator_server.url}/emulator/v1/messages", timeout=10, headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in answer.headers
