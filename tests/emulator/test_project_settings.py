"""The emulated project's settings (what Stytch's dashboard holds), read and changed through the
emulator-only API, and what they decide, seen through the official SDK: redirect URLs, SMS
countries, masking of member_options.mfa_phone_number."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from emulator import EmulatorControl, EmulatorServer
from emulator.server import PortInUseError, free_port, probe
from emulator_steps import MASKED_PHONE, PHONE, Tenant, stytch_error

DEFAULTS = {
    "redirect_urls": [{"url": "http://localhost:3000/authenticate", "valid_types": [
        {"type": "LOGIN", "is_default": True}, {"type": "SIGNUP", "is_default": True}]}],
    "sms_allowed_country_codes": ["US", "CA"],
    "mask_mfa_phone_number": True,
    "user_lock_threshold": 10,
    "user_lock_ttl_minutes": 60,
    "sms_sends_per_phone_per_hour": 30,
    "sms_sends_per_member_per_hour": 10,
    "intermediate_session_failed_attempts": 5,
    "public_token": "public-token-test-00000000-0000-4000-8000-000000000000",
    "sdk_allowed_origins": ["http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:8888",
                            "http://127.0.0.1:8888", "http://localhost:8866", "http://127.0.0.1:8866"],
    "sdk_dfp_protected_auth_enabled": False,
    "sdk_captcha_enabled": False,
}
UK_PHONE = "+442079460123"  # a number Ofcom keeps for drama: valid, and no one's
CANADA_PHONE = "+16135550123"


def test_defaults_and_reset(control: EmulatorControl) -> None:
    """A fresh project has Stytch's defaults; reset restores them after a change."""
    assert control.project() == DEFAULTS
    changed = control.update_project(mask_mfa_phone_number=False, user_lock_threshold=3)
    assert {**DEFAULTS, "mask_mfa_phone_number": False, "user_lock_threshold": 3} == changed == control.project()
    control.reset()
    assert control.project() == DEFAULTS


@pytest.mark.parametrize("changes", [
    {"user_lock_threshold": 0},
    {"user_lock_threshold": 101},
    {"user_lock_ttl_minutes": 4},
    {"user_lock_threshold": "10"},
    {"mask_mfa_phone_number": "no"},
    {"sms_allowed_country_codes": ["USA"]},
    {"sms_sends_per_member_per_hour": 0},
    {"redirect_urls": [{"url": "localhost:3000/authenticate", "valid_types": [{"type": "LOGIN"}]}]},
    {"redirect_urls": [{"url": "http://localhost:3000/a", "valid_types": [{"type": "LOGON"}]}]},
    {"redirect_urls": [{"url": "http://localhost:3000/a", "valid_types": []}]},
    {"redirect_urls": [{"url": "http://a.test/1", "valid_types": [{"type": "LOGIN", "is_default": True}]},
                       {"url": "http://a.test/2", "valid_types": [{"type": "LOGIN", "is_default": True}]}]},
    {"lockout": True},
    {"public_token": "public-token-test-mine"},
    {"sdk_allowed_origins": ["*"]},
    {"sdk_allowed_origins": ["http://localhost:3000/"]},
    {"sdk_allowed_origins": ["http://localhost:3000/app"]},
    {"sdk_allowed_origins": ["HTTP://LOCALHOST:3000"]},
    {"sdk_allowed_origins": ["null"]},
    {"sdk_allowed_origins": ["localhost:3000"]},
    {"sdk_allowed_origins": ["http://*.example.com"]},
    {"sdk_dfp_protected_auth_enabled": True},
    {"sdk_captcha_enabled": True},
])
def test_invalid_settings_are_refused_and_change_nothing(emulator_server: EmulatorServer,
                                                         control: EmulatorControl, changes: dict) -> None:
    answer = requests.patch(f"{emulator_server.url}/emulator/v1/project", json={"mask_mfa_phone_number": False,
                                                                              **changes})
    body = answer.json()
    assert (answer.status_code, body["status_code"], body["error_type"]) == (400, 400, "bad_request")
    assert body["request_id"] and body["error_message"]
    assert control.project() == DEFAULTS


