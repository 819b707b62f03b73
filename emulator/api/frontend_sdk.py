"""Routes of /sdk/v1, the door of Stytch's frontend SDKs (`@stytch/vanilla-js`, `@stytch/react`):
the operations of the backend door, reached with the project's public token instead of its
secret. One MFA rule, two doors: each route reads the request, makes one call into state/, and
answers.

The gate has checked the page's origin and the public token before a route runs. Who the
caller is: the SDK sends `Authorization: Basic base64(public_token:session_token)` once the
member is logged in (`public_token:public_token` before), and the intermediate session token in
the body. Successes are wrapped as `{"data": {...}}`, as the SDK unwraps them; errors stay
Stytch's top-level error JSON, which the SDK raises as StytchAPIError.

Authenticate calls require `session_duration_minutes`, which the SDK's types require.
"""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from emulator.api.common import Body, JSONBody, basic_credentials, context
from emulator.config import DEMO_PUBLIC_TOKEN
from emulator.errors import StytchAPIError
from emulator.state import Context, member_sessions, mfa, primary, project
from emulator.state.authentication import SessionOptions, Tokens
from emulator.state.mfa import Enrollment

router = APIRouter(prefix="/sdk/v1", tags=["frontend SDK"])


async def caller_session(request: Request) -> Optional[str]:
    """The caller's session token: the Basic password when it is not the public token."""
    _, password = basic_credentials(request.headers)
    return password if password and password != DEMO_PUBLIC_TOKEN else None


def data(ctx: Context, **payload: Any) -> JSONResponse:
    return JSONBody({"data": {"status_code": 200, "request_id": ctx.ids.prefixed("request-id"), **payload}})


class Proof(Body):
    """An intermediate session token in the body; without one, the caller's session vouches."""

    intermediate_session_token: Optional[str] = None

    def tokens(self, session_token: Optional[str]) -> Tokens:
        if self.intermediate_session_token:
            return Tokens(intermediate_session_token=self.intermediate_session_token)
        return Tokens(session_token=session_token)


class Session(Body):
    session_duration_minutes: int
    session_custom_claims: Optional[dict[str, Any]] = None

    def session(self) -> SessionOptions:
        return SessionOptions(self.session_duration_minutes, self.session_custom_claims)


class Member(Proof):
    organization_id: str
    member_id: str


class MfaAuthenticate(Member, Session):
    code: str
    set_mfa_enrollment: Optional[str] = None
    set_default_mfa: Optional[bool] = None


class SmsSend(Member):
    mfa_phone_number: Optional[str] = None


class TotpCreate(Member):
    expiration_minutes: Optional[int] = None


class Recover(Member, Session):
    recovery_code: str


class LoginOrSignup(Body):
    organization_id: str
    email_address: str
    login_redirect_url: Optional[str] = None
    signup_redirect_url: Optional[str] = None


class MagicLinkAuthenticate(Proof, Session):
    magic_links_token: str


class PasswordAuthenticate(Proof, Session):
    organization_id: str
    email_address: str
    password: str


class SessionAuthenticate(Body):
    session_duration_minutes: Optional[int] = None


@router.get("/projects/bootstrap/{public_token}")
def bootstrap(public_token: str, ctx: Context = Depends(context)):
    if public_token != DEMO_PUBLIC_TOKEN:
        raise StytchAPIError("public_token_not_found", f"No project has the public token {public_token!r}.")
    return data(ctx, **project.sdk_bootstrap(ctx))


@router.post("/events")
def events(ctx: Context = Depends(context)):
    """The SDK's telemetry: accepted and dropped, as nothing here analyses it."""
    return data(ctx)


@router.post("/b2b/magic_links/email/login_or_signup")
def magic_link_send(body: LoginOrSignup, ctx: Context = Depends(context)):
    return data(ctx, **primary.login_or_signup(ctx, **body.given()))


@router.post("/b2b/magic_links/authenticate")
def magic_link_authenticate(body: MagicLinkAuthenticate, ctx: Context = Depends(context),
                            session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **primary.authenticate_magic_link(ctx, body.magic_links_token, body.tokens(session_token),
                                                       body.session()))


@router.post("/b2b/passwords/authenticate")
def password_authenticate(body: PasswordAuthenticate, ctx: Context = Depends(context),
                          session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **primary.authenticate_password(ctx, body.organization_id, body.email_address, body.password,
                                                     body.tokens(session_token), body.session()))


@router.post("/b2b/otps/sms/send")
def sms_send(body: SmsSend, ctx: Context = Depends(context),
             session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **mfa.send_sms(ctx, body.organization_id, body.member_id, body.tokens(session_token),
                                    body.mfa_phone_number))


@router.post("/b2b/otps/sms/authenticate")
def sms_authenticate(body: MfaAuthenticate, ctx: Context = Depends(context),
                     session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **mfa.authenticate_sms(ctx, body.organization_id, body.member_id, body.code,
                                            body.tokens(session_token), body.session(),
                                            Enrollment(body.set_mfa_enrollment, body.set_default_mfa)))


@router.post("/b2b/totp")
def totp_create(body: TotpCreate, ctx: Context = Depends(context),
                session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **mfa.create_totp(ctx, body.organization_id, body.member_id, body.tokens(session_token),
                                       body.expiration_minutes))


@router.post("/b2b/totp/authenticate")
def totp_authenticate(body: MfaAuthenticate, ctx: Context = Depends(context),
                      session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **mfa.authenticate_totp(ctx, body.organization_id, body.member_id, body.code,
                                             body.tokens(session_token), body.session(),
                                             Enrollment(body.set_mfa_enrollment, body.set_default_mfa)))


@router.post("/b2b/recovery_codes/recover")
def recovery_codes_recover(body: Recover, ctx: Context = Depends(context),
                           session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **mfa.recover(ctx, body.organization_id, body.member_id, body.recovery_code,
                                   body.tokens(session_token), body.session()))


@router.get("/b2b/recovery_codes")
def recovery_codes_get(ctx: Context = Depends(context), session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **mfa.recovery_codes(ctx, None, None, session_token))


@router.post("/b2b/recovery_codes/rotate")
def recovery_codes_rotate(ctx: Context = Depends(context), session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **mfa.rotate_recovery_codes(ctx, None, None, session_token))


@router.post("/b2b/sessions/authenticate")
def session_authenticate(body: Optional[SessionAuthenticate] = None, ctx: Context = Depends(context),
                         session_token: Optional[str] = Depends(caller_session)):
    if not session_token:
        raise StytchAPIError("session_not_found", "No session to authenticate: log in first.")
    minutes = body.session_duration_minutes if body else None
    return data(ctx, **member_sessions.authenticate(ctx, session_token, None, SessionOptions(minutes)))


@router.post("/b2b/sessions/revoke")
def session_revoke(ctx: Context = Depends(context), session_token: Optional[str] = Depends(caller_session)):
    if not session_token:
        raise StytchAPIError("session_not_found", "No session to revoke: the caller is not logged in.")
    return data(ctx, **member_sessions.revoke(ctx, session_token=session_token))


@router.get("/b2b/organizations/members/me")
def member_me(ctx: Context = Depends(context), session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **member_sessions.own_member(ctx, session_token))


@router.get("/b2b/organizations/me")
def organization_me(ctx: Context = Depends(context), session_token: Optional[str] = Depends(caller_session)):
    return data(ctx, **member_sessions.own_organization(ctx, session_token))
