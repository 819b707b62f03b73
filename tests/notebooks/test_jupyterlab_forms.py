"""A person in JupyterLab, in a real browser (Debian's Chromium driven by Playwright): with
AUTO_SUBMIT = False the lessons wait for clicks, a bad input gets a readable message next to
its field, and a press of the button makes the notebook's own SDK call."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import papermill
import pytest
import stytch
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorServer
from emulator.server import free_port
from helpers import fixtures
from notebook_support import lesson_notebooks

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TOKEN = "workbook-browser-test"
# Offline and as root (CI): no sandbox, no background traffic to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: .ci/run installs Debian's chromium package.")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)





@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, notebook_emulator: EmulatorServer) -> Iterator[str]:
    """JupyterLab serving copies of the lessons with AUTO_SUBMIT = False, as a presenter sets it."""
    root = tmp_path_factory.mktemp("lab")
    lessons = {path.name: path for path in lesson_notebooks()}
    for name, parameters, _ in PRESENTER_RUNS:
        papermill.execute_notebook(str(lessons[name]), str(root / copy_name(name, parameters)),
                                   parameters={**parameters, "AUTO_SUBMIT": False},
                                   prepare_only=True, progress_bar=False)
    # No "get notified about Jupyter news?" toast over the page.
    labconfig = root / "config" / "labconfig"
    labconfig.mkdir(parents=True)
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    port = free_port()
    log = open(root / "jupyterlab.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={TOKEN}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=log, stdin=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(root / "config")},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start: {(root / 'jupyterlab.log').read_text()[-2000:]}")
            time.sleep(0.25)
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()  # it waits on its kernels; the test is over
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(lab: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def client(notebook_emulator: EmulatorServer) -> stytch.B2BClient:
    return stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=notebook_emulator.url)


def run_menu(page: Page, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def open_and_run_all(browser: Browser, lab: str, notebook: str) -> Locator:
    """A fresh page and workspace with the notebook open and every cell run; its panel."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # A workspace of its own, so JupyterLab does not restore another test's notebook.
    page.goto(f"{lab}/lab/workspaces/{Path(notebook).stem}/tree/{notebook}?reset&token={TOKEN}")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(panel).to_be_visible(timeout=60_000)
    # Run All only once the kernel has started and said it is idle.
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=120_000)
    run_menu(page, "Run All Cells")
    return panel


def test_policy_form_checks_locally_then_updates_the_organization(
    browser: Browser, lab: str, client: stytch.B2BClient
) -> None:
    panel = open_and_run_all(browser, lab, "01_configure_organization.ipynb")
    button = panel.get_by_role("button", name="Update organization")
    expect(button).to_be_visible(timeout=120_000)
    # Run All stops at the first cell that needs the unsubmitted form, with one readable line.
    expect(panel.get_by_text('FormNotSubmitted: Fill in the form above and press "Update organization" first.')).to_be_visible()

    panel.locator(".widget-dropdown select").nth(1).select_option("RESTRICTED")
    panel.get_by_label("SMS one-time passcode").uncheck()
    panel.get_by_label("Authenticator app (TOTP)").uncheck()
    button.click()
    expect(panel.get_by_text("RESTRICTED needs at least one allowed method: tick one.")).to_be_visible()
    org = client.organizations.get(organization_id=fixtures.ORG_SLUG_REQUIRED).organization
    assert org.mfa_methods == "ALL_ALLOWED", "an invalid form must not reach Stytch"

    panel.get_by_label("Authenticator app (TOTP)").check()
    button.click()
    expect(panel.locator(".widget-html", has_text="Done")).to_be_visible(timeout=30_000)
    org = client.organizations.get(organization_id=fixtures.ORG_SLUG_REQUIRED).organization
    assert (org.mfa_methods, org.allowed_mfa_methods) == ("RESTRICTED", ["totp"])
    panel.page.close()


