"""Routes of client.sessions, and the open JWKS route the SDK verifies JWTs with."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends

from emulator.api.common import Body, context, ok
from emulator.errors import StytchAPIError
from emulator.state import Context, authentication, members, organizations, primary, sessions, validation
from emulator.state.authentication import SessionOptions
from emulator import config

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
    with ctx.store.transaction():
        minutes = None
        if body.session_duration_minutes is not None:
            minutes = validation.session_minutes(body.session_duration_minutes, 0, config.SESSION_MINUTES_RANGE)
        session = sessions.by_token_or_jwt(ctx, body.session_token, body.session_jwt)
        if body.session_custom_claims:
            session["custom_claims"] = {**session["custom_claims"], **sessions.allowed_claims(body.session_custom_claims)}
        sessions.touch(ctx, session, minutes)
        org = organizations.get(ctx, session["organization_id"])
        member = ctx.store.get(members.KIND, session["member_id"])
    return ok(ctx, member=members.public(ctx, member), organization=org,
              **authentication.session_fields(ctx, session, org))


@router.get("/v1/b2b/sessions")
def get(organization_id: str, member_id: str, ctx: Context = Depends(context)):
    org = organizations.get(ctx, organization_id)
    member = members.get(ctx, organization_id, member_id)
    return ok(ctx, member_sessions=[sessions.member_session(s, org) for s in sessions.active_for(ctx, member["member_id"])])


@router.post("/v1/b2b/sessions/revoke")
def revoke(body: Revoke, ctx: Context = Depends(context)):
    given = body.given()
    if len(given) != 1:
        raise StytchAPIError(
            "no_session_revoke_arguments" if not given else "too_many_session_revoke_arguments",
            "Pass exactly one of member_session_id, session_token, session_jwt or member_id.",
        )
    with ctx.store.transaction():
        if body.member_id:
            if ctx.store.get(members.KIND, body.member_id) is None:
                raise StytchAPIError("member_not_found", f"No member {body.member_id!r}.")
            targets = sessions.active_for(ctx, body.member_id)
        elif body.member_session_id:
            found = ctx.store.get(sessions.KIND, body.member_session_id)
            if found is None:
                raise StytchAPIError("session_not_found", "Session not found.")
            targets = [found]
        else:
            targets = [sessions.by_token_or_jwt(ctx, body.session_token, body.session_jwt)]
        for session in targets:
            sessions.revoke(ctx, session)
    return ok(ctx)


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
