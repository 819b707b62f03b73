"""Browser fixtures every browser test shares: one Chromium for the whole session, and a fresh
page in a context of its own for each test.

TEMPORARY: the `browser` and `web_page` fixtures here are copies, same names and signatures, of
the shared ones in tests/browser/conftest.py on the branch that builds the browser fixtures;
this file gives way to that one when both are on main. One difference until then: `browser` is
module-scoped here, because tests/notebooks/test_jupyterlab_forms.py still starts a Playwright
of its own, and two cannot run at once in one process.

browser        module    playwright Browser: Debian's Chromium (/usr/bin/chromium), headless,
                         with the flags that work offline and as root. Without Chromium the
                         test is skipped, except in CI (CI=true), where it fails: .ci/run
                         installs Chromium.
web_page       function  a fresh Page in a browser context of its own (cookies, storage), from
                         `browser`, closed after the test: for plain web pages such as the
                         frontend samples.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Offline and as root (CI): no sandbox, no background traffic to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
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