def test_email_form_shows_errors_next_to_the_field_and_never_a_traceback(
    browser: Browser, lab: str, client: stytch.B2BClient
) -> None:
    panel = open_and_run_all(browser, lab, "02_first_time_enrollment.ipynb")
    button = panel.get_by_role("button", name="Email me a login link")
    expect(button).to_be_visible(timeout=120_000)
    email = panel.get_by_placeholder("ada@acme-workbook.example")

    email.fill("not-an-email")
    button.click()
    expect(panel.get_by_text("Enter an email address, e.g. ada@acme-workbook.example")).to_be_visible()

    email.fill("stranger@acme-workbook.example")  # not a member, and the org allows no sign-ups
    button.click()
    expect(panel.get_by_text("email_jit_provisioning_not_allowed").first).to_be_visible(timeout=30_000)
    # The only red output is Run All stopping at the first cell that needs this form.
    errors = panel.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")
    expect(errors).to_have_count(1)
    expect(errors).to_have_text('FormNotSubmitted: Fill in the form above and press "Email me a login link" first.')
    expect(panel.get_by_text("Traceback")).to_have_count(0)

    email.fill("new.hire@acme-workbook.example")
    button.click()
    expect(panel.locator(".widget-html", has_text="Done")).to_be_visible(timeout=30_000)
    sent = client.organizations.members.get(
        organization_id=fixtures.ORG_SLUG_REQUIRED, email_address="new.hire@acme-workbook.example"
    )
    assert sent.member.status == "active"
    panel.page.close()


# What a presenter runs: (notebook, parameters, the buttons they press in order).
PRESENTER_RUNS = [
    ("00_setup.ipynb", {}, []),
    ("01_configure_organization.ipynb", {}, ["Update organization"]),
    ("02_first_time_enrollment.ipynb", {},
     ["Email me a login link", "Log in", "Continue", "Text me a code", "Verify SMS code"]),
    ("02_first_time_enrollment.ipynb", {"MFA_METHOD": "totp"},
     ["Email me a login link", "Log in", "Continue", "Set up authenticator app", "Verify app code"]),
    ("03_returning_login.ipynb", {}, ["Log in", "Verify SMS code", "Use recovery code"]),
    ("03_returning_login.ipynb", {"MFA_METHOD": "totp"}, ["Log in", "Verify app code", "Use recovery code"]),
    ("04_optional_enrollment.ipynb", {},
     ["Text me a code", "Verify SMS code and turn on MFA", "Verify and make default", "Confirm it's you"]),
    ("04_optional_enrollment.ipynb", {"FIRST_METHOD": "totp"},
     ["Set up authenticator app", "Verify app code and turn on MFA", "Verify and make default",
      "Confirm it's you"]),
    ("06_capstone_flask_app.ipynb", {}, []),
]


def copy_name(notebook: str, parameters: dict) -> str:
    """02_first_time_enrollment.ipynb with MFA_METHOD=totp is served as 02_first_time_enrollment-totp.ipynb."""
    stem = notebook.removesuffix(".ipynb")
    return "-".join([stem, *map(str, parameters.values())]) + ".ipynb"


def test_every_lesson_is_clicked_through() -> None:
    assert sorted({run[0] for run in PRESENTER_RUNS}) == [p.name for p in lesson_notebooks()]


@pytest.mark.parametrize(("notebook", "parameters", "buttons"), PRESENTER_RUNS,
                         ids=[copy_name(n, p) for n, p, _ in PRESENTER_RUNS])
def test_a_presenter_clicks_through_the_lesson(
    browser: Browser, lab: str, notebook: str, parameters: dict, buttons: list[str]
) -> None:
    """Run All stops at each form still waiting for its button; press it (the fields hold the
    parameters' values) and run on from that cell, until the notebook ends without an error."""
    notebook = copy_name(notebook, parameters)
    panel = open_and_run_all(browser, lab, notebook)
    page = panel.page
    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    pressed = []
    for _ in range(12):
        expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=120_000)
        expect(panel.locator(".jp-InputPrompt", has_text="[*]")).to_have_count(0, timeout=120_000)
        if errors.count() == 0:
            break
        waiting = re.fullmatch(r'FormNotSubmitted: Fill in the form above and press "(.+)" first\.',
                               errors.first.text_content().strip())
        assert waiting, f"{notebook} stopped on an error that is not a form waiting: {errors.first.text_content()}"
        button = panel.get_by_role("button", name=waiting.group(1), exact=True)
        button.click()
        expect(button.locator("xpath=..")).to_contain_text("Done", timeout=60_000)
        pressed.append(waiting.group(1))
        stopped_cell = errors.first.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]")
        stopped_cell.locator(".jp-InputPrompt").click()
        run_menu(page, "Run Selected Cell and All Below")
    else:
        pytest.fail(f"{notebook} still waits for a form after pressing {pressed}")
    assert pressed == buttons
    last_prompt = panel.locator(".jp-CodeCell .jp-InputPrompt").last
    expect(last_prompt).to_have_text(re.compile(r"\[\d+\]:"))  # the last cell ran
    page.close()
