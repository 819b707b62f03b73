"""The ASGI app: Stytch's B2B routes at the host root (the backend door, /v1, and the frontend
SDK's door, /sdk/v1), emulator-only routes under /emulator/v1, the gate in front of all of them
(api/gate.py), and every failure turned into Stytch's error body (never a 500 page or a 422)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from emulator.api import (
    emulator_admin,
    frontend_sdk,
    magic_links,
    organizations,
    otps,
    passwords,
    phone,
    recovery_codes,
    sessions,
    totps,
)
from emulator.api.common import JSONBody
from emulator.api.cors import Preflight
from emulator.api.gate import Gate
from emulator.errors import StytchAPIError
from emulator.state import Context


def _error(request: Request, error: StytchAPIError) -> JSONResponse:
    ctx: Context = request.app.state.ctx
    return JSONBody(error.body(ctx.ids.prefixed("request-id")), status_code=error.status_code)


def _describe(errors: list[dict]) -> str:
    parts = []
    for e in errors:
        if e.get("type") == "json_invalid":
            return "The request body is not valid JSON."
        field = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        parts.append(f"{field}: {e.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts)


def create_app(ctx: Context, secret: str) -> FastAPI:
    app = FastAPI(
        title="Stytch B2B API emulator",
        description="The subset of Stytch's B2B API that MFA needs, served locally for the "
        "official SDK, plus emulator-only routes under /emulator/v1.",
        openapi_url="/emulator/v1/openapi.json",
        docs_url="/emulator/v1/docs",
        redoc_url=None,
    )
    app.state.ctx = ctx

    stytch = [organizations, passwords, magic_links, otps, totps, recovery_codes, sessions]
    for module in stytch:
        app.include_router(module.router)  # the gate checks their credentials
    app.include_router(sessions.open_router)
    app.include_router(frontend_sdk.router)  # the gate checks the public token and the origin
    app.include_router(emulator_admin.router)
    app.include_router(phone.router)

    @app.exception_handler(StytchAPIError)
    async def stytch_error(request: Request, error: StytchAPIError) -> JSONResponse:
        return _error(request, error)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error(request, StytchAPIError("bad_request", _describe(error.errors())))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == 405:
            return _error(request, StytchAPIError("method_not_allowed", f"{request.method} is not allowed on {request.url.path}."))
        if error.status_code == 404:
            return _error(request, StytchAPIError("route_not_found", f"No route {request.method} {request.url.path} on the emulator."))
        # FastAPI raises 400 when it cannot decode the body at all (e.g. bytes that are not UTF-8).
        return _error(request, StytchAPIError("bad_request", f"Invalid request: {error.detail}"))

    # The gate is added last, so it is the outermost middleware: keep it so. The preflight
    # answer for /sdk/ sits inside it, after the gate has refused origins the project does not
    # allow (and it answers nothing outside /sdk/).
    app.add_middleware(Preflight)
    app.add_middleware(Gate, ctx=ctx, secret=secret)
    return app
