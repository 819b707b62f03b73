"""Routes of client.totps: register an authenticator app, and check its codes."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends

from emulator.api.common import MemberTokens, MfaAuthenticate, context, member_payload, ok
from emulator.state import Context, authentication, factors, totps

router = APIRouter()


class Create(MemberTokens):
    expiration_minutes: Optional[int] = None


@router.post("/v1/b2b/totp")
def create(body: Create, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        org, member = authentication.mfa_subject(ctx, body.organization_id, body.member_id, "totp")
        authentication.check_active(member)
        proof = authentication.find_proof(ctx, member, *body.tokens())
        authentication.check_may_add_factor(member, proof)
        totp = totps.create(ctx, org, member, body.expiration_minutes)
    return ok(
        ctx,
        totp_registration_id=totp["totp_id"],
        secret=totp["secret"],
        qr_code=totps.qr_code(totp, org, member),
        recovery_codes=[c["code"] for c in totp["recovery_codes"]],
        **member_payload(org, member),
    )


@router.post("/v1/b2b/totp/authenticate")
def authenticate(body: MfaAuthenticate, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        minutes = authentication.session_minutes(body.session_duration_minutes)
        authentication.check_enrollment_choice(body.set_mfa_enrollment)
        org, member = authentication.mfa_subject(ctx, body.organization_id, body.member_id, "totp")
        proof = authentication.require_proof(ctx, member, *body.tokens())
        totp = totps.check_code(ctx, member, body.code)
        authentication.apply_enrollment(ctx, org, member, "totp", body.set_mfa_enrollment, body.set_default_mfa)
        factor = factors.totp(ctx.clock.now(), totp["totp_id"])
        result = authentication.complete_secondary(ctx, org, member, factor, proof, minutes,
                                                   body.session_custom_claims)
    return ok(ctx, **member_payload(org, member), **result)
