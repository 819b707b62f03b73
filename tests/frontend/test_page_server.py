"""The page server of the frontend samples, without a browser: it refuses to start without the
pinned SDK (and says how to get it), serves the SDK's own ES modules and the pages' settings,
and shows the emulator's outbox."""

from __future__ import annotations

import json
import subprocess
import sys

from typing import Iterator

import pytest
import requests
import stytch

from emulator import DEMO_PUBLIC_TOKEN, EmulatorControl, EmulatorServer
from emulator.server import free_port
from frontend import server
from frontend.server import SdkMissing, check_sdk, create_app, running


class Pages(requests.Session):
    """requests against the page server, by path."""

    def __init__(self, origin: str) -> None:
        super().__init__()
        self.origin = origin

    def get(self, path: str, **kwargs) -> requests.Response:  # type: ignore[override]
        return super().get(self.origin + path, timeout=10, **kwargs)


@pytest.fixture(scope="module")
def origin(emulator_server: EmulatorServer) -> Iterator[str]:
    try:
        check_sdk()
    except SdkMissing as missing:
        pytest.skip(str(missing))
    with running(emulator_server.url, free_port()) as served:
        yield served


@pytest.fixture
def pages(origin: str, control: EmulatorControl) -> Iterator[Pages]:
    with Pages(origin) as session:
        yield session


def test_the_pinned_sdk_is_what_npm_installed() -> None:
    lock = json.loads((server.HERE / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/@stytch/vanilla-js"]["version"] == server.PINNED_VERSION == "6.3.0"
    assert "resolved" not in json.dumps(lock), "the lockfile must not pin download URLs"


def test_without_the_sdk_it_refuses_to_start_and_says_what_to_run(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(server, "SDK_PACKAGE", tmp_path / "missing")
    with pytest.raises(SdkMissing, match="make frontend"):
        create_app("http://127.0.0.1:1")


def test_python_m_frontend_says_it_in_one_line(tmp_path) -> None:
    """Where the SDK is not installed, `python -m frontend` prints one line and exits 2."""
    script = ("import sys, frontend.server as s, pathlib; s.SDK_PACKAGE = pathlib.Path(sys.argv[1]); "
              "from frontend.__main__ import main; sys.exit(main(['--port', '1']))")
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "make frontend" in run.stderr


def test_the_sdk_modules_are_served_as_javascript(pages: Pages) -> None:
    entry = pages.get("/vendor/stytch/b2b/index.headless.mjs")
    assert entry.status_code == 200 and entry.headers["content-type"].startswith("text/javascript")
    assert "StytchB2BHeadlessClient" in entry.text


def test_the_pages_settings_point_the_sdk_at_the_emulator(pages: Pages, emulator_server: EmulatorServer) -> None:
    config = pages.get("/config.js").text
    assert f'export const STYTCH_PUBLIC_TOKEN = "{DEMO_PUBLIC_TOKEN}";' in config
    assert f'"testAPIURL": "{emulator_server.url}"' in config
    page = pages.get("/first-time-enrollment.html")
    assert "frame-ancestors 'self' http://127.0.0.1:* http://localhost:*" in page.headers["content-security-policy"]
    assert '"@stytch/vanilla-js/b2b/headless": "/vendor/stytch/b2b/index.headless.mjs"' in page.text


def test_the_outbox_view_finds_a_members_sms_by_member(pages: Pages, client: stytch.B2BClient) -> None:
    """The returning-login page sees the member's number masked: it asks by member."""
    org = client.organizations.create(organization_name="Acme", organization_slug="acme").organization
    member = client.organizations.members.create(organization_id=org.organization_id, email_address="ada@acme.test",
                                                 mfa_phone_number="+14155550123").member
    client.magic_links.email.login_or_signup(organization_id=org.organization_id, email_address="ada@acme.test")
    # An administrator set the phone: the emulator texts it at login (SMS is the member's way in).
    token = pages.get("/outbox", params={"to": "ada@acme.test"}).json()["messages"][0]["token"]
    client.organizations.update(organization_id=org.organization_id, mfa_policy="REQUIRED_FOR_ALL")
    client.magic_links.authenticate(magic_links_token=token)
    by_member = pages.get("/outbox", params={"member": member.member_id}).json()["messages"]
    assert [(m["channel"], m["to"]) for m in by_member] == [("sms", "+14155550123")]
    assert pages.get("/outbox", params={"member": "member-test-nobody"}).json()["messages"] == []
