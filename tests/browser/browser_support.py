"""What browser tests share besides fixtures: the JupyterLab server's address, and how a
person reaches JupyterLab's menus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page

# The status bar once a notebook's kernel has started and answered.
KERNEL_IDLE = "Python 3 (ipykernel) | Idle"


@dataclass(frozen=True)
class JupyterLab:
    url: str
    token: str
    root: Path  # the folder it serves


def run_menu(page: Page, item: str) -> None:
    """Click Run in the menu bar, then `item` (e.g. "Run All Cells")."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def kernel_idle(page: Page) -> Locator:
    """The status bar's "kernel idle" text (searched in the status bar only: a text search of
    the whole page is slow, and these waits poll it)."""
    return page.locator("#jp-main-statusbar").get_by_text(KERNEL_IDLE)