def test_the_command_line_sets_settings_that_persist(tmp_path: Path) -> None:
    """python -m emulator --project-settings applies at start and is kept with the state."""
    port, db = free_port(), tmp_path / "state.sqlite3"
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"mask_mfa_phone_number": False, "sms_allowed_country_codes": ["GB"]}))
    command = [sys.executable, "-m", "emulator", "--port", str(port), "--db", str(db), "--quiet",
               "--project-settings", f"@{settings}"]
    for run in range(2):  # the second start has no flag: the settings come from the state file
        process = subprocess.Popen(command if run == 0 else command[:-2], stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while not _healthy(port):
                assert process.poll() is None and time.monotonic() < deadline, "the emulator did not start"
                time.sleep(0.05)
            project = EmulatorControl(f"http://127.0.0.1:{port}").project()
            assert (project["mask_mfa_phone_number"], project["sms_allowed_country_codes"]) == (False, ["GB"])
        finally:
            process.terminate()
            process.wait(timeout=10)


def _healthy(port: int) -> bool:
    try:
        return probe(port)
    except PortInUseError:  # listening, not answering yet
        return False


# Redirect URLs -----------------------------------------------------------------------------

def test_login_or_signup_to_an_unregistered_url_fails(tenant: Tenant) -> None:
    """Stytch sends magic links only to registered redirect URLs, matched exactly; nothing is sent."""
    for url in ("https://evil.example/authenticate", "http://localhost:3000/authenticate/",
                "http://localhost:3000/authenticate?next=/admin"):
        with stytch_error("no_match_for_provided_magic_link_url"):
            tenant.client.magic_links.email.login_or_signup(organization_id=tenant.organization_id,
                                                            email_address=tenant.email, login_redirect_url=url)
    assert tenant.control.messages(to=tenant.email) == []


def test_the_default_redirect_url_and_registered_ones(tenant: Tenant) -> None:
    """No URL: the default login URL. A registered URL with a query keeps it."""
    tenant.client.magic_links.email.login_or_signup(organization_id=tenant.organization_id, email_address=tenant.email)
    link = urlparse(tenant.control.latest_message(tenant.email, "email")["url"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == "http://localhost:3000/authenticate"

    registered = "https://app.example/auth?tenant=acme"
    tenant.control.update_project(redirect_urls=[
        *DEFAULTS["redirect_urls"], {"url": registered, "valid_types": [{"type": "LOGIN"}]}])
    tenant.client.magic_links.email.login_or_signup(organization_id=tenant.organization_id,
                                                    email_address=tenant.email, login_redirect_url=registered)
    url = tenant.control.latest_message(tenant.email, "email")["url"]
    assert url.startswith(registered + "&stytch_token_type=multi_tenant_magic_links&token=")


def test_a_login_url_is_not_a_signup_url(tenant: Tenant) -> None:
    """Redirect URLs have types: a pending member's sign-up link needs a SIGNUP URL."""
    login_only = "http://localhost:3000/login"
    tenant.control.update_project(redirect_urls=[
        {"url": login_only, "valid_types": [{"type": "LOGIN", "is_default": True}]}])
    pending = tenant.client.organizations.members.create(organization_id=tenant.organization_id,
                                                         email_address="new@acme.test", create_member_as_pending=True)
    with stytch_error("no_match_for_provided_magic_link_url"):
        tenant.client.magic_links.email.login_or_signup(organization_id=tenant.organization_id,
                                                        email_address=pending.member.email_address,
                                                        signup_redirect_url=login_only)
    with stytch_error("no_default_signup_redirect_url_set"):
        tenant.client.magic_links.email.login_or_signup(organization_id=tenant.organization_id,
                                                        email_address=pending.member.email_address)
    sent = tenant.client.magic_links.email.login_or_signup(organization_id=tenant.organization_id,
                                                           email_address=tenant.email)
    assert sent.member_created is False


# SMS countries -----------------------------------------------------------------------------

def test_sms_goes_to_the_us_and_canada_only_by_default(tenant: Tenant) -> None:
    """A UK number is refused (and not linked) until the project allows GB; Canada works."""
    ist = tenant.ist()
    with stytch_error("invalid_phone_number_country_code"):
        tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=UK_PHONE, intermediate_session_token=ist)
    assert tenant.client.organizations.members.get(**tenant.ids).member.mfa_phone_number == ""
    assert tenant.control.messages(to=UK_PHONE) == []

    sent = tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=CANADA_PHONE, intermediate_session_token=ist)
    assert sent.member.mfa_phone_number == CANADA_PHONE

    tenant.control.update_project(sms_allowed_country_codes=["US", "CA", "GB"])
    sent = tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=UK_PHONE, intermediate_session_token=ist)
    assert sent.member.mfa_phone_number == UK_PHONE
    assert tenant.control.latest_message(UK_PHONE, "sms")


def test_no_auto_send_to_a_country_not_allowed(tenant: Tenant) -> None:
    """An administrator may store a UK number; primary login then texts nothing to it."""
    tenant.client.organizations.members.update(**tenant.ids, mfa_phone_number=UK_PHONE)
    primary = tenant.magic_link()
    assert primary.mfa_required.secondary_auth_initiated is None
    assert tenant.control.messages(to=UK_PHONE) == []
    with stytch_error("invalid_phone_number_country_code"):
        tenant.client.otps.sms.send(**tenant.ids, intermediate_session_token=primary.intermediate_session_token)


# Masking -----------------------------------------------------------------------------------

def test_member_options_masks_the_phone_by_default(tenant: Tenant) -> None:
    """member_options shows the last four digits; the member object keeps the whole number."""
    tenant.enroll_sms()
    primary = tenant.magic_link()
    assert primary.mfa_required.member_options.mfa_phone_number == MASKED_PHONE
    assert primary.member.mfa_phone_number == PHONE


def test_member_options_unmasked_is_a_setting(tenant: Tenant) -> None:
    tenant.enroll_sms()
    tenant.control.update_project(mask_mfa_phone_number=False)
    assert tenant.magic_link().mfa_required.member_options.mfa_phone_number == PHONE
