"""Emulator-only routes, under /emulator/v1/ (Stytch has none of these): the outbox, the
TOTP registrations with their current codes, the clock, the project's settings, reset and seed,
health and shutdown. They take no credentials: the gate (gate.py) answers them only on the
emulator's loopback address, and refuses what a web page could forge."""

from __future__ import annotations

import os
import signal
import uuid
from typing import Any, Optional

from fastapi import APIRouter, Body as JsonBody, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from emulator.api.common import Body, JSONBody, context
from emulator.clock import rfc3339
from emulator.errors import StytchAPIError
from emulator.state import Context, authenticator_app, outbox, project

router = APIRouter(prefix="/emulator/v1", tags=["emulator-only"])


class Advance(Body):
    seconds: float = Field(gt=0, le=10 * 365 * 86400)


class Seed(Body):
    seed: Optional[int] = None


def _body(**payload) -> JSONResponse:
    # Random request IDs here keep emulator-only calls out of a seeded ID sequence.
    return JSONBody({"status_code": 200, "request_id": f"request-id-test-{uuid.uuid4()}", **payload})


def _clock(ctx: Context) -> dict:
    now = ctx.clock.now()
    return {"now": rfc3339(now), "now_unix": now, "offset_seconds": ctx.clock.offset_seconds}


@router.get("/health")
def health(ctx: Context = Depends(context)):
    return _body(status="ok", emulator="stytch-b2b", project_id=ctx.project_id, pid=os.getpid())


@router.get("/messages")
def messages(
    to: Optional[str] = None,
    channel: Optional[str] = None,
    limit: Optional[int] = Query(default=None, ge=1, le=100_000),
    ctx: Context = Depends(context),
):
    """Newest first; `limit=1` is the newest message alone."""
    if channel not in (None, "sms", "email"):
        raise StytchAPIError("bad_request", "channel must be sms or email.")
    return _body(messages=outbox.list_messages(ctx, to, channel, limit))


@router.delete("/messages")
def clear_messages(ctx: Context = Depends(context)):
    with ctx.store.transaction():
        outbox.clear(ctx)
    return _body()


@router.get("/totp_registrations")
def totp_registrations(ctx: Context = Depends(context)):
    """Every TOTP registration, newest first, with its code at the emulator's time (what the
    simulated phone's authenticator app shows); never the secret."""
    return _body(**authenticator_app.registrations(ctx))


@router.get("/clock")
def clock(ctx: Context = Depends(context)):
    return _body(**_clock(ctx))


@router.post("/clock/advance")
def advance(body: Advance, ctx: Context = Depends(context)):
    ctx.clock.advance(body.seconds)
    return _body(**_clock(ctx))


@router.post("/clock/reset")
def reset_clock(ctx: Context = Depends(context)):
    ctx.clock.reset()
    return _body(**_clock(ctx))


@router.get("/project")
def get_project(ctx: Context = Depends(context)):
    """The project's settings: redirect URLs, SMS countries, masking, user locks, rate limits."""
    return _body(project=project.get(ctx).model_dump())


@router.patch("/project")
def update_project(changes: dict[str, Any] = JsonBody(...), ctx: Context = Depends(context)):
    """Replace the settings named in the body (each one whole); the others stay."""
    return _body(project=project.update(ctx, changes).model_dump())


@router.post("/reset")
def reset(body: Optional[Seed] = None, ctx: Context = Depends(context)):
    """Wipe every organization, member, token and message; reset the clock and the project's
    settings; optionally seed. The signing key stays, so clients that cached the JWKS keep
    working."""
    ctx.store.wipe()
    ctx.clock.reset()
    project.restore_defaults(ctx)
    ctx.ids.reseed(body.seed if body else None)
    return _body(seed=ctx.ids.seed)


@router.post("/seed")
def seed(body: Seed, ctx: Context = Depends(context)):
    """From now on, IDs, tokens, secrets and codes follow this seed (null: random again)."""
    ctx.ids.reseed(body.seed)
    return _body(seed=ctx.ids.seed)


@router.post("/shutdown")
def shutdown():
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn finishes this response, then exits
    return _body(status="stopping")
