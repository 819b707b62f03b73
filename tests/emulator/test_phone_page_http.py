"""The simulated phone page over raw HTTP: served on the emulator's loopback address to a tab
or a loopback frame, refused for any other Host, and made of its own files only (nothing from
the network). tests/browser/test_phone_page.py drives it in a browser."""

from __future__ import annotations

import http.client
import json
import re

import pytest

from emulator import EmulatorServer
from emulator.api.phone import PAGE_DIR
from emulator_steps import Tenant

PAGE = "/emulator/v1/phone"


def get(port: int, path: str, host: str) -> tuple[int, dict[str, str], bytes]:
    """One GET as a browser tab sends it (a navigation: no Origin), with this Host header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.putheader("Accept", "text/html")
        connection.endheaders()
        answer = connection.getresponse()
        headers: dict[str, str] = {}
        for name, value in answer.getheaders():  # repeated headers joined, as HTTP allows
            headers[name.lower()] = f"{headers[name.lower()]}, {value}" if name.lower() in headers else value
        return answer.status, headers, answer.read()
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_the_page_answers_its_loopback_address(emulator_server: EmulatorServer, host: str) -> None:
    status, headers, body = get(emulator_server.port, PAGE, host.format(port=emulator_server.port))
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "Emulator only</span> — a simulated phone" in body.decode()
    # A JupyterLab page on another loopback port may frame it (the gate's policy), no one else.
    assert "frame-ancestors 'self' http://127.0.0.1:* http://localhost:*" in headers["content-security-policy"]
    assert "x-frame-options" not in headers


@pytest.mark.parametrize("host", ["rebind.evil.example:{port}", "127.0.0.1.nip.io:{port}", "127.0.0.1:1", "127.0.0.1"])
@pytest.mark.parametrize("path", [PAGE, f"{PAGE}/phone.js", "/emulator/v1/totp_registrations"])
def test_the_page_and_its_reads_are_refused_for_another_host(emulator_server: EmulatorServer, tenant: Tenant,
                                                             host: str, path: str) -> None:
    """A DNS-rebinding page reaches the port under its own host name: it gets neither the page
    nor the codes the page shows."""
    tenant.client.totps.create(**tenant.ids)
    [registration] = tenant.control.totp_registrations()
    status, headers, body = get(emulator_server.port, path, host.format(port=emulator_server.port))
    assert status == 403 and json.loads(body)["error_type"] == "host_not_allowed"
    assert b"<html" not in body and registration["code"].encode() not in body
    assert b"totp_registrations" not in body


def test_the_page_loads_its_own_files_and_nothing_else(emulator_server: EmulatorServer) -> None:
    """No CDN, no font service: every file the page names is served by the emulator, and its
    policy lets the browser fetch nothing from elsewhere."""
    host = f"127.0.0.1:{emulator_server.port}"
    status, headers, body = get(emulator_server.port, PAGE, host)
    named = re.findall(r'(?:src|href)="([^"]+)"', body.decode())
    assert named == ["data:,", f"{PAGE}/phone.css", f"{PAGE}/phone.js"]
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
    for name, media_type in [("phone.css", "text/css"), ("phone.js", "text/javascript")]:
        status, headers, body = get(emulator_server.port, f"{PAGE}/{name}", host)
        assert status == 200 and headers["content-type"].startswith(media_type)
        assert body == (PAGE_DIR / name).read_bytes()
        assert not re.search(rb"https?://|//[a-z]", body), f"{name} names another host"


@pytest.mark.parametrize("name", ["phone.html", "missing.js", "..%2Fapi%2Fphone.py", "%2e%2e"])
def test_only_the_pages_files_are_served(emulator_server: EmulatorServer, name: str) -> None:
    status, _, body = get(emulator_server.port, f"{PAGE}/{name}", f"127.0.0.1:{emulator_server.port}")
    assert status == 404 and json.loads(body)["error_type"] == "route_not_found"
