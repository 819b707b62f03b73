"""What every route module shares: the state context, request bodies, and the success body."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from emulator.state import Context, members
from emulator.store import Record, representable


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
