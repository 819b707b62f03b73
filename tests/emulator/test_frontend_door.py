"""The frontend SDK's door, /sdk/v1, over raw HTTP the way `@stytch/vanilla-js` calls it: Basic
public-token auth (the session token as the password once logged in), the IST in the body,
successes wrapped in {"data": ...}, errors at the top level. It shares the MFA rules with the
backend door: a member enrolled through one is the member the other sees, and a wrong code
through either counts toward the same lock. The browser itself is tests/browser's."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import requests
import stytch

from emulator import DEMO_PUBLIC_TOKEN, EmulatorControl, EmulatorServer
from emulator_steps import PHONE, Tenant, stytch_error

PAGE = "http://localhost:3000"  # allowed by default (make frontend's page)


class Browser:
    """The requests the SDK sends from a page on `origin`, keeping its session as the SDK's
    cookies would."""

    def __init__(self, base_url: str, origin: str = PAGE) -> None:
        self.base_url = base_url
        self.origin = origin
        self.session_token: str | None = None

    def headers(self) -> dict[str, str]:
        password = self.session_token or DEMO_PUBLIC_TOKEN
        basic = base64.b64encode(f"{DEMO_PUBLIC_TOKEN}:{password}".encode()).decode()
        return {"Authorization": f"Basic {basic}", "Origin": self.origin, "X-SDK-Client": "e30=",
                "X-SDK-Parent-Host": self.origin}

    def call(self, method: str, path: str, body: dict | None = None) -> requests.Response:
        return requests.request(method, f"{self.base_url}/sdk/v1{path}", json=body, headers=self.headers(), timeout=10)

    def ok(self, method: str, path: str, body: dict | None = None) -> dict[str, Any]:
        answer = self.call(method, path, body)
        assert answer.status_code == 200, answer.text
        assert answer.headers["access-control-allow-origin"] == self.origin
        data = answer.json()["data"]
        if data.get("session_token"):
            self.session_token = data["session_token"]
        return data

    def error(self, method: str, path: str, body: dict | None = None) -> dict[str, Any]:
        answer = self.call(method, path, body)
        error = answer.json()
        assert "data" not in error and error["status_code"] == answer.status_code >= 400, answer.text
        assert answer.headers.get("access-control-allow-origin") == self.origin, "the page must be able to read it"
        return error


@pytest.fixture
def page(emulator_server: EmulatorServer, control: EmulatorControl) -> Browser:
    return Browser(emulator_server.url)


def _primary(page: Browser, tenant: Tenant) -> dict[str, Any]:
    """magicLinks.email.loginOrSignup, then magicLinks.authenticate with the token from the email."""
    sent = page.ok("POST", "/b2b/magic_links/email/login_or_signup",
                   {"organization_id": tenant.organization_id, "email_address": tenant.email})
    assert sent["member_id"] == tenant.member_id
    token = tenant.control.latest_message(tenant.email, "email")["token"]
    return page.ok("POST", "/b2b/magic_links/authenticate",
                   {"magic_links_token": token, "session_duration_minutes": 60})


def test_bootstrap_keeps_the_sdk_offline(page: Browser) -> None:
    data = page.ok("GET", f"/projects/bootstrap/{DEMO_PUBLIC_TOKEN}")
    assert data["dfp_protected_auth_enabled"] is False
    assert data["captcha_settings"] == {"enabled": False}
    assert data["pkce_required_for_email_magic_links"] is False
    assert data["vertical"] == "B2B"


def test_first_time_sms_enrollment_through_the_frontend_door(page: Browser, tenant: Tenant,
                                                             client: stytch.B2BClient) -> None:
    primary = _primary(page, tenant)
    assert primary["member_authenticated"] is False and primary["mfa_required"]["member_options"] is None
    ist = {"intermediate_session_token": primary["intermediate_session_token"], **tenant.ids}

    page.ok("POST", "/b2b/otps/sms/send", {**ist, "mfa_phone_number": PHONE})
    wrong = page.error("POST", "/b2b/otps/sms/authenticate", {**ist, "code": "000000", "session_duration_minutes": 60})
    assert wrong["error_type"] == "otp_code_not_found"
    done = page.ok("POST", "/b2b/otps/sms/authenticate",
                   {**ist, "code": tenant.sms_code(), "session_duration_minutes": 60})
    assert done["member_session"]["member_id"] == tenant.member_id

    # The backend SDK sees the same member, and accepts the session the page holds.
    member = client.organizations.members.get(**tenant.ids).member
    assert (member.mfa_phone_number, member.mfa_phone_number_verified, member.mfa_enrolled) == (PHONE, True, True)
    checked = client.sessions.authenticate(session_token=page.session_token)
    assert [f.type.value for f in checked.member_session.authentication_factors] == ["magic_link", "otp"]

    # What a logged-in page may read about itself.
    assert page.ok("GET", "/b2b/organizations/members/me")["member"]["member_id"] == tenant.member_id
    assert page.ok("GET", "/b2b/organizations/me")["organization"]["organization_id"] == tenant.organization_id
    assert page.ok("POST", "/b2b/sessions/authenticate", {})["member"]["member_id"] == tenant.member_id
    assert page.error("GET", "/b2b/recovery_codes")["error_type"] == "no_active_recovery_code_backed_factor"

    page.ok("POST", "/b2b/sessions/revoke")
    with stytch_error("session_not_found"):
        client.sessions.authenticate(session_token=page.session_token)
    assert page.error("GET", "/b2b/organizations/members/me")["error_type"] == "session_not_found"


def test_totp_enrollment_and_recovery_codes_through_the_frontend_door(page: Browser, tenant: Tenant,
                                                                      client: stytch.B2BClient) -> None:
    primary = _primary(page, tenant)
    ist = {"intermediate_session_token": primary["intermediate_session_token"], **tenant.ids}
    created = page.ok("POST", "/b2b/totp", {**ist, "expiration_minutes": 60})
    assert created["qr_code"].startswith("data:image/png;base64,") and len(created["recovery_codes"]) == 10
    page.ok("POST", "/b2b/totp/authenticate",
            {**ist, "code": tenant.totp_code(created["secret"]), "session_duration_minutes": 60})

    assert page.ok("GET", "/b2b/recovery_codes")["recovery_codes"] == created["recovery_codes"]
    rotated = page.ok("POST", "/b2b/recovery_codes/rotate")["recovery_codes"]
    assert set(rotated).isdisjoint(created["recovery_codes"])
    assert client.recovery_codes.get(**tenant.ids).recovery_codes == rotated


def test_optional_enrollment_uses_the_session_from_the_header(page: Browser, optional_tenant: Tenant,
                                                              client: stytch.B2BClient) -> None:
    """Logged in (no IST): the session in the Basic password vouches for the new factor."""
    assert _primary(page, optional_tenant)["member_authenticated"] is True
    page.ok("POST", "/b2b/otps/sms/send", {**optional_tenant.ids, "mfa_phone_number": PHONE})
    done = page.ok("POST", "/b2b/otps/sms/authenticate",
                   {**optional_tenant.ids, "code": optional_tenant.sms_code(), "session_duration_minutes": 60,
                    "set_mfa_enrollment": "enroll"})
    assert done["member"]["mfa_enrolled"] is True
    assert client.organizations.members.get(**optional_tenant.ids).member.mfa_enrolled is True


def test_a_wrong_code_counts_toward_one_lock_whichever_door_it_came_through(
        page: Browser, tenant: Tenant, client: stytch.B2BClient, control: EmulatorControl) -> None:
    control.update_project(user_lock_threshold=2)
    tenant.enroll_sms()  # through the backend door
    primary = _primary(page, tenant)
    assert primary["mfa_required"]["secondary_auth_initiated"] == "sms_otp"
    ist = {"intermediate_session_token": primary["intermediate_session_token"], **tenant.ids}
    assert page.error("POST", "/b2b/otps/sms/authenticate",
                      {**ist, "code": "000000", "session_duration_minutes": 60})["error_type"] == "otp_code_not_found"
    backend_ist = tenant.ist()
    with stytch_error("otp_code_not_found"):
        client.otps.sms.authenticate(**tenant.ids, code="000000", intermediate_session_token=backend_ist)
    locked = page.error("POST", "/b2b/otps/sms/authenticate",
                        {**ist, "code": tenant.sms_code(), "session_duration_minutes": 60})
    assert locked["error_type"] == "user_lock_limit_reached"


def test_authenticate_calls_need_a_session_duration(page: Browser, tenant: Tenant) -> None:
    page.ok("POST", "/b2b/magic_links/email/login_or_signup",
            {"organization_id": tenant.organization_id, "email_address": tenant.email})
    token = tenant.control.latest_message(tenant.email, "email")["token"]
    error = page.error("POST", "/b2b/magic_links/authenticate", {"magic_links_token": token})
    assert error["error_type"] == "bad_request" and "session_duration_minutes" in error["error_message"]


def test_redirect_urls_are_the_projects_whichever_door(page: Browser, tenant: Tenant) -> None:
    error = page.error("POST", "/b2b/magic_links/email/login_or_signup",
                       {"organization_id": tenant.organization_id, "email_address": tenant.email,
                        "login_redirect_url": f"{PAGE}/not-registered"})
    assert error["error_type"] == "no_match_for_provided_magic_link_url"


@pytest.mark.parametrize(("user", "password", "error_type"), [
    (None, None, "unauthorized_credentials"),
    ("public-token-test-someone-else", "public-token-test-someone-else", "public_token_not_found"),
    ("project-test-00000000-0000-4000-8000-000000000000", "secret-test-emulator-demo-secret-not-for-stytch",
     "public_token_not_found"),
])
def test_the_door_needs_the_public_token(emulator_server: EmulatorServer, control: EmulatorControl,
                                         user: str | None, password: str | None, error_type: str) -> None:
    headers = {"Origin": PAGE}
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    answer = requests.get(f"{emulator_server.url}/sdk/v1/b2b/organizations/me", headers=headers, timeout=10)
    assert answer.json()["error_type"] == error_type
    assert answer.headers["access-control-allow-origin"] == PAGE


def test_a_call_the_door_does_not_serve_is_a_readable_404(page: Browser) -> None:
    assert page.error("POST", "/b2b/discovery/organizations", {})["error_type"] == "route_not_found"
