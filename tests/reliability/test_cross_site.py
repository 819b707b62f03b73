"""No web page can drive the emulator-only API: the requests a page can make the browser send
(a DNS-rebinding read, a form POST, a `no-cors` fetch, a preflight), as raw HTTP. Each is
refused in Stytch's error shape, and nothing changes; the emulator's own loopback URL, and
its own pages, still work."""

from __future__ import annotations

import pytest
import requests

from emulator import EmulatorControl, EmulatorServer
from reliability_steps import Tenant, magic_link_login, raw

EVIL = "http://evil.example"


def assert_refused(answer, status: int, error_type: str) -> None:
    assert (answer.status, answer.json["error_type"], answer.json["status_code"]) == (status, error_type, status)
    assert not any(k.startswith("access-control-") for k in answer.headers), answer.headers


@pytest.fixture
def state(http: requests.Session, control: EmulatorControl, tenant: Tenant) -> Tenant:
    """Something to lose: an organization, and a magic-link email in the outbox."""
    http.post(f"{tenant.url}/v1/b2b/magic_links/email/login_or_signup",
              json={"organization_id": tenant.organization_id, "email_address": tenant.email})
    return tenant


def assert_intact(control: EmulatorControl, http: requests.Session, tenant: Tenant) -> None:
    assert control.health()["status"] == "ok"
    assert len(control.messages(to=tenant.email)) == 1
    assert http.get(f"{tenant.url}/v1/b2b/organizations/{tenant.organization_id}").status_code == 200


@pytest.mark.parametrize("host", [
    "rebind.evil.example", "rebind.evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost.evil.example:{port}",
    "127.0.0.1:1", "127.0.0.1", "0.0.0.0:{port}", None,
], ids=["name", "name-port", "nip-io", "localhost-suffix", "other-port", "no-port", "any-address", "no-host"])
def test_a_rebinding_page_cannot_read_the_outbox(emulator_server: EmulatorServer, state: Tenant,
                                                 control: EmulatorControl, host: str | None) -> None:
    """After DNS rebinding, the page's requests carry its own host name: refused, no codes leak."""
    answer = raw(emulator_server.port, "GET", f"/emulator/v1/messages?to={state.email}",
                 host=host.format(port=emulator_server.port) if host else None)
    assert_refused(answer, 403, "host_not_allowed")
    assert b"token" not in answer.raw


@pytest.mark.parametrize(("path", "headers", "error_type", "status"), [
    ("/emulator/v1/reset", {"Content-Type": "application/x-www-form-urlencoded", "Origin": EVIL},
     "cross_origin_request_refused", 403),
    ("/emulator/v1/shutdown", {"Content-Type": "multipart/form-data; boundary=x", "Origin": EVIL},
     "cross_origin_request_refused", 403),
    ("/emulator/v1/reset", {"Content-Type": "text/plain;charset=UTF-8", "Origin": EVIL},
     "cross_origin_request_refused", 403),
    ("/emulator/v1/reset", {"Content-Type": "application/json", "Origin": EVIL}, "cross_origin_request_refused", 403),
    ("/emulator/v1/reset", {"Content-Type": "application/json", "Origin": "null"}, "cross_origin_request_refused", 403),
    ("/emulator/v1/shutdown", {"Content-Type": "text/plain"}, "json_content_type_required", 415),
    ("/emulator/v1/reset", {}, "json_content_type_required", 415),
    ("/emulator/v1/clock/advance", {"Content-Type": "application/x-www-form-urlencoded"},
     "json_content_type_required", 415),
], ids=["form-reset", "multipart-shutdown", "no-cors-reset", "json-from-elsewhere", "opaque-origin",
        "text-shutdown-no-origin", "bare-reset", "form-clock"])
def test_a_cross_site_post_changes_nothing(emulator_server: EmulatorServer, state: Tenant, control: EmulatorControl,
                                          http: requests.Session, path: str, headers: dict, error_type: str,
                                          status: int) -> None:
    """Form POSTs and no-cors fetches (simple requests: no JSON content type) and POSTs from
    another origin reach the server but change nothing: no reset, no shutdown, no clock move."""
    answer = raw(emulator_server.port, "POST", path, headers=headers, body=b'{"seconds": 3600}')
    assert_refused(answer, status, error_type)
    assert_intact(control, http, state)
    assert control.clock()["offset_seconds"] == 0


def test_a_preflight_gets_no_cors_grant(emulator_server: EmulatorServer, state: Tenant, control: EmulatorControl,
                                       http: requests.Session) -> None:
    """A page that wants to send JSON must ask first; the answer grants nothing."""
    answer = raw(emulator_server.port, "OPTIONS", "/emulator/v1/reset", headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert_refused(answer, 403, "cross_origin_request_refused")
    assert_intact(control, http, state)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_the_loopback_url_still_works(emulator_server: EmulatorServer, state: Tenant, host: str) -> None:
    host = host.format(port=emulator_server.port)
    answer = raw(emulator_server.port, "GET", f"/emulator/v1/messages?to={state.email}", host=host)
    assert answer.status == 200 and answer.json["messages"][0]["token"]
    moved = raw(emulator_server.port, "POST", "/emulator/v1/clock/reset", host=host,
                headers={"Content-Type": "application/json; charset=utf-8", "Origin": f"http://{host.lower()}"})
    assert moved.status == 200 and moved.json["offset_seconds"] == 0


def test_a_browser_tab_and_a_loopback_frame_may_open_its_pages(emulator_server: EmulatorServer,
                                                               control: EmulatorControl) -> None:
    """A person opens a page under /emulator/v1 in a tab (a navigation: GET, no Origin); a
    JupyterLab page on another loopback port may frame it; no other site may."""
    answer = raw(emulator_server.port, "GET", "/emulator/v1/health", headers={
        "Accept": "text/html", "Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})
    assert answer.status == 200
    assert "x-frame-options" not in answer.headers
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors" in policy and "http://127.0.0.1:*" in policy and "http://localhost:*" in policy
    assert "*.evil" not in policy and " * " not in f" {policy} "


def test_other_prefixes_are_not_the_guards(emulator_server: EmulatorServer, control: EmulatorControl) -> None:
    """The guard is for /emulator/ only: the frontend door (/sdk/v1) answers any Host and
    refuses pages by their Origin (its CORS rules, tests/emulator/test_sdk_cors.py), and the
    Stytch routes keep their own Basic auth."""
    sdk = raw(emulator_server.port, "POST", "/sdk/v1/b2b/sessions/authenticate", host="rebind.evil.example",
              headers={"Content-Type": "text/plain", "Origin": EVIL})
    assert sdk.status == 403 and sdk.json["error_type"] == "bad_domain_for_stytch_sdk"
    allowed = raw(emulator_server.port, "POST", "/sdk/v1/b2b/sessions/authenticate", host="rebind.evil.example",
                  headers={"Content-Type": "text/plain", "Origin": "http://localhost:3000"})
    assert allowed.status == 401 and allowed.json["error_type"] == "unauthorized_credentials"
    backend = raw(emulator_server.port, "GET", "/v1/b2b/organizations/acme")
    assert backend.status == 401 and backend.json["error_type"] == "unauthorized_credentials"


def test_the_control_client_keeps_working(control: EmulatorControl, http: requests.Session, tenant: Tenant) -> None:
    """EmulatorControl sends JSON to the loopback URL: every call of it passes the guard."""
    login = magic_link_login(http, control, tenant)
    assert login["member_authenticated"] is True
    control.advance_clock(60)
    control.reset_clock()
    control.seed(7)
    control.clear_messages()
    control.reset()
    assert control.messages() == []
