"""Routes of client.recovery_codes: log in without the authenticator, list and rotate codes."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from emulator.api.common import Body, MemberTokens, SessionFields, context, ok
from emulator.state import Context, mfa

router = APIRouter()


class Recover(MemberTokens, SessionFields):
    recovery_code: str


class Rotate(Body):
    organization_id: str
    member_id: str


@router.post("/v1/b2b/recovery_codes/recover")
def recover(body: Recover, ctx: Context = Depends(context)):
    return ok(ctx, **mfa.recover(ctx, body.organization_id, body.member_id, body.recovery_code, body.tokens(),
                                 body.session()))


@router.get("/v1/b2b/recovery_codes/{organization_id}/{member_id}")
def get(organization_id: str, member_id: str, ctx: Context = Depends(context)):
    return ok(ctx, **mfa.recovery_codes(ctx, organization_id, member_id))


@router.post("/v1/b2b/recovery_codes/rotate")
def rotate(body: Rotate, ctx: Context = Depends(context)):
    return ok(ctx, **mfa.rotate_recovery_codes(ctx, body.organization_id, body.member_id))
