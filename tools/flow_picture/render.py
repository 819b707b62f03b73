"""Render helpers/mfa_flow.svg, the MFA flow picture, from helpers.flow.mermaid().

    make flow-picture        # npm ci here, then: python tools/flow_picture/render.py

Run it after changing helpers.flow.STATES or EDGES (a test fails until you do). Mermaid comes
from npm at the version package-lock.json pins (node_modules/ here, never committed) and runs in
Debian's Chromium, driven by Playwright, offline: nothing else is fetched. The picture is written
with its size in pixels, a white background (it stays readable in a dark theme), numbers rounded
to 0.1 px, and the sha256 of the Mermaid source it was drawn from.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository root, for helpers

from helpers import flow  # noqa: E402

MERMAID = HERE / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CONFIG = {
    "startOnLoad": False, "theme": "default", "securityLevel": "strict",
    "themeVariables": {"fontSize": "14px"},
    "htmlLabels": False,  # SVG text, not HTML in a foreignObject: an <img> shows it anywhere
    "flowchart": {"curve": "basis", "wrappingWidth": 400, "rankSpacing": 36, "nodeSpacing": 24, "padding": 8},
}


def render(source: str) -> str:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(MERMAID))
        svg = page.evaluate(
            """async ([id, source, config]) => {
                mermaid.initialize(config);
                return (await mermaid.render(id, source)).svg;
            }""",
            [flow.SVG_ID, source, CONFIG],
        )
        browser.close()
    return svg


def tidy(svg: str, source_hash: str) -> str:
    """Pixel size instead of width="100%", a white background, shorter numbers, the hash, and
    none of what only Mermaid's own scripts read (data-* attributes): the picture is stored in
    every notebook that shows it."""
    svg = re.sub(r"(\d+\.\d)\d+", r"\1", svg)
    svg = re.sub(r' data-[a-z-]+="[^"]*"| style=""', "", svg)
    svg = re.sub(r"stroke-dasharray: 0 0 (?:2 )+\d+;", "stroke-dasharray: 2 2;", svg)  # a dotted edge
    root = re.search(r"<svg[^>]*>", svg).group(0)
    _, _, width, height = re.search(r'viewBox="([^"]+)"', root).group(1).split()
    sized = re.sub(r' width="100%"', f' width="{float(width):.0f}" height="{float(height):.0f}"', root)
    sized = re.sub(r' style="[^"]*"', ' style="background-color:white"', sized)
    note = f"<!-- Drawn by tools/flow_picture/render.py from helpers.flow.mermaid(), sha256 {source_hash} -->"
    return note + "\n" + svg.replace(root, sized, 1) + "\n"


def main() -> int:
    if not MERMAID.exists():
        print(f"Mermaid is missing: run `make flow-picture` (it runs npm ci in {HERE.name}/ first).", file=sys.stderr)
        return 1
    flow.PICTURE.write_text(tidy(render(flow.mermaid()), flow.source_hash()))
    print(f"wrote {flow.PICTURE.relative_to(HERE.parents[1])} ({flow.PICTURE.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
