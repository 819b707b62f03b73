"""Routes of client.recovery_codes: log in without the authenticator, list and rotate codes."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from emulator.api.common import Body, MemberTokens, SessionFields, context, ok
from emulator.state import Context, members, mfa, organizations, totps

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
    org = organizations.get(ctx, organization_id)
    member = members.get(ctx, organization_id, member_id)
    return ok(ctx, recovery_codes=totps.unused_codes(ctx, member), **members.payload(ctx, org, member))


@router.post("/v1/b2b/recovery_codes/rotate")
def rotate(body: Rotate, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        org = organizations.get(ctx, body.organization_id)
        member = members.get(ctx, body.organization_id, body.member_id)
        codes = totps.rotate_codes(ctx, member)
    return ok(ctx, recovery_codes=codes, **members.payload(ctx, org, member))
