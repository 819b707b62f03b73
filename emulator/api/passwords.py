"""Routes of client.passwords: migrate (give a member a password) and authenticate."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends

from emulator.api.common import Body, SessionFields, context, ok
from emulator.state import Context, members, passwords, primary

router = APIRouter()


class Migrate(Body):
    organization_id: str
    email_address: str
    hash: str
    hash_type: str
    name: Optional[str] = None
    trusted_metadata: Optional[dict[str, Any]] = None
    untrusted_metadata: Optional[dict[str, Any]] = None
    mfa_phone_number: Optional[str] = None
    set_phone_number_verified: Optional[bool] = None
    external_id: Optional[str] = None


class Authenticate(SessionFields):
    organization_id: str
    email_address: str
    password: str


@router.post("/v1/b2b/passwords/migrate")
def migrate(body: Migrate, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        fields = body.given("organization_id", "email_address", "hash", "hash_type")
        org, member, created = passwords.migrate(
            ctx, body.organization_id, body.email_address, body.hash, body.hash_type, fields
        )
    return ok(ctx, member_created=created, **members.payload(ctx, org, member))


@router.post("/v1/b2b/passwords/authenticate")
def authenticate(body: Authenticate, ctx: Context = Depends(context)):
    return ok(ctx, **primary.authenticate_password(ctx, body.organization_id, body.email_address, body.password,
                                                   body.tokens(), body.session()))
