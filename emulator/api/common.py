"""What every route module shares: the state context, credentials, and the success body."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any, Optional

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from emulator.errors import StytchAPIError
from emulator.state import Context
from emulator.state.authentication import SessionOptions, Tokens
from emulator.state.mfa import Enrollment


class Body(BaseModel):
    """Request bodies ignore fields the emulator does not model, as Stytch ignores unknown ones."""

    model_config = ConfigDict(extra="ignore")

    def given(self, *exclude: str) -> dict[str, Any]:
        """Fields the caller sent (the SDK omits None), minus `exclude`."""
        return self.model_dump(exclude_none=True, exclude=set(exclude))


# Dependencies are `async def` so FastAPI calls them on the event loop: as plain `def` each one
# costs a hop through the thread pool, which was a fifth of a request's time (bench/).
async def context(request: Request) -> Context:
    return request.app.state.ctx


async def require_credentials(request: Request) -> None:
    """HTTP Basic `project_id:secret`, the way the SDK authenticates every call."""
    ctx: Context = request.app.state.ctx
    header = request.headers.get("authorization", "")
    project_id = secret = ""
    if header.lower().startswith("basic "):
        try:
            project_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            pass
    if project_id.startswith("project-live-"):
        raise StytchAPIError(
            "unauthorized_project_id_live",
            "Live project credentials are refused: the emulator only serves its demo test project.",
        )
    if not (hmac.compare_digest(project_id, ctx.project_id) and hmac.compare_digest(secret, request.app.state.secret)):
        raise StytchAPIError(
            "unauthorized_credentials",
            "Unauthorized credentials: use the emulator's demo project ID and secret.",
        )


def ok(ctx: Context, **payload: Any) -> JSONResponse:
    return JSONResponse({"status_code": 200, "request_id": ctx.ids.prefixed("request-id"), **payload})


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
