"""Routes of client.otps.sms: send a passcode to the member's phone, and check it."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends

from emulator.api.common import MemberTokens, MfaAuthenticate, context, member_payload, ok
from emulator.errors import StytchAPIError
from emulator.state import Context, authentication, factors, sms_otps, validation

router = APIRouter()


class Send(MemberTokens):
    mfa_phone_number: Optional[str] = None
    locale: Optional[str] = None


@router.post("/v1/b2b/otps/sms/send")
def send(body: Send, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        org, member = authentication.mfa_subject(ctx, body.organization_id, body.member_id, "sms_otp")
        authentication.check_active(member)
        proof = authentication.find_proof(ctx, member, *body.tokens())
        if body.mfa_phone_number:
            phone = validation.phone_number(body.mfa_phone_number)
            if not member["mfa_phone_number"]:
                authentication.check_may_add_factor(member, proof)
                sms_otps.link_phone(ctx, member, phone)
            elif member["mfa_phone_number"] != phone:
                raise StytchAPIError(
                    "duplicate_member_phone_number_for_member",
                    "This member already has a different MFA phone number. Omit mfa_phone_number "
                    "to text it, or delete it first (organizations.members.delete_mfa_phone_number).",
                )
        elif not member["mfa_phone_number"]:
            raise StytchAPIError(
                "member_phone_number_not_found",
                "This member has no MFA phone number yet: pass mfa_phone_number in E.164 format.",
            )
        sms_otps.send_code(ctx, org, member)
    return ok(ctx, **member_payload(org, member))


@router.post("/v1/b2b/otps/sms/authenticate")
def authenticate(body: MfaAuthenticate, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        minutes = authentication.session_minutes(body.session_duration_minutes)
        authentication.check_enrollment_choice(body.set_mfa_enrollment)
        org, member = authentication.mfa_subject(ctx, body.organization_id, body.member_id, "sms_otp")
        proof = authentication.require_proof(ctx, member, *body.tokens())
        phone = sms_otps.check_code(ctx, member, body.code)
        member["mfa_phone_number_verified"] = True
        authentication.apply_enrollment(ctx, org, member, "sms_otp", body.set_mfa_enrollment, body.set_default_mfa)
        factor = factors.sms_otp(ctx.clock.now(), sms_otps.phone_id(ctx, member), phone)
        result = authentication.complete_secondary(ctx, org, member, factor, proof, minutes,
                                                   body.session_custom_claims)
    return ok(ctx, **member_payload(org, member), **result)
