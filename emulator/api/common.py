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
from emulator.state import Context, members
from emulator.store import Record


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


def member_payload(org: Record, member: Record) -> dict[str, Any]:
    return {"member_id": member["member_id"], "member": members.public(member), "organization": org}


class SessionOptions(Body):
    """The fields every authenticate route takes to start or extend a session."""

    intermediate_session_token: Optional[str] = None
    session_token: Optional[str] = None
    session_jwt: Optional[str] = None
    session_duration_minutes: Optional[int] = None
    session_custom_claims: Optional[dict[str, Any]] = None


class MemberTokens(Body):
    """A member, and the intermediate session or session that vouches for them."""

    organization_id: str
    member_id: str
    intermediate_session_token: Optional[str] = None
    session_token: Optional[str] = None
    session_jwt: Optional[str] = None

    def tokens(self) -> tuple[Optional[str], Optional[str], Optional[str]]:
        """(intermediate_session_token, session_token, session_jwt), as the proof checks take them."""
        return self.intermediate_session_token, self.session_token, self.session_jwt


class MfaAuthenticate(MemberTokens):
    code: str
    session_duration_minutes: Optional[int] = None
    session_custom_claims: Optional[dict[str, Any]] = None
    set_mfa_enrollment: Optional[str] = None
    set_default_mfa: Optional[bool] = None
