"""Members of an organization, with their MFA enrollment: phone, TOTP, default method."""

from __future__ import annotations

from typing import Any

from emulator.clock import rfc3339
from emulator.errors import StytchAPIError
from emulator.state import Context, organizations, search as searching, validation
from emulator.store import Match, Record

KIND = "member"
MFA_METHODS = organizations.MFA_METHODS
# Stytch's member search filters (SDK: organizations.members.search).
SEARCH_FILTERS = {
    "member_ids": searching.Filter("id", "in", list),
    "member_emails": searching.Filter("lookup", "in", list, fold=True),
    "member_email_fuzzy": searching.Filter("lookup", "contains", str),
    "member_mfa_phone_numbers": searching.Filter("$.mfa_phone_number", "in", list),
    "member_is_breakglass": searching.Filter("$.is_breakglass", "is", bool),
    "statuses": searching.Filter("$.status", "in", list),
    "member_password_exists": searching.Filter("$.member_password_id", "nonempty", bool),
}


def _lookup(email: str) -> str:
    """Emails are ASCII (validation.email), so lowercasing cannot make two of them collide."""
    return email.lower()


def create(
    ctx: Context,
    organization_id: str,
    email_address: str,
    *,
    status: str = "active",
    fields: dict[str, Any] | None = None,
) -> Record:
    org = organizations.get(ctx, organization_id)
    email_address = validation.email(email_address)
    if find_by_email(ctx, org["organization_id"], email_address):
        raise StytchAPIError(
            "duplicate_member_email",
            f"A member with the email {email_address!r} already exists in this organization.",
        )
    now = rfc3339(ctx.clock.now())
    member: Record = {
        "organization_id": org["organization_id"],
        "member_id": ctx.ids.prefixed("member"),
        "email_address": email_address,
        "status": status,
        "name": "",
        "sso_registrations": [],
        "is_breakglass": False,
        "member_password_id": "",
        "oauth_registrations": [],
        "email_address_verified": False,
        "mfa_phone_number_verified": False,
        "is_admin": False,
        "totp_registration_id": "",
        "retired_email_addresses": [],
        "mfa_enrolled": False,
        "mfa_phone_number": "",
        "default_mfa_method": "",
        "roles": [{"role_id": "stytch_member", "sources": [{"type": "direct_assignment"}]}],
        "trusted_metadata": {},
        "untrusted_metadata": {},
        "created_at": now,
        "updated_at": now,
        "_email_id": ctx.ids.prefixed("member-email"),
    }
    apply_fields(member, fields or {})
    save(ctx, member)
    return member


def get(ctx: Context, organization_id: str, member_id: str) -> Record:
    org = organizations.get(ctx, organization_id)
    member = ctx.store.get(KIND, member_id)
    if member is None or member["organization_id"] != org["organization_id"]:
        raise StytchAPIError("member_not_found", f"No member {member_id!r} in this organization.")
    return member


def find_by_email(ctx: Context, organization_id: str, email_address: str) -> Record | None:
    found = ctx.store.find(KIND, organization_id=organization_id, lookup=_lookup(email_address))
    return found[0] if found else None


def get_by_email(ctx: Context, organization_id: str, email_address: str) -> Record:
    org = organizations.get(ctx, organization_id)
    member = find_by_email(ctx, org["organization_id"], email_address)
    if member is None:
        raise StytchAPIError("member_not_found", f"No member with email {email_address!r} in this organization.")
    return member


def update(ctx: Context, organization_id: str, member_id: str, changes: dict[str, Any]) -> Record:
    member = get(ctx, organization_id, member_id)
    changes = {k: v for k, v in changes.items() if v is not None}
    if "email_address" in changes:
        email = validation.email(changes["email_address"])
        other = find_by_email(ctx, member["organization_id"], email)
        if other and other["member_id"] != member["member_id"]:
            raise StytchAPIError("duplicate_member_email", f"{email!r} belongs to another member.")
    if "mfa_phone_number" in changes and member["mfa_phone_number"]:
        raise StytchAPIError(
            "duplicate_member_phone_number_for_member",
            "This member already has an MFA phone number; delete it first "
            "(organizations.members.delete_mfa_phone_number).",
        )
    if "default_mfa_method" in changes:
        method = validation.choice(
            "invalid_mfa_default_method", "default_mfa_method", changes["default_mfa_method"], MFA_METHODS
        )
        if method not in active_mfa_methods(member):
            raise StytchAPIError(
                "default_mfa_member_missing_factor",
                f"The member has no {method} factor to make the default.",
            )
    apply_fields(member, changes)
    save(ctx, member)
    return member


