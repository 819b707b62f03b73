"""The frontend samples' pages, seen from a notebook: whether `make frontend` serves them for
this notebook's emulator, and a page embedded in the notebook so a person can click through it
in JupyterLab."""

from __future__ import annotations

import html
import json
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit

from IPython.display import display

DEFAULT_PAGE_URL = "http://localhost:3000"


def serving(page_url: str, emulator_url: str) -> str | None:
    """None if the pages at `page_url` answer for the emulator at `emulator_url`; else what to
    do about it, in one sentence."""
    try:
        with urllib.request.urlopen(f"{page_url}/health", timeout=2) as answer:
            health = json.loads(answer.read())
    except (urllib.error.URLError, OSError, ValueError):
        return f"Nothing serves the pages at {page_url}: run `make frontend` in a terminal, then run this cell again."
    if health.get("pages") != "stytch-frontend-samples":
        return f"{page_url} is another program, not the frontend samples: stop it, or set PAGE_URL."
    if health.get("emulator") != emulator_url:
        return (f"The pages at {page_url} talk to the emulator at {health.get('emulator')}, this notebook to "
                f"{emulator_url}: start both with the same STYTCH_EMULATOR_PORT.")
    return None


def embed(page_url: str, page: str, email_address: str, height: int = 760) -> None:
    """The page in an IFrame, with the member's address filled in, and a link to open it in a tab.

    The SDK keeps its tokens in SameSite=Lax cookies, which a browser refuses to a framed page of
    another site: the frame follows the host name JupyterLab is opened by (localhost or
    127.0.0.1), so it is the same site."""
    url = f"{page_url}/{page}?email={quote(email_address)}"
    frame_id = f"frontend-{page.split('.')[0]}"
    port = urlsplit(page_url).port
    same_site = (
        f"<script>(() => {{ const frame = document.getElementById({json.dumps(frame_id)}); "
        "const loopback = ['localhost', '127.0.0.1', '[::1]']; "
        "if (loopback.includes(location.hostname)) "
        f"frame.src = frame.src.replace(/^http:\\/\\/[^/]+/, `http://${{location.hostname}}:{port}`); }})();</script>"
    )
    display({
        "text/html": f'<p><a href="{html.escape(url)}" target="_blank">Open {html.escape(page)} in a new tab</a></p>'
                     f'<iframe id="{frame_id}" src="{html.escape(url)}" width="100%" height="{height}" '
                     f'style="border:1px solid #ccc;border-radius:6px"></iframe>{same_site}',
        "text/plain": f"The page {url}, embedded (open it in a browser tab if the frame stays empty).",
    }, raw=True)
