"""client.organizations through the official SDK: create, get, update, delete, search."""

from __future__ import annotations

from typing import Any

import pytest
import stytch

from emulator_steps import Tenant, stytch_error


def create_acme(client: stytch.B2BClient) -> str:
    return client.organizations.create(organization_name="Acme", organization_slug="acme").organization.organization_id


def where(filter_name: str, filter_value: Any) -> dict[str, Any]:
    return {"operator": "AND", "operands": [{"filter_name": filter_name, "filter_value": filter_value}]}


def test_create_returns_the_full_organization(client: stytch.B2BClient) -> None:
    """Create echoes the settings sent and fills every other field with Stytch's defaults."""
    response = client.organizations.create(
        organization_name="Acme", organization_slug="acme", mfa_policy="REQUIRED_FOR_ALL",
        mfa_methods="RESTRICTED", allowed_mfa_methods=["totp"], trusted_metadata={"tier": "gold"},
    )
    org = response.organization
    assert response.status_code == 200
    assert response.request_id.startswith("request-id-test-")
    assert org.organization_id.startswith("organization-test-")
    assert (org.organization_name, org.organization_slug) == ("Acme", "acme")
    assert (org.mfa_policy, org.mfa_methods, org.allowed_mfa_methods) == ("REQUIRED_FOR_ALL", "RESTRICTED", ["totp"])
    assert org.trusted_metadata == {"tier": "gold"}
    assert (org.auth_methods, org.allowed_auth_methods, org.custom_roles) == ("ALL_ALLOWED", [], [])
    assert org.email_invites == "NOT_ALLOWED"  # Stytch's quirk: auth settings were sent without it


def test_create_with_no_settings_allows_email_invites(client: stytch.B2BClient) -> None:
    """With no auth settings sent, email_invites defaults to ALL_ALLOWED and MFA is optional."""
    org = client.organizations.create(organization_name="Plain", organization_slug="plain").organization
    assert (org.email_invites, org.mfa_policy, org.mfa_methods) == ("ALL_ALLOWED", "OPTIONAL", "ALL_ALLOWED")


@pytest.mark.parametrize("key", ["organization_id", "organization_slug"])
def test_get_by_id_or_slug(client: stytch.B2BClient, key: str) -> None:
    """organizations.get finds the organization by its ID and by its slug."""
    created = client.organizations.create(organization_name="Acme", organization_slug="acme").organization
    found = client.organizations.get(organization_id=getattr(created, key)).organization
    assert found.organization_id == created.organization_id
    assert found.organization_slug == "acme"


def test_update_changes_and_persists_settings(client: stytch.B2BClient) -> None:
    """Update returns the new settings, and a later get sees them."""
    org_id = create_acme(client)
    updated = client.organizations.update(
        organization_id=org_id, organization_name="Acme Corp", organization_slug="acme-corp",
        mfa_policy="REQUIRED_FOR_ALL", mfa_methods="RESTRICTED", allowed_mfa_methods=["sms_otp"],
    ).organization
    assert (updated.organization_name, updated.organization_slug) == ("Acme Corp", "acme-corp")
    again = client.organizations.get(organization_id="acme-corp").organization
    assert (again.organization_id, again.mfa_policy) == (org_id, "REQUIRED_FOR_ALL")
    assert again.allowed_mfa_methods == ["sms_otp"]
    with stytch_error("organization_not_found"):
        client.organizations.get(organization_id="acme")


def test_delete_removes_the_organization_its_members_and_sessions(optional_tenant: Tenant) -> None:
    """Delete answers with the ID; the organization, its members and their sessions are then gone."""
    client, org_id = optional_tenant.client, optional_tenant.organization_id
    login = optional_tenant.magic_link()
    assert client.organizations.delete(organization_id=org_id).organization_id == org_id
    with stytch_error("organization_not_found"):
        client.organizations.get(organization_id=org_id)
    with stytch_error("organization_not_found"):
        client.organizations.members.get(**optional_tenant.ids)
    with stytch_error("session_not_found"):
        client.sessions.authenticate(session_token=login.session_token)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (None, ["alpha", "beta", "gamma"]),
        (where("organization_slugs", ["beta"]), ["beta"]),
        (where("organization_name_fuzzy", "amm"), ["gamma"]),
        (where("member_emails", ["ada@alpha.test"]), ["alpha"]),
        ({"operator": "OR", "operands": [
            {"filter_name": "organization_slugs", "filter_value": ["alpha"]},
            {"filter_name": "organization_slug_fuzzy", "filter_value": "gam"},
        ]}, ["alpha", "gamma"]),
    ],
)
def test_search_filters(client: stytch.B2BClient, query: dict[str, Any] | None, expected: list[str]) -> None:
    """Search applies the query's filters and reports the total."""
    for slug in ("alpha", "beta", "gamma"):
        client.organizations.create(organization_name=slug.title(), organization_slug=slug)
    client.organizations.members.create(organization_id="alpha", email_address="ada@alpha.test")
    response = client.organizations.search(query=query)
    assert [o.organization_slug for o in response.organizations] == expected
    assert response.results_metadata.total == len(expected)
    assert response.results_metadata.next_cursor is None


def test_search_pages_with_a_cursor(client: stytch.B2BClient) -> None:
    """A limit splits the results; next_cursor fetches the rest."""
    for slug in ("alpha", "beta", "gamma"):
        client.organizations.create(organization_name=slug.title(), organization_slug=slug)
    first = client.organizations.search(limit=2)
    assert [o.organization_slug for o in first.organizations] == ["alpha", "beta"]
    assert (first.results_metadata.total, first.results_metadata.next_cursor) == (3, "2")
    second = client.organizations.search(limit=2, cursor=first.results_metadata.next_cursor)
    assert [o.organization_slug for o in second.organizations] == ["gamma"]
    assert second.results_metadata.next_cursor is None
