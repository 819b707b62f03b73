"""Intermediate session tokens (ISTs): proof of primary authentication while MFA is pending.

Stored by hash; they live 10 minutes, belong to one member of one organization, and are
consumed when MFA succeeds.
"""

from __future__ import annotations

import hashlib

from emulator import config
from emulator.errors import StytchAPIError
from emulator.state import Context
from emulator.store import Record

KIND = "intermediate_session"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(ctx: Context, member: Record, factors: list[Record]) -> tuple[str, Record]:
    token = ctx.ids.token()
    record = {
        "id": _hash(token),
        "member_id": member["member_id"],
        "organization_id": member["organization_id"],
        "factors": factors,
        "expires_at": ctx.clock.now() + config.INTERMEDIATE_SESSION_TTL,
        "consumed": False,
    }
    save(ctx, record)
    return token, record


def save(ctx: Context, record: Record) -> None:
    ctx.store.put(KIND, record["id"], record, organization_id=record["organization_id"],
                  member_id=record["member_id"], created=ctx.clock.now())


def resolve(ctx: Context, token: str, organization_id: str, member_id: str | None) -> Record:
    """The live IST for this organization (and member, when one is named)."""
    record = ctx.store.get(KIND, _hash(token))
    if record is None or record["consumed"] or record["expires_at"] <= ctx.clock.now():
        raise StytchAPIError(
            "intermediate_session_not_found",
            "Intermediate session not found: it is unknown, expired (10 minutes) or already used. "
            "Authenticate with the primary factor again.",
        )
    if record["organization_id"] != organization_id or (member_id and record["member_id"] != member_id):
        raise StytchAPIError(
            "invalid_intermediate_session_token_for_organization",
            "This intermediate session token belongs to another member or organization.",
        )
    return record


def consume(ctx: Context, record: Record) -> None:
    record["consumed"] = True
    save(ctx, record)
