"""Routes of client.sessions, and the open JWKS route the SDK verifies JWTs with."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends

from emulator.api.common import Body, context, ok
from emulator.errors import StytchAPIError
from emulator.state import Context, member_sessions, members, organizations, primary, sessions
from emulator.state.authentication import SessionOptions

router = APIRouter()
open_router = APIRouter()  # no Basic auth: PyJWKClient fetches the JWKS without credentials


class Authenticate(Body):
    session_token: Optional[str] = None
    session_jwt: Optional[str] = None
    session_duration_minutes: Optional[int] = None
    session_custom_claims: Optional[dict[str, Any]] = None


class Revoke(Body):
    member_session_id: Optional[str] = None
    session_token: Optional[str] = None
    session_jwt: Optional[str] = None
    member_id: Optional[str] = None


class Exchange(Authenticate):
    organization_id: str


@router.post("/v1/b2b/sessions/authenticate")
def authenticate(body: Authenticate, ctx: Context = Depends(context)):
    options = SessionOptions(body.session_duration_minutes, body.session_custom_claims)
    return ok(ctx, **member_sessions.authenticate(ctx, body.session_token, body.session_jwt, options))


@router.get("/v1/b2b/sessions")
def get(organization_id: str, member_id: str, ctx: Context = Depends(context)):
    org = organizations.get(ctx, organization_id)
    member = members.get(ctx, organization_id, member_id)
    return ok(ctx, member_sessions=[sessions.member_session(s, org) for s in sessions.active_for(ctx, member["member_id"])])


@router.post("/v1/b2b/sessions/revoke")
def revoke(body: Revoke, ctx: Context = Depends(context)):
    return ok(ctx, **member_sessions.revoke(ctx, **body.given()))


@router.post("/v1/b2b/sessions/exchange")
def exchange(body: Exchange, ctx: Context = Depends(context)):
    options = SessionOptions(body.session_duration_minutes, body.session_custom_claims)
    return ok(ctx, **primary.exchange_session(ctx, body.organization_id, body.session_token, body.session_jwt,
                                              options))


@open_router.get("/v1/b2b/sessions/jwks/{project_id}")
def jwks(project_id: str, ctx: Context = Depends(context)):
    if project_id != ctx.project_id:
        raise StytchAPIError("project_not_found", f"No project {project_id!r} on this emulator.")
    return ok(ctx, keys=[ctx.key.jwk()])
