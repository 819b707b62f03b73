"""The simulated phone page in a real browser (Debian's Chromium driven by Playwright), as a
presenter uses it beside a notebook: SMS arrive without a reload, the authenticator's code is
one Stytch accepts, the clock buttons move the emulator's clock, it works framed by a page on
another loopback port (JupyterLab), and every text is readable in light and dark.
Screenshots go to build/screenshots/ (look at them after a change to the page)."""

from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path
from typing import Iterator

import pyotp
import pytest
import stytch
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect

from emulator import EmulatorControl, EmulatorServer
from emulator.server import free_port

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PHONE = "+14155550123"
# A name a careless page would render as markup.
ORG_NAME = "Acme <img src=x onerror=alert(1)>"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield context
    context.close()


@pytest.fixture
def member(client: stytch.B2BClient) -> tuple[str, str]:
    """(organization_id, member_id) of a member without MFA factors, in an organization requiring MFA."""
    org = client.organizations.create(organization_name=ORG_NAME, organization_slug="acme",
                                      mfa_policy="REQUIRED_FOR_ALL").organization
    member = client.organizations.members.create(organization_id=org.organization_id,
                                                 email_address="ada@acme.test").member
    return org.organization_id, member.member_id


def intermediate_session(client: stytch.B2BClient, control: EmulatorControl, member: tuple[str, str]) -> str:
    """Primary authentication by magic link: the IST that MFA then completes."""
    client.magic_links.email.login_or_signup(organization_id=member[0], email_address="ada@acme.test")
    token = control.latest_message("ada@acme.test", "email")["token"]
    return client.magic_links.authenticate(magic_links_token=token).intermediate_session_token


def open_phone(context: BrowserContext, server: EmulatorServer, query: str = "") -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{server.url}/emulator/v1/phone{query}")
    expect(page.locator("#connection")).to_have_text("Live: updates every second.")
    page.evaluate("window.notReloaded = true")
    page.errors = errors  # checked by the tests: the page logs nothing wrong
    return page


def shown_code(locator) -> str:
    return locator.inner_text().replace(" ", "").replace("\n", "")


def early_in_a_window(control: EmulatorControl) -> None:
    """Move the emulator's clock just past the start of a 30 s TOTP window: a test then has
    29 s before the code turns."""
    control.advance_clock(30 - control.now() % 30 + 0.5)


def test_an_sms_appears_without_a_reload(context: BrowserContext, emulator_server: EmulatorServer,
                                         client: stytch.B2BClient, control: EmulatorControl,
                                         member: tuple[str, str]) -> None:
    page = open_phone(context, emulator_server)
    expect(page.get_by_text("No SMS or email yet.")).to_be_visible()

    client.otps.sms.send(organization_id=member[0], member_id=member[1], mfa_phone_number=PHONE)
    sent = control.latest_message(PHONE, "sms")
    newest = page.locator("#messages > li").first
    expect(newest.locator(".code")).to_have_attribute("data-code", sent["code"])
    expect(newest).to_contain_text(f"to {PHONE}")
    assert shown_code(newest.locator(".code")) == sent["code"]
    expect(newest.locator(".body")).to_have_text(sent["body"])  # the organization's name as text
    assert ORG_NAME in sent["body"]

    client.otps.sms.send(organization_id=member[0], member_id=member[1])  # a resend
    resent = control.latest_message(PHONE, "sms")
    expect(page.locator("#messages > li").first.locator(".code")).to_have_attribute("data-code", resent["code"])
    expect(page.locator("#messages > li").nth(1)).to_contain_text("Replaced: a newer code was sent to this number.")
    assert page.evaluate("window.notReloaded") is True
    assert page.errors == []


def test_the_authenticator_shows_a_code_stytch_accepts(context: BrowserContext, emulator_server: EmulatorServer,
                                                       client: stytch.B2BClient, control: EmulatorControl,
                                                       member: tuple[str, str]) -> None:
    page = open_phone(context, emulator_server)
    ist = intermediate_session(client, control, member)
    created = client.totps.create(organization_id=member[0], member_id=member[1], intermediate_session_token=ist)
    card = page.locator("#totps > li").first
    expect(card.locator(".issuer")).to_have_text(ORG_NAME)
    expect(card.locator(".account")).to_have_text("ada@acme.test")
    expect(card.locator(".status")).to_contain_text("Pending: confirm a code (totps.authenticate) by")

    early_in_a_window(control)
    expect(card.locator(".code")).to_have_attribute("data-code", pyotp.TOTP(created.secret).at(control.now()))
    code = shown_code(card.locator(".code"))
    client.totps.authenticate(organization_id=member[0], member_id=member[1], code=code,
                              intermediate_session_token=ist)
    # Stytch takes each code once: the app says so until the next window.
    expect(card.locator(".status")).to_contain_text("Active. This code was used (each works once)")
    assert created.secret not in page.content()
    assert page.errors == []


