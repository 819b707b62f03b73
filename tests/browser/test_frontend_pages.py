"""The guide's headless frontend samples in Chromium: Stytch's own JavaScript SDK
(@stytch/vanilla-js from frontend/node_modules) on the pages `make frontend` serves, against the
emulator's frontend door, every flow end to end. The backend SDK then reads what the browser
did: the member's factors, and the session the browser holds (its stytch_session cookie).

One page server for the module, on a free port; one browser (the `browser` fixture); a fresh
browser context per test (`web_page`), so each starts with no cookies."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

import pyotp
import pytest
import stytch
from playwright.sync_api import Page, expect
from stytch.core.response_base import StytchError

from emulator import EmulatorControl, EmulatorServer
from emulator.server import free_port
from frontend import demo_project
from frontend.server import SdkMissing, check_sdk, running

PHONE = "+14155550123"
TIMEOUT = 10_000  # ms: every step here takes well under a second


@pytest.fixture(scope="module")
def page_server(emulator_server: EmulatorServer) -> Iterator[str]:
    """The pages, served for the session's emulator; their origin."""
    try:
        check_sdk()
    except SdkMissing as missing:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"{missing} (make test installs it where npm is available)")
    with running(emulator_server.url, free_port()) as origin:
        yield origin


@dataclass
class Samples:
    origin: str
    control: EmulatorControl
    client: stytch.B2BClient
    page: Page
    organizations: dict

    def open(self, path: str) -> None:
        self.page.goto(f"{self.origin}/{path}")
        expect(self.page.locator("body:not([data-loading])")).to_be_attached(timeout=TIMEOUT)

    def log_in(self, path: str, email: str) -> None:
        """Step 1 of every flow: the email magic link, followed as the member would."""
        self.open(path)
        self.page.fill("#email-input", email)
        self.page.click("#login-form button[type=submit]")
        expect(self.page.locator("#step-check-email")).to_be_visible(timeout=TIMEOUT)
        link = self.control.latest_message(email, "email")["url"]
        assert link.startswith(f"{self.origin}/{path}?"), link
        self.page.goto(link)
        expect(self.page.locator("body:not([data-loading])")).to_be_attached(timeout=TIMEOUT)

    def submit(self, form: str, value: str | None = None, field: str | None = None) -> None:
        if value is not None:
            self.page.fill(field or f"{form} input", value)
        self.page.click(f"{form} button[type=submit]")

    def session_token(self) -> str:
        cookies = {c["name"]: c["value"] for c in self.page.context.cookies()}
        return cookies["stytch_session"]

    def member(self, email: str, slug: str = demo_project.REQUIRED.slug):
        org_id = self.organizations[slug].organization_id
        return self.client.organizations.members.get(organization_id=org_id, email_address=email).member

    def error_line(self, step: str):
        return self.page.locator(f"#{step} .status.error")


@pytest.fixture
def samples(page_server: str, control: EmulatorControl, client: stytch.B2BClient, web_page: Page) -> Samples:
    """A fresh emulator (control resets it) prepared as make frontend prepares it."""
    organizations = demo_project.organizations(client)
    demo_project.register_pages(control, [page_server])
    return Samples(page_server, control, client, web_page, organizations)


def test_first_time_sms_enrollment(samples: Samples) -> None:
    """Link, SMS enrollment with a mistyped code first, a session that survives a reload and
    that the backend SDK accepts; logging out revokes it."""
    page, email = samples.page, "ada@example.com"
    samples.log_in("first-time-enrollment.html", email)
    expect(page.locator("#step-method")).to_be_visible(timeout=TIMEOUT)
    page.click("#method-choices button[data-method=sms_otp]")
    samples.submit("#phone-form", PHONE)
    expect(page.locator("#step-sms .status.ok")).to_contain_text(PHONE, timeout=TIMEOUT)
    expect(page.locator("#outbox-sms")).to_contain_text("verification code")  # the emulator's outbox, beside the page

    samples.submit("#otp-form", "000000")  # mistyped: Stytch's error, on the page
    expect(samples.error_line("step-sms")).to_contain_text("otp_code_not_found", timeout=TIMEOUT)
    samples.submit("#otp-form", samples.control.latest_message(PHONE, "sms")["code"])
    expect(page.locator("#step-done")).to_be_visible(timeout=TIMEOUT)

    member = samples.member(email)
    assert (member.mfa_phone_number, member.mfa_phone_number_verified, member.mfa_enrolled) == (PHONE, True, True)
    checked = samples.client.sessions.authenticate(session_token=samples.session_token())
    assert [f.type.value for f in checked.member_session.authentication_factors] == ["magic_link", "otp"]

    page.reload()  # the SDK's cookies keep the session; the SDK checks it with the emulator again
    expect(page.locator("#session-checked")).to_contain_text("by Stytch", timeout=TIMEOUT)
    expect(page.locator("#member-email")).to_have_text(email)
    expect(page.locator("#member-mfa")).to_contain_text("enrolled, default sms_otp")

    page.click("#logout")
    expect(page.locator("#logged-out")).to_be_visible(timeout=TIMEOUT)
    with pytest.raises(StytchError) as revoked:
        samples.client.sessions.authenticate(session_token=checked.session_token)
    assert revoked.value.details.error_type == "session_not_found"


