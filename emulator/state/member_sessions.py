"""The session operations, one per Stytch call: authenticate (and extend) a session, revoke
sessions, and read what a session's holder may read about themselves (the frontend SDK's
members/me and organizations/me).

Like the MFA operations they take plain values, so either door can call them: the backend door
reads the session from the body, the frontend door from its Authorization header. Each runs in
one transaction (the reads none) and returns the response record the door answers with.
"""

from __future__ import annotations

from emulator import config
from emulator.errors import StytchAPIError
from emulator.state import Context, authentication, members, organizations, sessions, validation
from emulator.state.authentication import SessionOptions
from emulator.store import Record


def authenticate(
    ctx: Context,
    session_token: str | None,
    session_jwt: str | None,
    session: SessionOptions = SessionOptions(),
) -> Record:
    """sessions.authenticate: the session is alive; record the access, extend it when a duration
    is given, merge custom claims, and answer with a fresh JWT."""
    with ctx.store.transaction():
        minutes = None
        if session.duration_minutes is not None:
            minutes = validation.session_minutes(session.duration_minutes, 0, config.SESSION_MINUTES_RANGE)
        record = sessions.by_token_or_jwt(ctx, session_token, session_jwt)
        if session.custom_claims:
            record["custom_claims"] = {**record["custom_claims"], **sessions.allowed_claims(session.custom_claims)}
        sessions.touch(ctx, record, minutes)
        org = organizations.get(ctx, record["organization_id"])
        member = ctx.store.get(members.KIND, record["member_id"])
        return {"member": members.public(ctx, member), "organization": org,
                **authentication.session_fields(ctx, record, org)}


def revoke(
    ctx: Context,
    *,
    member_session_id: str | None = None,
    session_token: str | None = None,
    session_jwt: str | None = None,
    member_id: str | None = None,
) -> Record:
    """sessions.revoke: exactly one of a session's ID, token or JWT, or a member (all their
    sessions)."""
    given = [v for v in (member_session_id, session_token, session_jwt, member_id) if v]
    if len(given) != 1:
        raise StytchAPIError(
            "no_session_revoke_arguments" if not given else "too_many_session_revoke_arguments",
            "Pass exactly one of member_session_id, session_token, session_jwt or member_id.",
        )
    with ctx.store.transaction():
        if member_id:
            if ctx.store.get(members.KIND, member_id) is None:
                raise StytchAPIError("member_not_found", f"No member {member_id!r}.")
            targets = sessions.active_for(ctx, member_id)
        elif member_session_id:
            found = ctx.store.get(sessions.KIND, member_session_id)
            if found is None:
                raise StytchAPIError("session_not_found", "Session not found.")
            targets = [found]
        else:
            targets = [sessions.by_token_or_jwt(ctx, session_token, session_jwt)]
        for record in targets:
            sessions.revoke(ctx, record)
        return {}


def holder(ctx: Context, session_token: str | None) -> tuple[Record, Record]:
    """The organization and member a live session belongs to (the caller of the frontend door)."""
    if not session_token:
        raise StytchAPIError("session_not_found", "This call needs a session: log in first.")
    record = sessions.by_token(ctx, session_token)
    org = organizations.get(ctx, record["organization_id"])
    return org, members.get(ctx, org["organization_id"], record["member_id"])


def own_member(ctx: Context, session_token: str | None) -> Record:
    """The frontend SDK's self.get() (members/me): the session holder's member record."""
    org, member = holder(ctx, session_token)
    return members.payload(ctx, org, member)


def own_organization(ctx: Context, session_token: str | None) -> Record:
    """The frontend SDK's organization.get() (organizations/me): the session holder's organization."""
    org, _ = holder(ctx, session_token)
    return {"organization": org}
