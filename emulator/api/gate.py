"""The gate every request passes before a route runs, as one ASGI middleware.

Before the body is read:
- `/emulator/...` (emulator-only, no credentials): the Host must be the emulator's own loopback
  address (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`), which a DNS-rebinding page cannot
  send; a state change (any method but GET and HEAD) must come from no web page or from the
  emulator's own origin, and carry `Content-Type: application/json`, which a cross-site form or
  `no-cors` fetch cannot send. No CORS grant, ever; framing only by loopback pages.
- `/v1/...` (Stytch's backend API), but the open JWKS route: HTTP Basic `project_id:secret`.
- `/sdk/...` (the frontend SDK's door): a browser's Origin must be one the project allows (or
  the emulator's own); then every answer carries the CORS grant for it, this gate's own
  refusals included. HTTP Basic with the public token, except preflights and the telemetry
  route. Preflights themselves are answered inside the gate (cors.Preflight).
- Every path: a body of at most `request_body.MAX_BODY_BYTES` (413).
Then the body is read and checked (request_body.py), and handed on unchanged.

After: an unexpected exception still answers in Stytch's shape, logged with its request ID,
and the connection stays usable (Starlette's last-resort handler would close it).
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.api import cors, request_body
from emulator.api.common import JSONBody, basic_credentials
from emulator.config import DEMO_PUBLIC_TOKEN
from emulator.errors import StytchAPIError
from emulator.state import Context, project

log = logging.getLogger("emulator")

EMULATOR_ONLY = "/emulator/"
STYTCH_BACKEND = "/v1/"
STYTCH_FRONTEND = "/sdk/"
OPEN_ROUTES = (
    "/v1/b2b/sessions/jwks/",  # PyJWKClient fetches the JWKS without credentials
    "/sdk/v1/events",  # the frontend SDK posts its telemetry with a bare fetch()
)
SAFE_METHODS = ("GET", "HEAD")
# Headers on every emulator-only answer: a loopback page (JupyterLab) may frame the phone page;
# other sites may neither frame nor embed these answers.
_EMULATOR_ONLY_HEADERS = [
    (b"content-security-policy", b"frame-ancestors 'self' http://127.0.0.1:* http://localhost:*"),
    (b"cross-origin-resource-policy", b"same-site"),
    (b"x-content-type-options", b"nosniff"),
]


class ClientGone(Exception):
    """The client disconnected before its body arrived."""


def check_credentials(headers: Headers, ctx: Context, secret: str) -> None:
    """HTTP Basic `project_id:secret`, the way the SDK authenticates every call."""
    project_id, given_secret = basic_credentials(headers)
    if project_id.startswith("project-live-"):
        raise StytchAPIError(
            "unauthorized_project_id_live",
            "Live project credentials are refused: the emulator only serves its demo test project.",
        )
    if not (hmac.compare_digest(project_id.encode(), ctx.project_id.encode())
            and hmac.compare_digest(given_secret.encode(), secret.encode())):
        raise StytchAPIError(
            "unauthorized_credentials",
            "Unauthorized credentials: use the emulator's demo project ID and secret.",
        )


def check_public_token(headers: Headers) -> None:
    """HTTP Basic `public_token:public_token` (or `public_token:session_token` once logged in),
    the way Stytch's frontend SDK authenticates every call. The session is the routes' to check."""
    public_token, _ = basic_credentials(headers)
    if not public_token:
        raise StytchAPIError(
            "unauthorized_credentials",
            "The frontend SDK door needs Authorization: Basic base64(public_token:public_token), "
            "or public_token:session_token once logged in.",
        )
    if not hmac.compare_digest(public_token.encode(), DEMO_PUBLIC_TOKEN.encode()):
        raise StytchAPIError("public_token_not_found",
                             f"Unknown public token: use the emulator's demo public token {DEMO_PUBLIC_TOKEN}.")


def check_sdk_origin(scope: Scope, headers: Headers, ctx: Context) -> str | None:
    """The page origin a browser names, if the project lets it call the frontend door (its
    settings' `sdk_allowed_origins`, or the emulator's own); None when no Origin is sent
    (not a browser, or a same-origin GET). A page the project does not know is refused."""
    origin = headers.get("origin")
    if origin is None:
        return None
    own = {f"http://{host}" for host in loopback_hosts(scope)}
    if origin not in own and not project.sdk_origin_allowed(ctx, origin):
        raise StytchAPIError(
            "bad_domain_for_stytch_sdk",
            f"The page origin {origin!r} may not call this project's frontend SDK: add it to the "
            "project's authorized origins (on the emulator: PATCH /emulator/v1/project sdk_allowed_origins).",
        )
    return origin


def loopback_hosts(scope: Scope) -> set[str]:
    """The Host values that name this emulator: loopback, with the port it listens on."""
    port = (scope.get("server") or ("", 0))[1]
    return {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}


def check_emulator_only(scope: Scope, headers: Headers) -> None:
    hosts = loopback_hosts(scope)
    if headers.get("host", "").lower() not in hosts:
        raise StytchAPIError(
            "host_not_allowed",
            "The emulator-only API answers requests addressed to its loopback URL only "
            f"({sorted(hosts)[0]} and the like).",
        )
    if scope["method"] in SAFE_METHODS:
        return
    origin = headers.get("origin")
    if origin is not None and origin.lower() not in {f"http://{host}" for host in hosts}:
        raise StytchAPIError(
            "cross_origin_request_refused",
            "The emulator-only API takes no state changes from other web pages.",
        )
    if (headers.get("content-type") or "").split(";", 1)[0].strip().lower() != "application/json":
        raise StytchAPIError(
            "json_content_type_required",
            "State changes on the emulator-only API need Content-Type: application/json.",
        )


class Gate:
    def __init__(self, app: ASGIApp, ctx: Context, secret: str) -> None:
        self.app = app
        self.ctx = ctx
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        if path.startswith(EMULATOR_ONLY):
            send = _with_emulator_only_headers(send)
        try:
            if path.startswith(EMULATOR_ONLY):
                check_emulator_only(scope, headers)
            elif path.startswith(STYTCH_BACKEND) and not path.startswith(OPEN_ROUTES):
                check_credentials(headers, self.ctx, self.secret)
            elif path.startswith(STYTCH_FRONTEND):
                # Every answer from here on, this gate's own refusals (413, a bad body, a 500)
                # included, carries the CORS grant, so the page can read Stytch's error.
                send = cors.granting(send, check_sdk_origin(scope, headers, self.ctx))
                if scope["method"] != "OPTIONS" and not path.startswith(OPEN_ROUTES):
                    check_public_token(headers)
            body = await _read_body(headers, receive)
            if body and request_body.is_json(headers.get("content-type")):
                request_body.check(body)
        except StytchAPIError as error:
            await self._answer(scope, send, error)
            return
        except ClientGone:
            return
        await self._run(scope, _replay(body, receive), send)

    async def _run(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as error:
            request_id = self.ctx.ids.prefixed("request-id")
            log.exception("%s: unhandled error on %s %s", request_id, scope["method"], scope["path"])
            if not started:
                bug = StytchAPIError("internal_server_error", f"Emulator bug: {type(error).__name__}: {error} "
                                     f"(see the emulator's log for {request_id}).")
                await JSONBody(bug.body(request_id), status_code=bug.status_code)(scope, _nothing, send)

    async def _answer(self, scope: Scope, send: Send, error: StytchAPIError) -> None:
        body = error.body(self.ctx.ids.prefixed("request-id"))
        await JSONBody(body, status_code=error.status_code)(scope, _nothing, send)


async def _read_body(headers: Headers, receive: Receive) -> bytes:
    too_large = StytchAPIError(
        "request_too_large", f"The request body is over the emulator's limit of {request_body.MAX_BODY_BYTES} bytes."
    )
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > request_body.MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > request_body.MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body once, as it arrived; then the client's own messages (a disconnect)."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


def _with_emulator_only_headers(send: Send) -> Send:
    async def send_guarded(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept: list[Any] = [(k, v) for k, v in message.get("headers", [])
                               if not k.lower().startswith(b"access-control-")]
            message = {**message, "headers": kept + _EMULATOR_ONLY_HEADERS}
        await send(message)

    return send_guarded
