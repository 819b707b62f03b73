"""What every route module shares: the state context, request bodies, and the success body."""

from __future__ import annotations

import base64
from typing import Any, Optional

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from pydantic import BaseModel, ConfigDict

from emulator.state import Context
from emulator.state.authentication import SessionOptions, Tokens
from emulator.state.mfa import Enrollment
from emulator.store import representable


class Body(BaseModel):
    """Request bodies ignore fields the emulator does not model, as Stytch ignores unknown ones."""

    model_config = ConfigDict(extra="ignore")

    def given(self, *exclude: str) -> dict[str, Any]:
        """Fields the caller sent (the SDK omits None), minus `exclude`."""
        return self.model_dump(exclude_none=True, exclude=set(exclude))


def basic_credentials(headers: Headers) -> tuple[str, str]:
    """(user, password) of an `Authorization: Basic` header; ("", "") when absent or malformed."""
    header = headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return user, password
        except ValueError:  # not base64, or not UTF-8 (binascii.Error and UnicodeDecodeError)
            pass
    return "", ""


# Dependencies are `async def` so FastAPI calls them on the event loop: as plain `def` each one
# costs a hop through the thread pool, which was a fifth of a request's time (bench/).
async def context(request: Request) -> Context:
    return request.app.state.ctx


class JSONBody(JSONResponse):
    """Every answer's JSON. Reading never fails on what is stored: a record written by an older
    emulator may hold a lone surrogate or NaN, which JSON cannot carry; those are replaced
    (U+FFFD, null) in the answer instead of failing it."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except (ValueError, UnicodeEncodeError):
            return super().render(representable(content))


def ok(ctx: Context, **payload: Any) -> JSONResponse:
    return JSONBody({"status_code": 200, "request_id": ctx.ids.prefixed("request-id"), **payload})


class TokenFields(Body):
    """The intermediate session or session that vouches for the member."""

    intermediate_session_token: Optional[str] = None
    session_token: Optional[str] = None
    session_jwt: Optional[str] = None

    def tokens(self) -> Tokens:
        return Tokens(self.intermediate_session_token, self.session_token, self.session_jwt)


class SessionFields(TokenFields):
    """The fields every authenticate route takes to start or extend a session."""

    session_duration_minutes: Optional[int] = None
    session_custom_claims: Optional[dict[str, Any]] = None

    def session(self) -> SessionOptions:
        return SessionOptions(self.session_duration_minutes, self.session_custom_claims)


class MemberTokens(TokenFields):
    """A member, and the intermediate session or session that vouches for them."""

    organization_id: str
    member_id: str


class MfaAuthenticate(MemberTokens, SessionFields):
    code: str
    set_mfa_enrollment: Optional[str] = None
    set_default_mfa: Optional[bool] = None

    def enrollment(self) -> Enrollment:
        return Enrollment(self.set_mfa_enrollment, self.set_default_mfa)
