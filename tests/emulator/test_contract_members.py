"""client.organizations.members through the official SDK."""

from __future__ import annotations

import pytest
import stytch

from emulator_steps import PHONE, Tenant, stytch_error


def test_create_returns_an_active_member_with_empty_mfa(tenant: Tenant) -> None:
    """A new member is active, not enrolled, and has "" (never null) where it has no factor."""
    response = tenant.client.organizations.members.create(
        organization_id=tenant.organization_id, email_address="grace@acme.test", name="Grace",
        untrusted_metadata={"team": "compilers"},
    )
    member = response.member
    assert response.member_id == member.member_id
    assert member.member_id.startswith("member-test-")
    assert (member.email_address, member.name, member.status) == ("grace@acme.test", "Grace", "active")
    assert (member.mfa_enrolled, member.mfa_phone_number, member.totp_registration_id) == (False, "", "")
    assert (member.default_mfa_method, member.member_password_id, member.is_breakglass) == ("", "", False)
    assert [r.role_id for r in member.roles] == ["stytch_member"]
    assert member.untrusted_metadata == {"team": "compilers"}
    assert response.organization.organization_id == tenant.organization_id


def test_create_as_pending_with_a_phone(tenant: Tenant) -> None:
    """create_member_as_pending gives a pending member; an admin-set phone starts unverified."""
    member = tenant.client.organizations.members.create(
        organization_id=tenant.organization_id, email_address="linus@acme.test",
        create_member_as_pending=True, mfa_phone_number=PHONE, mfa_enrolled=True,
    ).member
    assert (member.status, member.mfa_phone_number, member.mfa_phone_number_verified) == ("pending", PHONE, False)
    assert member.mfa_enrolled is True


@pytest.mark.parametrize("by", ["member_id", "email_address"])
def test_get_by_id_or_email(tenant: Tenant, by: str) -> None:
    """members.get finds the member by member_id and by email_address."""
    key = {"member_id": tenant.member_id, "email_address": tenant.email}[by]
    response = tenant.client.organizations.members.get(organization_id=tenant.organization_id, **{by: key})
    assert (response.member_id, response.member.email_address) == (tenant.member_id, tenant.email)
    assert response.organization.organization_slug == "acme"


def test_update_changes_and_persists_fields(tenant: Tenant) -> None:
    """Update returns the changed member, and a later get sees the change."""
    updated = tenant.client.organizations.members.update(
        **tenant.ids, name="Ada Lovelace", mfa_enrolled=True, mfa_phone_number=PHONE,
        trusted_metadata={"level": 3},
    ).member
    assert (updated.name, updated.mfa_enrolled, updated.mfa_phone_number) == ("Ada Lovelace", True, PHONE)
    again = tenant.client.organizations.members.get(**tenant.ids).member
    assert (again.name, again.trusted_metadata) == ("Ada Lovelace", {"level": 3})


def test_update_default_mfa_method(tenant: Tenant) -> None:
    """default_mfa_method can name only a factor the member has completed."""
    session_token = tenant.enroll_sms().session_token
    with stytch_error("default_mfa_member_missing_factor"):
        tenant.client.organizations.members.update(**tenant.ids, default_mfa_method="totp")
    created = tenant.client.totps.create(**tenant.ids, session_token=session_token)
    done = tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(created.secret),
                                            session_token=session_token)
    assert done.member.default_mfa_method == "sms_otp"
    member = tenant.client.organizations.members.update(**tenant.ids, default_mfa_method="totp").member
    assert member.default_mfa_method == "totp"


def test_delete_removes_the_member_and_its_sessions(tenant: Tenant) -> None:
    """Delete answers with the member ID; the member and its sessions are then gone."""
    session_token = tenant.enroll_sms().session_token
    assert tenant.client.organizations.members.delete(**tenant.ids).member_id == tenant.member_id
    with stytch_error("member_not_found"):
        tenant.client.organizations.members.get(**tenant.ids)
    with stytch_error("session_not_found"):
        tenant.client.sessions.authenticate(session_token=session_token)


def test_delete_mfa_phone_number(tenant: Tenant) -> None:
    """Deleting the phone clears it and its default; the member keeps mfa_enrolled."""
    tenant.enroll_sms()
    response = tenant.client.organizations.members.delete_mfa_phone_number(**tenant.ids)
    member = response.member
    assert response.member_id == tenant.member_id
    assert (member.mfa_phone_number, member.mfa_phone_number_verified, member.default_mfa_method) == ("", False, "")
    assert member.mfa_enrolled is True


def test_delete_totp_allows_a_new_registration(tenant: Tenant) -> None:
    """Deleting the TOTP clears totp_registration_id, and a new registration can start."""
    created, _ = tenant.enroll_totp()
    member = tenant.client.organizations.members.delete_totp(**tenant.ids).member
    assert (member.totp_registration_id, member.default_mfa_method) == ("", "")
    again = tenant.client.totps.create(**tenant.ids)
    assert again.totp_registration_id not in ("", created.totp_registration_id)


def test_search_members(tenant: Tenant, client: stytch.B2BClient) -> None:
    """Search filters members across organizations and returns their organizations by ID."""
    client.organizations.members.create(organization_id=tenant.organization_id, email_address="grace@acme.test")
    client.organizations.members.update(**tenant.ids, mfa_phone_number=PHONE)
    everyone = client.organizations.members.search(organization_ids=[tenant.organization_id])
    assert [m.email_address for m in everyone.members] == ["ada@acme.test", "grace@acme.test"]
    assert everyone.results_metadata.total == 2
    assert list(everyone.organizations) == [tenant.organization_id]
    by_phone = client.organizations.members.search(
        organization_ids=[tenant.organization_id],
        query={"operator": "AND", "operands": [{"filter_name": "member_mfa_phone_numbers", "filter_value": [PHONE]}]},
    )
    assert [m.member_id for m in by_phone.members] == [tenant.member_id]