def delete(ctx: Context, organization_id: str, member_id: str) -> str:
    member = get(ctx, organization_id, member_id)
    ctx.store.delete_where(member_id=member["member_id"])
    return member["member_id"]


def delete_phone(ctx: Context, organization_id: str, member_id: str) -> Record:
    member = get(ctx, organization_id, member_id)
    if not member["mfa_phone_number"]:
        raise StytchAPIError("member_phone_number_not_found", "This member has no MFA phone number.")
    member["mfa_phone_number"] = ""
    member["mfa_phone_number_verified"] = False
    ctx.store.delete("sms_code", member["member_id"])
    _fix_default(member)
    save(ctx, member)
    return member


def clear_totp(ctx: Context, member: Record) -> None:
    """Forget the member's TOTP registration (the totps module owns the secret itself)."""
    member["totp_registration_id"] = ""
    _fix_default(member)
    save(ctx, member)


def active_mfa_methods(member: Record) -> list[str]:
    """Factors a member can complete MFA with: a verified phone, an active TOTP."""
    methods = []
    if member["mfa_phone_number"] and member["mfa_phone_number_verified"]:
        methods.append("sms_otp")
    if member["totp_registration_id"]:
        methods.append("totp")
    return methods


def search(
    ctx: Context, organization_ids: list[str], operator: str, operands: list[dict], offset: int, limit: int
) -> tuple[int, list[Record]]:
    """(how many members match, the page from `offset`), oldest first, read through the indexes."""
    if not organization_ids:
        raise StytchAPIError("member_search_organization_ids_empty", "organization_ids must not be empty.")
    ids = [organizations.get(ctx, o)["organization_id"] for o in organization_ids]
    matches = searching.matches("member", SEARCH_FILTERS, operands)
    scope = [Match("organization_id", "in", ids)]
    return (ctx.store.count(KIND, scope, matches, operator=operator),
            ctx.store.search(KIND, scope, matches, operator=operator, offset=offset, limit=limit))


def public(ctx: Context, member: Record) -> Record:
    """The member as the API shows it: without the private bookkeeping (keys that start with
    `_`), and locked or not as of the emulator's clock (state/locks.py keeps the lock)."""
    shown = {k: v for k, v in member.items() if not k.startswith("_")}
    expires_at = member.get("_lock_expires_at") or 0.0
    locked = expires_at > ctx.clock.now()
    shown["is_locked"] = locked
    shown["lock_created_at"] = rfc3339(member["_lock_created_at"]) if locked else None
    shown["lock_expires_at"] = rfc3339(expires_at) if locked else None
    return shown


def payload(ctx: Context, org: Record, member: Record) -> Record:
    """The member_id, member and organization fields that most responses carry."""
    return {"member_id": member["member_id"], "member": public(ctx, member), "organization": org}


def save(ctx: Context, member: Record) -> None:
    member["updated_at"] = rfc3339(ctx.clock.now())
    ctx.store.put(
        KIND,
        member["member_id"],
        member,
        organization_id=member["organization_id"],
        member_id=member["member_id"],
        lookup=_lookup(member["email_address"]),
        created=ctx.clock.now(),
    )


_SETTABLE = (
    "name", "trusted_metadata", "untrusted_metadata", "is_breakglass", "mfa_enrolled",
    "default_mfa_method", "email_address", "external_id",
)


def apply_fields(member: Record, changes: dict[str, Any]) -> None:
    changes = {k: v for k, v in changes.items() if v is not None}
    if "mfa_phone_number" in changes:
        # Set by an administrator: usable for MFA, verified once a code sent to it succeeds.
        member["mfa_phone_number"] = validation.phone_number(changes["mfa_phone_number"])
        member["mfa_phone_number_verified"] = False
    for field in _SETTABLE:
        if field in changes:
            member[field] = changes[field]


def _fix_default(member: Record) -> None:
    if member["default_mfa_method"] and member["default_mfa_method"] not in active_mfa_methods(member):
        remaining = active_mfa_methods(member)
        member["default_mfa_method"] = remaining[0] if remaining else ""
