"""What the pages need of the project and its organizations, set up through the backend (the
SDK with the secret) and, on the emulator, its dashboard settings: the organizations the pages
log into, the pages' URLs as magic-link redirect URLs, and the pages' origin as one that may
call the frontend SDK.

On a real Stytch project the last two are dashboard settings (Redirect URLs; Frontend SDKs ->
Authorized applications); on the emulator they are project settings (PATCH /emulator/v1/project).
"""

from __future__ import annotations

from dataclasses import dataclass

import stytch
from stytch.b2b.models.organizations import Organization

from emulator import EmulatorControl
from helpers import fixtures

# Any address at this domain may sign up by magic link (email JIT provisioning), so each new
# address is a member who has never enrolled in MFA: a first-time enrollment every time.
EMAIL_DOMAIN = "example.com"
PAGES = ("first-time-enrollment.html", "returning-login.html", "optional-enrollment.html")


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    mfa_policy: str


REQUIRED = OrgSpec("acme-frontend-required", "Acme frontend (MFA required)", "REQUIRED_FOR_ALL")
OPTIONAL = OrgSpec("acme-frontend-optional", "Acme frontend (MFA optional)", "OPTIONAL")


def organizations(client: stytch.B2BClient) -> dict[str, Organization]:
    """The two organizations the pages log into (got or created by slug, settings applied)."""
    return {
        spec.slug: fixtures.organization(
            client, spec.slug, spec.name, mfa_policy=spec.mfa_policy, mfa_methods="ALL_ALLOWED",
            email_jit_provisioning="RESTRICTED", email_allowed_domains=[EMAIL_DOMAIN],
        )
        for spec in (REQUIRED, OPTIONAL)
    }


def page_urls(origin: str) -> list[str]:
    return [f"{origin}/{page}" for page in PAGES]


def register_pages(control: EmulatorControl, origins: list[str]) -> dict:
    """Emulator only: the pages at each origin become Login and Sign-up redirect URLs, and each
    origin may call the frontend SDK. What is there already stays. Returns the settings."""
    settings = control.project()
    known = {entry["url"] for entry in settings["redirect_urls"]}
    added = [{"url": url, "valid_types": [{"type": "LOGIN"}, {"type": "SIGNUP"}]}
             for origin in origins for url in page_urls(origin) if url not in known]
    allowed = settings["sdk_allowed_origins"] + [o for o in origins if o not in settings["sdk_allowed_origins"]]
    return control.update_project(redirect_urls=settings["redirect_urls"] + added, sdk_allowed_origins=allowed)
