"""Routes of client.magic_links: send a login/sign-up email, and redeem its token."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends

from emulator.api.common import Body, SessionOptions, context, member_payload, ok
from emulator.state import Context, authentication, factors, magic_links

router = APIRouter()


class LoginOrSignup(Body):
    organization_id: str
    email_address: str
    login_redirect_url: Optional[str] = None
    signup_redirect_url: Optional[str] = None
    login_expiration_minutes: Optional[int] = None
    signup_expiration_minutes: Optional[int] = None


class Authenticate(SessionOptions):
    magic_links_token: str


@router.post("/v1/b2b/magic_links/email/login_or_signup")
def login_or_signup(body: LoginOrSignup, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        org, member, created = magic_links.login_or_signup(
            ctx, body.organization_id, body.email_address, body.login_redirect_url,
            body.signup_redirect_url, body.login_expiration_minutes, body.signup_expiration_minutes,
        )
    return ok(ctx, member_created=created, **member_payload(org, member))


@router.post("/v1/b2b/magic_links/authenticate")
def authenticate(body: Authenticate, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        minutes = authentication.session_minutes(body.session_duration_minutes)
        org, member = magic_links.redeem(ctx, body.magic_links_token)
        factor = factors.magic_link(ctx.clock.now(), member["_email_id"], member["email_address"])
        result = authentication.complete_primary(
            ctx, org, member, factor,
            intermediate_session_token=body.intermediate_session_token,
            session_token=body.session_token, session_jwt=body.session_jwt,
            minutes=minutes, custom_claims=body.session_custom_claims,
        )
    return ok(ctx, method_id=member["_email_id"], reset_sessions=False,
              organization_id=org["organization_id"], **member_payload(org, member), **result)