def test_first_time_totp_enrollment_with_the_qr_code(samples: Samples) -> None:
    page, email = samples.page, "grace@example.com"
    samples.log_in("first-time-enrollment.html", email)
    page.click("#method-choices button[data-method=totp]")
    samples.submit("#totp-create-form")
    qr = page.locator("#totp-qr")
    expect(qr).to_be_visible(timeout=TIMEOUT)
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code is not a decodable image"
    expect(page.locator("#totp-recovery-codes li")).to_have_count(10)
    secret = page.locator("#totp-secret").inner_text()

    samples.submit("#totp-form", pyotp.TOTP(secret).at(samples.control.now()))
    expect(page.locator("#step-done")).to_be_visible(timeout=TIMEOUT)
    member = samples.member(email)
    assert member.totp_registration_id and member.mfa_enrolled and member.default_mfa_method == "totp"


def _enrolled_by_the_backend(samples: Samples, email: str, method: str) -> str | None:
    """A member of the required organization enrolled through the backend SDK; the TOTP secret."""
    org_id = samples.organizations[demo_project.REQUIRED.slug].organization_id
    client = samples.client
    member = client.organizations.members.create(organization_id=org_id, email_address=email).member
    ids = {"organization_id": org_id, "member_id": member.member_id}
    client.magic_links.email.login_or_signup(organization_id=org_id, email_address=email)
    token = samples.control.latest_message(email, "email")["token"]
    ist = client.magic_links.authenticate(magic_links_token=token).intermediate_session_token
    if method == "sms_otp":
        client.otps.sms.send(**ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
        client.otps.sms.authenticate(**ids, code=samples.control.latest_message(PHONE, "sms")["code"],
                                     intermediate_session_token=ist)
        return None
    created = client.totps.create(**ids, intermediate_session_token=ist)
    client.totps.authenticate(**ids, code=pyotp.TOTP(created.secret).at(samples.control.now()),
                              intermediate_session_token=ist)
    return created.recovery_codes[0]


def test_returning_login_with_the_code_stytch_texted(samples: Samples) -> None:
    page, email = samples.page, "lin@example.com"
    _enrolled_by_the_backend(samples, email, "sms_otp")
    samples.log_in("returning-login.html", email)
    expect(page.locator("#step-sms-code .status.ok")).to_contain_text("XXXXXXX0123", timeout=TIMEOUT)  # masked
    expect(page.locator("#outbox-sms")).to_be_visible(timeout=TIMEOUT)
    samples.submit("#otp-form", samples.control.latest_message(PHONE, "sms")["code"])
    expect(page.locator("#step-done")).to_be_visible(timeout=TIMEOUT)
    checked = samples.client.sessions.authenticate(session_token=samples.session_token())
    assert checked.member.email_address == email


def test_returning_login_with_a_recovery_code(samples: Samples) -> None:
    page, email = samples.page, "mae@example.com"
    recovery_code = _enrolled_by_the_backend(samples, email, "totp")
    samples.log_in("returning-login.html", email)
    expect(page.locator("#step-totp-code")).to_be_visible(timeout=TIMEOUT)
    page.click("#step-totp-code button:has-text('Use a recovery code')")
    samples.submit("#recovery-form", recovery_code)
    expect(page.locator("#done-message")).to_contain_text("9 remain", timeout=TIMEOUT)
    factors = samples.client.sessions.authenticate(session_token=samples.session_token()).member_session
    assert [f.type.value for f in factors.authentication_factors] == ["magic_link", "recovery_codes"]


def test_optional_enrollment_of_an_authenticator_app(samples: Samples) -> None:
    page, email = samples.page, "opt@example.com"
    samples.log_in("optional-enrollment.html", email)
    expect(page.locator("#step-method")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#session-factors")).to_contain_text("magic_link")  # logged in already
    page.click("#method-choices button[data-method=totp]")
    samples.submit("#totp-create-form")
    expect(page.locator("#totp-qr")).to_be_visible(timeout=TIMEOUT)
    secret = page.locator("#totp-secret").inner_text()
    samples.submit("#totp-form", pyotp.TOTP(secret).at(samples.control.now()), field="#totp-input")
    expect(page.locator("#done-message")).to_contain_text("enrolled in MFA", timeout=TIMEOUT)
    member = samples.member(email, demo_project.OPTIONAL.slug)
    assert member.mfa_enrolled and member.totp_registration_id
    factors = samples.client.sessions.authenticate(session_token=samples.session_token()).member_session
    assert [f.type.value for f in factors.authentication_factors] == ["magic_link", "totp"]


def test_a_page_the_project_does_not_allow_gets_no_answer(samples: Samples) -> None:
    """The same pages on an origin the project has not authorized: the browser itself refuses
    to hand the SDK the answer (CORS), and the SDK reports the API unreachable."""
    samples.control.update_project(sdk_allowed_origins=[])
    samples.open("first-time-enrollment.html")
    samples.submit("#login-form", "eve@example.com", field="#email-input")
    expect(samples.error_line("step-login")).to_contain_text("Unable to contact", timeout=TIMEOUT)
    assert samples.control.messages(to="eve@example.com") == []
