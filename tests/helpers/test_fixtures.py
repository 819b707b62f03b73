"""Fixtures get or create what a notebook needs, whatever state the backend is in."""

from __future__ import annotations

import pytest

from emulator import EmulatorControl
from helpers import fixtures
from helpers.client import get_client

RETURNING = "returning@acme-workbook.example"


@pytest.fixture
def client(emulator_backend: EmulatorControl):
    return get_client()


def test_organization_is_created_once_and_settings_applied(client) -> None:
    first = fixtures.organization(client, "acme-fixture", "Acme fixture")
    again = fixtures.organization(client, "acme-fixture", "Acme fixture", mfa_policy="REQUIRED_FOR_ALL",
                                  mfa_methods="RESTRICTED", allowed_mfa_methods=["totp"])
    assert again.organization_id == first.organization_id
    assert (again.mfa_policy, again.mfa_methods, again.allowed_mfa_methods) == ("REQUIRED_FOR_ALL", "RESTRICTED", ["totp"])


def test_organization_does_not_depend_on_who_created_it(client) -> None:
    with_settings = fixtures.organization(client, "made-with-settings", "A", mfa_policy="REQUIRED_FOR_ALL")
    bare = fixtures.organization(client, "made-bare", "B")
    assert with_settings.email_invites == bare.email_invites == "ALL_ALLOWED"


def test_member_is_reused_or_recreated_fresh(client) -> None:
    org = fixtures.organization(client, "acme-fixture", "Acme fixture")
    first = fixtures.member(client, org.organization_id, "ada@acme-workbook.example")
    assert fixtures.member(client, org.organization_id, "ada@acme-workbook.example").member_id == first.member_id
    fresh = fixtures.member(client, org.organization_id, "ada@acme-workbook.example", fresh=True)
    assert fresh.member_id != first.member_id


def test_give_password_lets_the_member_log_in(client) -> None:
    org = fixtures.organization(client, "acme-fixture", "Acme fixture")
    fixtures.give_password(client, org.organization_id, "pw@acme-workbook.example", "a long password 123")
    login = client.passwords.authenticate(organization_id=org.organization_id,
                                          email_address="pw@acme-workbook.example", password="a long password 123")
    assert login.member_authenticated  # OPTIONAL policy, not enrolled: one factor is enough


def test_enrolled_member_by_sms_gets_the_code_at_login(client, emulator_backend: EmulatorControl) -> None:
    org = fixtures.organization(client, fixtures.ORG_SLUG_REQUIRED, fixtures.ORG_NAME_REQUIRED, mfa_policy="REQUIRED_FOR_ALL")
    member, secret = fixtures.enrolled_member(client, org.organization_id, RETURNING, "sms_otp",
                                              phone_number=fixtures.PHONE_NUMBER)
    assert secret is None and member.mfa_enrolled and member.mfa_phone_number == fixtures.PHONE_NUMBER
    login = client.passwords.authenticate(organization_id=org.organization_id,
                                          email_address=RETURNING, password=fixtures.PASSWORD)
    assert login.mfa_required.secondary_auth_initiated == "sms_otp"


@pytest.mark.parametrize("policy", ["REQUIRED_FOR_ALL", "OPTIONAL"])
def test_enrolled_member_by_totp_needs_mfa_at_login(client, policy: str) -> None:
    org = fixtures.organization(client, f"totp-{policy.lower()}", "TOTP", mfa_policy=policy)
    member, secret = fixtures.enrolled_member(client, org.organization_id, RETURNING, "totp")
    assert secret and member.totp_registration_id and member.mfa_enrolled
    login = client.passwords.authenticate(organization_id=org.organization_id,
                                          email_address=RETURNING, password=fixtures.PASSWORD)
    assert not login.member_authenticated and login.mfa_required.member_options.totp_registration_id


def test_enrolled_member_validates_its_arguments(client) -> None:
    org = fixtures.organization(client, "acme-fixture", "Acme fixture")
    with pytest.raises(ValueError, match="phone_number"):
        fixtures.enrolled_member(client, org.organization_id, "x@acme-workbook.example", "sms_otp")
    with pytest.raises(ValueError, match="sms_otp"):
        fixtures.enrolled_member(client, org.organization_id, "x@acme-workbook.example", "email")
