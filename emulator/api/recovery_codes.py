"""Routes of client.recovery_codes: log in without the authenticator, list and rotate codes."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends

from emulator.api.common import Body, MemberTokens, context, member_payload, ok
from emulator.state import Context, authentication, factors, members, organizations, totps

router = APIRouter()


class Recover(MemberTokens):
    recovery_code: str
    session_duration_minutes: Optional[int] = None
    session_custom_claims: Optional[dict[str, Any]] = None


class Rotate(Body):
    organization_id: str
    member_id: str


@router.post("/v1/b2b/recovery_codes/recover")
def recover(body: Recover, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        minutes = authentication.session_minutes(body.session_duration_minutes)
        org = organizations.get(ctx, body.organization_id)
        member = members.get(ctx, body.organization_id, body.member_id)
        proof = authentication.require_proof(ctx, member, *body.tokens())
        code_id, remaining = totps.use_recovery_code(ctx, member, body.recovery_code)
        factor = factors.recovery_code(ctx.clock.now(), code_id)
        result = authentication.complete_secondary(ctx, org, member, factor, proof, minutes,
                                                   body.session_custom_claims)
    return ok(ctx, recovery_codes_remaining=remaining, **member_payload(org, member), **result)


@router.get("/v1/b2b/recovery_codes/{organization_id}/{member_id}")
def get(organization_id: str, member_id: str, ctx: Context = Depends(context)):
    org = organizations.get(ctx, organization_id)
    member = members.get(ctx, organization_id, member_id)
    return ok(ctx, recovery_codes=totps.unused_codes(ctx, member), **member_payload(org, member))


@router.post("/v1/b2b/recovery_codes/rotate")
def rotate(body: Rotate, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        org = organizations.get(ctx, body.organization_id)
        member = members.get(ctx, body.organization_id, body.member_id)
        codes = totps.rotate_codes(ctx, member)
    return ok(ctx, recovery_codes=codes, **member_payload(org, member))
