"""Routes of client.magic_links: send a login/sign-up email, and redeem its token."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends

from emulator.api.common import Body, SessionFields, context, ok
from emulator.state import Context, magic_links, members, primary

router = APIRouter()


class LoginOrSignup(Body):
    organization_id: str
    email_address: str
    login_redirect_url: Optional[str] = None
    signup_redirect_url: Optional[str] = None
    login_expiration_minutes: Optional[int] = None
    signup_expiration_minutes: Optional[int] = None


class Authenticate(SessionFields):
    magic_links_token: str


@router.post("/v1/b2b/magic_links/email/login_or_signup")
def login_or_signup(body: LoginOrSignup, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        org, member, created = magic_links.login_or_signup(
            ctx, body.organization_id, body.email_address, body.login_redirect_url,
            body.signup_redirect_url, body.login_expiration_minutes, body.signup_expiration_minutes,
        )
    return ok(ctx, member_created=created, **members.payload(ctx, org, member))


@router.post("/v1/b2b/magic_links/authenticate")
def authenticate(body: Authenticate, ctx: Context = Depends(context)):
    return ok(ctx, **primary.authenticate_magic_link(ctx, body.magic_links_token, body.tokens(), body.session()))
