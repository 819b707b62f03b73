"""Routes of client.otps.sms: send a passcode to the member's phone, and check it."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends

from emulator.api.common import MemberTokens, MfaAuthenticate, context, ok
from emulator.state import Context, mfa

router = APIRouter()


class Send(MemberTokens):
    mfa_phone_number: Optional[str] = None
    locale: Optional[str] = None


@router.post("/v1/b2b/otps/sms/send")
def send(body: Send, ctx: Context = Depends(context)):
    return ok(ctx, **mfa.send_sms(ctx, body.organization_id, body.member_id, body.tokens(), body.mfa_phone_number))


@router.post("/v1/b2b/otps/sms/authenticate")
def authenticate(body: MfaAuthenticate, ctx: Context = Depends(context)):
    return ok(ctx, **mfa.authenticate_sms(ctx, body.organization_id, body.member_id, body.code, body.tokens(),
                                          body.session(), body.enrollment()))
