"""The page server: the samples' pages, Stytch's JavaScript SDK from node_modules (installed by
npm, never committed, never downloaded at run time), the settings the pages read (/config.js),
and an emulator-only window on the outbox (/outbox) so a person can follow a login link or read
a code without leaving the page."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import uvicorn

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator import DEMO_PUBLIC_TOKEN, EmulatorControl
from frontend import demo_project

HERE = Path(__file__).resolve().parent
PAGES_DIR = HERE / "pages"
SDK_PACKAGE = HERE / "node_modules" / "@stytch" / "vanilla-js"
# The ES module build: the B2B headless entry and the 70 files it imports, no bare imports, so
# an import map lets the guide's `import ... from '@stytch/vanilla-js/b2b/headless'` run as is.
SDK_MODULES = SDK_PACKAGE / "dist" / "esm"
PINNED_VERSION = json.loads((HERE / "package.json").read_text())["dependencies"]["@stytch/vanilla-js"]
INSTALL_HINT = "Install Stytch's JavaScript SDK first: make frontend (needs Node.js and npm)."
# Loopback pages (JupyterLab) may frame the samples; no other site may.
FRAMING = (b"content-security-policy", b"frame-ancestors 'self' http://127.0.0.1:* http://localhost:*")


class SdkMissing(RuntimeError):
    """frontend/node_modules does not hold the pinned @stytch/vanilla-js."""


def installed_sdk_version() -> str | None:
    manifest = SDK_PACKAGE / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.exists() else None


def check_sdk() -> None:
    found = installed_sdk_version()
    if found != PINNED_VERSION:
        where = f"version {found} is installed" if found else "it is not installed"
        raise SdkMissing(f"The pages need @stytch/vanilla-js {PINNED_VERSION} in frontend/node_modules, and "
                         f"{where}. {INSTALL_HINT}")


def config_module(emulator_url: str) -> str:
    """/config.js: what the pages import to reach the emulator."""
    settings = {
        "STYTCH_PUBLIC_TOKEN": DEMO_PUBLIC_TOKEN,
        # Stytch's client option `endpoints` (not in its documented types) is used verbatim;
        # customBaseUrl would be rewritten to https:// without the port.
        "STYTCH_ENDPOINTS": {
            "testAPIURL": emulator_url,
            "liveAPIURL": emulator_url,
            "dfpBackendURL": emulator_url,
            # Only Stytch's prebuilt UI loads this iframe; a local URL keeps even that offline.
            "clientsideServicesIframeURL": f"{emulator_url}/sdk/v1/clientside-services-not-emulated",
        },
        "ORGANIZATIONS": {"required": demo_project.REQUIRED.slug, "optional": demo_project.OPTIONAL.slug},
        "EMAIL_DOMAIN": demo_project.EMAIL_DOMAIN,
        "EMULATOR_URL": emulator_url,
        "SDK_VERSION": PINNED_VERSION,
    }
    return "\n".join(f"export const {name} = {json.dumps(value)};" for name, value in settings.items()) + "\n"


def create_app(emulator_url: str) -> ASGIApp:
    """The page server's app, for the emulator at `emulator_url`. Raises SdkMissing without the SDK."""
    check_sdk()
    control = EmulatorControl(emulator_url)
    config = config_module(emulator_url)

    async def config_js(request: Request) -> Response:
        return Response(config, media_type="text/javascript", headers={"Cache-Control": "no-store"})

    def outbox(request: Request) -> JSONResponse:
        """Emulator only: the newest messages to ?to= (an email address or a phone number), or
        the newest SMS to ?member= (a member ID: the page sees the member's number masked)."""
        recipient = request.query_params.get("to", "").strip()
        member_id = request.query_params.get("member", "").strip()
        if recipient:
            messages = control.messages(to=recipient, limit=3)
        elif member_id:
            messages = [m for m in control.messages(channel="sms", limit=100) if m.get("member_id") == member_id][:3]
        else:
            messages = []
        return JSONResponse({"messages": messages}, headers={"Cache-Control": "no-store"})

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "pages": "stytch-frontend-samples", "emulator": emulator_url})

    app = Starlette(routes=[
        Route("/config.js", config_js),
        Route("/outbox", outbox),
        Route("/health", health),
        Mount("/vendor/stytch", StaticFiles(directory=SDK_MODULES)),
        Mount("/", StaticFiles(directory=PAGES_DIR, html=True)),
    ])
    return _with_headers(app)


def _with_headers(app: ASGIApp) -> ASGIApp:
    async def framed(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), FRAMING]}
            await send(message)

        await app(scope, receive, send_framed if scope["type"] == "http" else send)

    return framed


@contextmanager
def running(emulator_url: str, port: int) -> Iterator[str]:
    """The pages served from a thread of this process, for the emulator at `emulator_url`;
    yields their origin (http://localhost:PORT, as make frontend prints it)."""
    server = uvicorn.Server(uvicorn.Config(create_app(emulator_url), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the page server did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
