"""Routes of client.magic_links: send a login/sign-up email, and redeem its token."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends

from emulator.api.common import Body, SessionFields, context, ok
from emulator.state import Context, primary

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
    return ok(ctx, **primary.login_or_signup(ctx, **body.given()))


@router.post("/v1/b2b/magic_links/authenticate")
def authenticate(body: Authenticate, ctx: Context = Depends(context)):
    return ok(ctx, **primary.authenticate_magic_link(ctx, body.magic_links_token, body.tokens(), body.session()))
