"""Tenants for the emulator tests: organizations with one member, made through the SDK."""

from __future__ import annotations

from typing import Any, Callable

import pytest
import stytch

from emulator import EmulatorControl
from emulator_steps import Tenant


@pytest.fixture
def make_tenant(client: stytch.B2BClient, control: EmulatorControl) -> Callable[..., Tenant]:
    """Create an organization (REQUIRED_FOR_ALL unless told otherwise) and one active member."""

    def make(slug: str = "acme", email: str = "ada@acme.test", **settings: Any) -> Tenant:
        settings.setdefault("mfa_policy", "REQUIRED_FOR_ALL")
        org = client.organizations.create(
            organization_name=slug.title(), organization_slug=slug, **settings
        ).organization
        member = client.organizations.members.create(
            organization_id=org.organization_id, email_address=email
        ).member
        return Tenant(client, control, org.organization_id, member.member_id, email)

    return make


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    """An organization that requires MFA of everyone, with one member not yet enrolled."""
    return make_tenant()


@pytest.fixture
def optional_tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    """An organization where MFA is optional, with one member not enrolled."""
    return make_tenant(slug="optco", email="opt@optco.test", mfa_policy="OPTIONAL")
