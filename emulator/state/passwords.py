"""Passwords: set by migrating an existing hash (how a notebook gives a member a password
offline), checked at passwords.authenticate."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import bcrypt

from emulator.errors import StytchAPIError
from emulator.state import Context, members, organizations
from emulator.store import Record

KIND = "password"
_DIGESTS = {"md_5": "md5", "sha_1": "sha1", "sha_512": "sha512"}
SUPPORTED_HASH_TYPES = ("bcrypt", *_DIGESTS)


def migrate(
    ctx: Context,
    organization_id: str,
    email_address: str,
    hash_value: str,
    hash_type: str,
    fields: dict,
) -> tuple[Record, Record, bool]:
    org = organizations.get(ctx, organization_id)
    if hash_type not in SUPPORTED_HASH_TYPES:
        raise StytchAPIError(
            "invalid_hash_type",
            f"The emulator migrates {', '.join(SUPPORTED_HASH_TYPES)} hashes; got {hash_type!r}.",
        )
    if hash_type == "bcrypt" and not hash_value.startswith("$2"):
        raise StytchAPIError("invalid_hash", "That is not a bcrypt hash (it should start with $2).")
    member = members.find_by_email(ctx, org["organization_id"], email_address)
    created = member is None
    if created:
        member = members.create(ctx, org["organization_id"], email_address)
    phone_verified = fields.pop("set_phone_number_verified", None)
    if fields.get("mfa_phone_number") and member["mfa_phone_number"]:
        fields.pop("mfa_phone_number")  # keep the phone the member already has
    members.apply_fields(member, fields)
    if phone_verified and member["mfa_phone_number"]:
        member["mfa_phone_number_verified"] = True
    member["member_password_id"] = member["member_password_id"] or ctx.ids.prefixed("member-password")
    member["email_address_verified"] = True
    members.save(ctx, member)
    ctx.store.put(KIND, member["member_id"], {"hash_type": hash_type, "hash": hash_value},
                  organization_id=org["organization_id"], member_id=member["member_id"])
    return org, member, created


@dataclass(frozen=True)
class Attempt:
    """A password checked against a member's stored hash. bcrypt is slow by design, so the
    check runs before the transaction, holding no lock (see `attempt`); `check` then confirms
    it inside the transaction."""

    member_id: str | None
    hash: str | None
    matched: bool


def attempt(ctx: Context, organization_id: str, email_address: str, password: str) -> Attempt:
    """Check the password outside any transaction; never raises for a wrong one."""
    org = organizations.get(ctx, organization_id)
    member = members.find_by_email(ctx, org["organization_id"], email_address)
    stored = ctx.store.get(KIND, member["member_id"]) if member else None
    if member is None or stored is None:
        return Attempt(None, None, False)
    return Attempt(member["member_id"], stored["hash"], _matches(stored, password))


def check(ctx: Context, member: Record | None, attempt: Attempt) -> None:
    """Inside the transaction: refuse unless `member` still has the hash the attempt matched
    (one error for a wrong password and an unknown member, as Stytch)."""
    stored = ctx.store.get(KIND, member["member_id"]) if member else None
    if (stored is None or not attempt.matched or attempt.member_id != member["member_id"]
            or stored["hash"] != attempt.hash):
        raise StytchAPIError("unauthorized_credentials", "The email address or password is incorrect.")


def _matches(stored: Record, password: str) -> bool:
    if stored["hash_type"] == "bcrypt":
        try:
            return bcrypt.checkpw(password.encode(), stored["hash"].encode())
        except ValueError:
            return False
    digest = hashlib.new(_DIGESTS[stored["hash_type"]], password.encode()).hexdigest()
    return hmac.compare_digest(digest, stored["hash"].lower())