def test_the_clock_buttons_move_the_emulators_clock_and_the_code(
    context: BrowserContext, emulator_server: EmulatorServer, client: stytch.B2BClient,
    control: EmulatorControl, member: tuple[str, str]
) -> None:
    page = open_phone(context, emulator_server)
    created = client.totps.create(organization_id=member[0], member_id=member[1])
    expect(page.locator("#clock-offset")).to_contain_text("Real time")
    early_in_a_window(control)
    before = control.clock()["offset_seconds"]
    code = page.locator("#totps > li .code").first
    expect(code).to_have_attribute("data-code", pyotp.TOTP(created.secret).at(control.now()))

    page.get_by_role("button", name="+2 min").click()
    expect(page.locator("#clock-offset")).to_contain_text(re.compile(r"2 min( \d+ s)? ahead of real time"))
    assert control.clock()["offset_seconds"] == pytest.approx(before + 120)
    # Four windows later: the code the emulator expects now, not the one shown before.
    expect(code).to_have_attribute("data-code", pyotp.TOTP(created.secret).at(control.now()))

    page.get_by_role("button", name="+1 h").click()
    expect(page.locator("#clock-offset")).to_contain_text("1 h 2 min ahead of real time")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator("#clock-offset")).to_contain_text("Real time")
    assert control.clock()["offset_seconds"] == 0
    assert page.errors == []


@pytest.fixture
def loopback_host_page(emulator_server: EmulatorServer, tmp_path: Path) -> Iterator[str]:
    """A page on another loopback port that frames the phone page, as JupyterLab's side panel
    (or an output's IFrame) does."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>a notebook</title><h1>A notebook</h1>"
        f'<iframe id="phone" src="{emulator_server.url}/emulator/v1/phone" width="420" height="800"></iframe>'
    )
    handler = lambda *args: http.server.SimpleHTTPRequestHandler(*args, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def test_the_page_works_framed_by_another_loopback_port(context: BrowserContext, loopback_host_page: str,
                                                        control: EmulatorControl) -> None:
    page = context.new_page()
    page.goto(loopback_host_page)
    frame: Frame = page.frame_locator("#phone")
    expect(frame.locator("#connection")).to_have_text("Live: updates every second.")
    frame.get_by_role("button", name="+10 min").click()  # a POST from inside the frame
    expect(frame.locator("#clock-offset")).to_contain_text("10 min ahead of real time")
    assert control.clock()["offset_seconds"] == 600


def contrast_ratio(foreground: tuple[float, ...], background: tuple[float, ...]) -> float:
    """WCAG 2 contrast of two sRGB colours (0-255)."""
    def luminance(rgb: tuple[float, ...]) -> float:
        channels = [c / 255 for c in rgb[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Each element that holds text itself: its text colour and the first opaque background behind it.
TEXT_COLOURS = """() => {
  const rgba = (value) => value.match(/[\\d.]+/g).map(Number);
  const behind = (node) => {
    for (; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || colour[3] === 1) return colour;
    }
    return [255, 255, 255];
  };
  return Array.from(document.querySelectorAll("body *"))
    .filter((node) => node.checkVisibility() && Array.from(node.childNodes).some(
      (child) => child.nodeType === Node.TEXT_NODE && child.textContent.trim()))
    .map((node) => ({text: node.textContent.trim().slice(0, 40), colour: rgba(getComputedStyle(node).color),
                     background: behind(node)}));
}"""


def fill_the_phone(client: stytch.B2BClient, control: EmulatorControl, member: tuple[str, str]) -> None:
    """What lessons leave on the phone: a login email, an SMS and its resend, two authenticator
    registrations (one about to expire)."""
    client.magic_links.email.login_or_signup(organization_id=member[0], email_address="ada@acme.test")
    for _ in range(2):
        client.otps.sms.send(organization_id=member[0], member_id=member[1], mfa_phone_number=PHONE)
    for email, minutes in [("grace.hopper@acme-workbook.example", 5), ("lin@acme.test", 60)]:
        other = client.organizations.members.create(organization_id=member[0], email_address=email).member
        client.totps.create(organization_id=member[0], member_id=other.member_id, expiration_minutes=minutes)
    control.advance_clock(90)


@pytest.mark.parametrize(("scheme", "query"), [("light", ""), ("dark", ""), ("light", "?theme=dark")],
                         ids=["light", "dark", "dark-by-query"])
def test_every_text_is_readable_at_150_percent(browser: Browser, emulator_server: EmulatorServer,
                                               client: stytch.B2BClient, control: EmulatorControl,
                                               member: tuple[str, str], scheme: str, query: str) -> None:
    """At 150 % zoom in a browser tab and in a side panel's width: contrast at least 4.5:1 for
    every text, no button narrower than its label, no code wider than its card."""
    fill_the_phone(client, control, member)
    name = f"phone-{scheme}{'-by-query' if query else ''}"
    for width, where in [(1400, "tab"), (640, "side-panel")]:
        # 150 % zoom: the CSS viewport is two thirds of the window, drawn at 1.5 device pixels.
        context = browser.new_context(viewport={"width": round(width / 1.5), "height": 700},
                                      device_scale_factor=1.5, color_scheme=scheme)
        page = open_phone(context, emulator_server, query)
        expect(page.locator("#totps > li")).to_have_count(2)
        page.locator("#totps > li .code").first.wait_for()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}-150-{where}.png", full_page=True)

        dark = (scheme == "dark") or "dark" in query
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(18, 20, 23)") == dark, background
        low = [(t["text"], round(contrast_ratio(t["colour"], t["background"]), 2))
               for t in page.evaluate(TEXT_COLOURS) if contrast_ratio(t["colour"], t["background"]) < 4.5]
        assert low == [], f"text under 4.5:1 ({where}): {low}"
        clipped = page.evaluate("""() => Array.from(document.querySelectorAll("button, .code"))
            .filter((node) => node.scrollWidth > node.clientWidth + 1
                     || node.getBoundingClientRect().right > node.closest(".panel").getBoundingClientRect().right)
            .map((node) => node.textContent)""")
        assert clipped == [], f"cut off ({where}): {clipped}"
        assert page.errors == []
        context.close()
