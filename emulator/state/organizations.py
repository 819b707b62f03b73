"""Organizations: their settings, above all the MFA policy the tutorial configures."""

from __future__ import annotations

from typing import Any

from emulator.clock import rfc3339
from emulator.errors import StytchAPIError
from emulator.state import Context, validation
from emulator.store import Record

KIND = "organization"
MFA_POLICIES = ("OPTIONAL", "REQUIRED_FOR_ALL")
METHOD_SETTINGS = ("ALL_ALLOWED", "RESTRICTED")
MFA_METHODS = ("sms_otp", "totp")
AUTH_METHODS = (
    "sso", "magic_link", "email_otp", "password", "google_oauth", "microsoft_oauth",
    "slack_oauth", "github_oauth", "hubspot_oauth",
)
# Fields a caller may set, with their defaults on create (reference §2.1).
SETTABLE_DEFAULTS: dict[str, Any] = {
    "organization_logo_url": "",
    "trusted_metadata": {},
    "sso_jit_provisioning": "ALL_ALLOWED",
    "email_allowed_domains": [],
    "email_jit_provisioning": "NOT_ALLOWED",
    "email_invites": "ALL_ALLOWED",
    "auth_methods": "ALL_ALLOWED",
    "allowed_auth_methods": [],
    "mfa_policy": "OPTIONAL",
    "rbac_email_implicit_role_assignments": [],
    "mfa_methods": "ALL_ALLOWED",
    "allowed_mfa_methods": [],
    "oauth_tenant_jit_provisioning": "NOT_ALLOWED",
    "claimed_email_domains": [],
    "first_party_connected_apps_allowed_type": "ALL_ALLOWED",
    "allowed_first_party_connected_apps": [],
    "third_party_connected_apps_allowed_type": "ALL_ALLOWED",
    "allowed_third_party_connected_apps": [],
    "allowed_oauth_tenants": {},
}
_FIXED = {
    "sso_jit_provisioning_allowed_connections": [],
    "sso_active_connections": [],
    "custom_roles": [],
    "sso_default_connection_id": None,
    "scim_active_connection": None,
}


def create(ctx: Context, name: str, slug: str | None, settings: dict[str, Any]) -> Record:
    if slug is None:
        # The SDK marks the slug optional, the docs call it required: the emulator requires it.
        raise StytchAPIError("invalid_organization_slug", "organization_slug is required.")
    now = rfc3339(ctx.clock.now())
    org: Record = {
        "organization_id": ctx.ids.prefixed("organization"),
        "organization_name": "",
        "organization_slug": "",
        **SETTABLE_DEFAULTS,
        **_FIXED,
        "created_at": now,
        "updated_at": now,
    }
    if settings and "email_invites" not in settings:
        org["email_invites"] = "NOT_ALLOWED"  # Stytch's documented quirk
    _apply(ctx, org, {"organization_name": name, "organization_slug": slug, **settings})
    _save(ctx, org)
    return org


def get(ctx: Context, id_or_slug: str) -> Record:
    org = ctx.store.get(KIND, id_or_slug)
    if org is None:
        by_slug = ctx.store.find(KIND, lookup=id_or_slug)
        org = by_slug[0] if by_slug else None
    if org is None:
        raise StytchAPIError("organization_not_found", f"No organization found for {id_or_slug!r}.")
    return org


def update(ctx: Context, id_or_slug: str, changes: dict[str, Any]) -> Record:
    org = get(ctx, id_or_slug)
    _apply(ctx, org, changes)
    org["updated_at"] = rfc3339(ctx.clock.now())
    _save(ctx, org)
    return org


def delete(ctx: Context, id_or_slug: str) -> str:
    org = get(ctx, id_or_slug)
    ctx.store.delete_where(organization_id=org["organization_id"])
    return org["organization_id"]


def all_organizations(ctx: Context) -> list[Record]:
    return ctx.store.find(KIND)


def mfa_method_allowed(org: Record, method: str) -> bool:
    return org["mfa_methods"] != "RESTRICTED" or method in org["allowed_mfa_methods"]


def _apply(ctx: Context, org: Record, changes: dict[str, Any]) -> None:
    """Validate and set changes; on any error nothing is saved."""
    changes = {k: v for k, v in changes.items() if v is not None}
    if "organization_name" in changes:
        name = changes["organization_name"]
        if not name:
            raise StytchAPIError("organization_name_missing", "organization_name is required.")
        if len(name) > 128:
            raise StytchAPIError("invalid_organization_name", "organization_name is too long (128 max).")
    if "organization_slug" in changes:
        slug = validation.slug(changes["organization_slug"])
        if any(o["organization_id"] != org["organization_id"] for o in ctx.store.find(KIND, lookup=slug)):
            raise StytchAPIError(
                "organization_slug_already_used",
                f"The slug {slug!r} is already used by another organization.",
            )
    if "mfa_policy" in changes:
        validation.choice("invalid_organization_mfa_policy", "mfa_policy", changes["mfa_policy"], MFA_POLICIES)
    for field, error in (
        ("mfa_methods", "invalid_organization_mfa_factor_setting"),
        ("auth_methods", "invalid_organization_auth_method_settings"),
    ):
        if field in changes:
            validation.choice(error, field, changes[field], METHOD_SETTINGS)
    for field, allowed, error in (
        ("allowed_mfa_methods", MFA_METHODS, "invalid_organization_allowed_mfa_methods"),
        ("allowed_auth_methods", AUTH_METHODS, "invalid_organization_allowed_auth_methods"),
    ):
        for method in changes.get(field, []):
            validation.choice(error, field, method, allowed)
    merged = {**org, **changes}
    if merged["mfa_methods"] == "RESTRICTED" and not merged["allowed_mfa_methods"]:
        raise StytchAPIError(
            "allowed_mfa_methods_required_for_restricted",
            "mfa_methods is RESTRICTED, so allowed_mfa_methods must list at least one method "
            "(sms_otp, totp).",
        )
    if merged["auth_methods"] == "RESTRICTED" and not merged["allowed_auth_methods"]:
        raise StytchAPIError(
            "allowed_auth_methods_required_for_restricted",
            "auth_methods is RESTRICTED, so allowed_auth_methods must list at least one method.",
        )
    org.update(changes)


def _save(ctx: Context, org: Record) -> None:
    ctx.store.put(
        KIND,
        org["organization_id"],
        org,
        organization_id=org["organization_id"],
        lookup=org["organization_slug"],
        created=ctx.clock.now(),
    )
