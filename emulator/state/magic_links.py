"""Email magic links: a primary factor. The email lands in the emulator's outbox."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from emulator import config
from emulator.errors import StytchAPIError
from emulator.state import Context, locks, members, organizations, outbox, project
from emulator.store import Record

KIND = "magic_link"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_auth_method(org: Record, method: str) -> None:
    if org["auth_methods"] == "RESTRICTED" and method not in org["allowed_auth_methods"]:
        raise StytchAPIError(
            "operation_restricted_by_organization_auth_methods",
            f"This organization does not allow {method} for primary authentication.",
        )


def _minutes(value: int | None) -> int:
    default, low, high = config.MAGIC_LINK_MINUTES
    minutes = default if value is None else value
    if not low <= minutes <= high:
        raise StytchAPIError("invalid_expiration", f"Magic links live between {low} and {high} minutes.")
    return minutes


def login_or_signup(
    ctx: Context,
    organization_id: str,
    email_address: str,
    login_redirect_url: str | None,
    signup_redirect_url: str | None,
    login_expiration_minutes: int | None,
    signup_expiration_minutes: int | None,
) -> tuple[Record, Record, bool]:
    org = organizations.get(ctx, organization_id)
    check_auth_method(org, "magic_link")
    member = members.find_by_email(ctx, org["organization_id"], email_address)
    created = member is None
    if member:
        locks.check_unlocked(ctx, member)
    if created:
        domain = email_address.rsplit("@", 1)[-1].lower()
        if org["email_jit_provisioning"] != "RESTRICTED" or domain not in org["email_allowed_domains"]:
            raise StytchAPIError(
                "email_jit_provisioning_not_allowed",
                f"{email_address!r} is not a member, and this organization does not let new members "
                "sign up by email (email_jit_provisioning). Create the member first.",
            )
        member = members.create(ctx, org["organization_id"], email_address, status="pending")
    signup = member["status"] != "active"
    minutes = _minutes(signup_expiration_minutes if signup else login_expiration_minutes)
    redirect = project.redirect_url(ctx, "SIGNUP" if signup else "LOGIN",
                                    signup_redirect_url if signup else login_redirect_url)
    token = ctx.ids.token()
    now = ctx.clock.now()
    ctx.store.put(KIND, _hash(token),
                  {"member_id": member["member_id"], "expires_at": now + minutes * 60, "used": False},
                  organization_id=org["organization_id"], member_id=member["member_id"], created=now)
    joiner = "&" if "?" in redirect else "?"  # a registered URL may carry its own query
    url = f"{redirect}{joiner}{urlencode({'stytch_token_type': 'multi_tenant_magic_links', 'token': token})}"
    action = "finish signing up for" if signup else "log in to"
    outbox.send(
        ctx, "email", member["email_address"],
        f"Click to {action} {org['organization_name']}: {url}\nThe link expires in {minutes} minutes.",
        subject=f"Your {org['organization_name']} {'sign-up' if signup else 'login'} link",
        token=token, url=url, organization_id=org["organization_id"], member_id=member["member_id"],
    )
    return org, member, created


def redeem(ctx: Context, token: str) -> tuple[Record, Record]:
    """Spend the link's token; the member becomes active with a verified email."""
    record = ctx.store.get(KIND, _hash(token or ""))
    member = ctx.store.get(members.KIND, record["member_id"]) if record else None
    if record is None or member is None:
        raise StytchAPIError("magic_link_not_found", "Magic link not found.")
    if record["used"] or record["expires_at"] <= ctx.clock.now():
        raise StytchAPIError(
            "unable_to_auth_magic_link",
            "This magic link was already used or has expired. Send a new one.",
        )
    record["used"] = True
    ctx.store.put(KIND, _hash(token), record, organization_id=member["organization_id"],
                  member_id=member["member_id"])
    member["status"] = "active"
    member["email_address_verified"] = True
    members.save(ctx, member)
    return organizations.get(ctx, member["organization_id"]), member
