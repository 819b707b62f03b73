"""CORS for the frontend SDK's door (/sdk/...): the grant on every answer, and the preflight.

Stytch's JavaScript SDK calls the API from the page's origin with `credentials: 'include'` and
headers a form cannot send (Authorization, X-SDK-Client, X-SDK-Parent-Host, a JSON
Content-Type), so the browser asks first (a preflight) and then reads an answer only if it names
the page's origin and allows credentials: never `*`. Which origins may call is the gate's
decision (gate.check_sdk_origin, from the project's `sdk_allowed_origins`); this module only
says so in the headers.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SDK_PREFIX = "/sdk/"
ALLOWED_METHODS = b"GET, POST, PUT, DELETE"
ALLOWED_HEADERS = b"Authorization, Content-Type, X-SDK-Client, X-SDK-Parent-Host"
PREFLIGHT_MAX_AGE = b"600"  # seconds a browser may reuse the answer


def granting(send: Send, origin: str | None) -> Send:
    """`send`, adding the grant for `origin` (None: no browser asked, no grant) to the answer.
    `Vary: Origin` always, since the answer depends on who asks."""
    grant = [(b"vary", b"Origin")]
    if origin is not None:
        grant += [(b"access-control-allow-origin", origin.encode("latin-1")),
                  (b"access-control-allow-credentials", b"true")]

    async def send_granted(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *grant]}
        await send(message)

    return send_granted


class Preflight:
    """Answers a browser's preflight (OPTIONS with Access-Control-Request-Method) to /sdk/...
    with the methods and headers the SDK uses. Sits inside the gate, which has already refused
    origins the project does not allow and adds the grant itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS" and scope["path"].startswith(SDK_PREFIX):
            if any(name == b"access-control-request-method" for name, _ in scope["headers"]):
                await send({"type": "http.response.start", "status": 204, "headers": [
                    (b"access-control-allow-methods", ALLOWED_METHODS),
                    (b"access-control-allow-headers", ALLOWED_HEADERS),
                    (b"access-control-max-age", PREFLIGHT_MAX_AGE),
                ]})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)
