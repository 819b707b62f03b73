"""Routes of client.totps: register an authenticator app, and check its codes."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends

from emulator.api.common import MemberTokens, MfaAuthenticate, context, ok
from emulator.state import Context, mfa

router = APIRouter()


class Create(MemberTokens):
    expiration_minutes: Optional[int] = None


@router.post("/v1/b2b/totp")
def create(body: Create, ctx: Context = Depends(context)):
    return ok(ctx, **mfa.create_totp(ctx, body.organization_id, body.member_id, body.tokens(),
                                     body.expiration_minutes))


@router.post("/v1/b2b/totp/authenticate")
def authenticate(body: MfaAuthenticate, ctx: Context = Depends(context)):
    return ok(ctx, **mfa.authenticate_totp(ctx, body.organization_id, body.member_id, body.code, body.tokens(),
                                           body.session(), body.enrollment()))
