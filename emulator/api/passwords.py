"""Routes of client.passwords: migrate (give a member a password) and authenticate."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends

from emulator.api.common import Body, SessionOptions, context, member_payload, ok
from emulator.state import Context, authentication, factors, magic_links, passwords

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


class Authenticate(SessionOptions):
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
    return ok(ctx, member_created=created, **member_payload(org, member))


@router.post("/v1/b2b/passwords/authenticate")
def authenticate(body: Authenticate, ctx: Context = Depends(context)):
    minutes = authentication.session_minutes(body.session_duration_minutes)
    verified = passwords.verify(ctx, body.organization_id, body.email_address, body.password)
    with ctx.store.transaction():
        org, member = passwords.check(ctx, body.organization_id, verified)
        magic_links.check_auth_method(org, "password")
        result = authentication.complete_primary(
            ctx, org, member, factors.password(ctx.clock.now()),
            intermediate_session_token=body.intermediate_session_token,
            session_token=body.session_token, session_jwt=body.session_jwt,
            minutes=minutes, custom_claims=body.session_custom_claims,
        )
    return ok(ctx, organization_id=org["organization_id"], **member_payload(org, member), **result)
