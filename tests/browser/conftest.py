"""Browser fixtures every browser test shares: one Chromium, one JupyterLab server and one
JupyterLab page for the whole session, so each test pays only for what it does itself.

Each starts on first use; a test run that needs none of them starts nothing.

browser        session   playwright Browser: Debian's Chromium (/usr/bin/chromium), headless,
                         with the flags that work offline and as root. Without Chromium the
                         test is skipped, except in CI (CI=true), where it fails: .ci/run
                         installs Chromium.
web_page       function  a fresh Page in a browser context of its own (cookies, storage), from
                         `browser`, closed after the test: for plain web pages such as the
                         frontend samples. Emulators: `emulator_server` or `notebook_emulator`
                         (tests/conftest.py).
jupyterlab     session   JupyterLab on a free port: .url, .token, and .root, a temporary folder
                         it serves. Put the notebooks a test opens into .root (a module-scoped
                         fixture that copies them there is the usual way). Its kernels use
                         `notebook_emulator` with no Stytch credentials.
lab_page       session   one Page with JupyterLab loaded, shared by every JupyterLab test.
open_notebook  function  open_notebook("name.ipynb") opens that notebook of .root in lab_page,
                         waits until its kernel is idle, and returns the notebook's panel (a
                         Locator; panel.page is lab_page). After the test it closes every open
                         notebook without saving and shuts their kernels down; if the page is
                         in a state it cannot tidy (a dialog or menu left open), it reloads
                         JupyterLab.

A new JupyterLab test asks for open_notebook (and whatever else it checks, e.g. `client` on
notebook_emulator), drives the panel by clicks as a person would, and leaves the page as it
found it. A new web-page test asks for web_page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from browser_support import JupyterLab, kernel_idle
from emulator.server import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Offline and as root (CI): no sandbox, no background traffic to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TOKEN = "workbook-browser-test"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("Chromium is missing: .ci/run installs Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def web_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def jupyterlab(browser: Browser, tmp_path_factory: pytest.TempPathFactory,
               kernel_env: dict[str, str]) -> Iterator[JupyterLab]:
    """(Asks for `browser` first, so a machine without Chromium skips before starting a server.)"""
    root = tmp_path_factory.mktemp("lab")
    config = tmp_path_factory.mktemp("lab-config")
    # No "get notified about Jupyter news?" toast over the page.
    (config / "labconfig").mkdir()
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    port = free_port()
    log_path = config / "jupyterlab.log"
    # helpers.no_iri_grammar first: the server's event schemas never check an IRI.
    launch = "import sys, helpers.no_iri_grammar; from jupyterlab.labapp import main; sys.exit(main())"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", launch, "--no-browser", "--allow-root", "--ip=127.0.0.1",
             f"--port={port}", f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={TOKEN}",
             "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             # window.jupyterapp: tests open and close notebooks through JupyterLab's own commands.
             "--LabApp.expose_app_in_browser=True"],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL,
            env={**os.environ, **kernel_env, "JUPYTER_CONFIG_DIR": str(config)},
        )
    lab = JupyterLab(f"http://127.0.0.1:{port}", TOKEN, root)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{lab.url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
    try:
        yield lab
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()  # it waits on its kernels; the session is over
            server.wait()


def _load_lab(page: Page, lab: JupyterLab) -> None:
    # A workspace of its own, reset: JupyterLab restores no notebook from an earlier session.
    page.goto(f"{lab.url}/lab/workspaces/browser-tests?reset&token={lab.token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.restored !== undefined")
    page.evaluate("async () => { await window.jupyterapp.restored; }")


@pytest.fixture(scope="session")
def lab_page(browser: Browser, jupyterlab: JupyterLab) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _load_lab(page, jupyterlab)
    yield page
    page.close()


@pytest.fixture
def open_notebook(lab_page: Page, jupyterlab: JupyterLab) -> Iterator[Callable[[str], Locator]]:
    def open_(name: str) -> Locator:
        # Returns nothing: Playwright would serialize the whole widget that the command returns.
        lab_page.evaluate("async path => { await window.jupyterapp.commands.execute('docmanager:open', {path}); }", name)
        panel = lab_page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        expect(panel).to_be_visible(timeout=60_000)
        expect(kernel_idle(lab_page)).to_be_visible(timeout=120_000)
        return panel

    yield open_
    _close_every_notebook(lab_page, jupyterlab)


def _close_every_notebook(page: Page, lab: JupyterLab) -> None:
    """Shut the kernels down and close the notebooks unsaved; reload JupyterLab if a dialog or
    a menu is still open (a test that failed half-way), so the next test starts clean."""
    if page.locator(".jp-Dialog, .lm-Menu").count():
        _load_lab(page, lab)
    page.evaluate("""async () => {
        const app = window.jupyterapp;
        await app.serviceManager.sessions.refreshRunning();
        for (const session of Array.from(app.serviceManager.sessions.running())) {
            await app.serviceManager.sessions.shutdown(session.id);
        }
        for (const widget of Array.from(app.shell.widgets('main'))) {
            widget.dispose();  // dispose(), not close(): no "save your changes?" dialog
        }
    }""")
    expect(page.locator(".jp-NotebookPanel")).to_have_count(0)
