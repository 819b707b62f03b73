"""Primary authentication through the official SDK: passwords (migrate, authenticate) and
email magic links (login_or_signup, authenticate)."""

from __future__ import annotations

import hashlib
from typing import Callable
from urllib.parse import parse_qs, urlparse

import bcrypt
import pytest

from emulator_steps import PHONE, Tenant, factor_types, stytch_error

PASSWORD = "correct horse battery staple"
HASHES = {
    "bcrypt": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode(),
    "sha_1": hashlib.sha1(PASSWORD.encode()).hexdigest(),
}


@pytest.mark.parametrize("hash_type", sorted(HASHES))
def test_migrate_creates_a_member_that_can_log_in(optional_tenant: Tenant, hash_type: str) -> None:
    """A migrated hash creates the member; the original password then logs in, others don't."""
    client = optional_tenant.client
    migrated = client.passwords.migrate(
        organization_id=optional_tenant.organization_id, email_address="new@optco.test",
        hash=HASHES[hash_type], hash_type=hash_type, name="New",
    )
    assert migrated.member_created is True
    assert migrated.member.member_password_id.startswith("member-password-test-")
    assert (migrated.member.name, migrated.member.email_address_verified) == ("New", True)

    login = client.passwords.authenticate(
        organization_id=optional_tenant.organization_id, email_address="new@optco.test", password=PASSWORD
    )
    assert (login.member_authenticated, login.member_id) == (True, migrated.member_id)
    assert login.intermediate_session_token == ""
    assert factor_types(login.member_session) == ["password"]
    assert login.mfa_required is None
    with stytch_error("unauthorized_credentials"):
        client.passwords.authenticate(
            organization_id=optional_tenant.organization_id, email_address="new@optco.test", password="wrong"
        )


def test_migrate_onto_an_existing_member_with_a_verified_phone(tenant: Tenant) -> None:
    """Migrating onto an existing member keeps it (member_created false) and can verify a phone."""
    migrated = tenant.client.passwords.migrate(
        organization_id=tenant.organization_id, email_address=tenant.email, hash=HASHES["sha_1"],
        hash_type="sha_1", mfa_phone_number=PHONE, set_phone_number_verified=True,
    )
    assert (migrated.member_created, migrated.member_id) == (False, tenant.member_id)
    assert (migrated.member.mfa_phone_number, migrated.member.mfa_phone_number_verified) == (PHONE, True)


def test_password_login_when_mfa_is_required(tenant: Tenant) -> None:
    """Under REQUIRED_FOR_ALL a password gives an IST, empty tokens and mfa_required."""
    tenant.client.passwords.migrate(organization_id=tenant.organization_id, email_address=tenant.email,
                                    hash=HASHES["bcrypt"], hash_type="bcrypt")
    login = tenant.client.passwords.authenticate(
        organization_id=tenant.organization_id, email_address=tenant.email, password=PASSWORD
    )
    assert (login.member_authenticated, login.session_token, login.session_jwt) == (False, "", "")
    assert login.member_session is None and login.primary_required is None
    assert len(login.intermediate_session_token) == 44
    assert login.mfa_required.secondary_auth_initiated is None
    assert login.organization_id == tenant.organization_id


def test_login_or_signup_emails_a_login_link(tenant: Tenant) -> None:
    """An active member gets a login link carrying the token, to the (registered) redirect URL given."""
    tenant.control.update_project(redirect_urls=[
        {"url": "http://localhost:9999/after-login", "valid_types": [{"type": "LOGIN", "is_default": False}]},
    ])
    response = tenant.client.magic_links.email.login_or_signup(
        organization_id=tenant.organization_id, email_address=tenant.email,
        login_redirect_url="http://localhost:9999/after-login",
    )
    assert (response.member_created, response.member_id, response.member.status) == (False, tenant.member_id, "active")
    email = tenant.control.latest_message(tenant.email, "email")
    link = urlparse(email["url"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == "http://localhost:9999/after-login"
    assert parse_qs(link.query) == {"stytch_token_type": ["multi_tenant_magic_links"], "token": [email["token"]]}


def test_magic_link_signup_activates_a_new_member(make_tenant: Callable[..., Tenant]) -> None:
    """With email JIT provisioning for the domain, a new email signs up pending and turns active."""
    tenant = make_tenant(email_jit_provisioning="RESTRICTED", email_allowed_domains=["acme.test"])
    signup = tenant.client.magic_links.email.login_or_signup(
        organization_id=tenant.organization_id, email_address="newbie@acme.test"
    )
    assert (signup.member_created, signup.member.status) == (True, "pending")
    token = tenant.control.latest_message("newbie@acme.test", "email")["token"]
    done = tenant.client.magic_links.authenticate(magic_links_token=token)
    assert (done.member_id, done.member.status) == (signup.member_id, "active")
    assert done.member.email_address_verified is True


def test_magic_link_authenticate_starts_a_session(optional_tenant: Tenant) -> None:
    """Redeeming a link in an OPTIONAL organization logs in, with an email factor and method_id."""
    done = optional_tenant.magic_link(session_duration_minutes=30, session_custom_claims={"plan": "pro"})
    assert (done.member_authenticated, done.reset_sessions, done.intermediate_session_token) == (True, False, "")
    assert done.method_id.startswith("member-email-test-")
    factor = done.member_session.authentication_factors[0]
    assert (factor.type.value, factor.delivery_method.value) == ("magic_link", "email")
    assert factor.email_factor.email_address == optional_tenant.email
    assert factor.email_factor.email_id == done.method_id
    session = done.member_session
    assert (session.expires_at - session.started_at).total_seconds() == 30 * 60
    assert session.custom_claims == {"plan": "pro"}
    assert (session.organization_id, session.organization_slug, session.roles) == (
        optional_tenant.organization_id, "optco", ["stytch_member"])
    assert done.session_token and done.session_jwt.count(".") == 2


def test_magic_link_when_mfa_is_required(tenant: Tenant) -> None:
    """Under REQUIRED_FOR_ALL a never-enrolled member gets an IST and no member_options."""
    primary = tenant.magic_link()
    assert (primary.member_authenticated, primary.session_token, primary.session_jwt) == (False, "", "")
    assert primary.member_session is None
    assert primary.mfa_required.member_options is None
    assert primary.mfa_required.secondary_auth_initiated is None


def test_a_second_primary_factor_keeps_the_same_ist(tenant: Tenant) -> None:
    """Passing an IST to another primary factor adds to it: the same IST comes back."""
    tenant.client.passwords.migrate(organization_id=tenant.organization_id, email_address=tenant.email,
                                    hash=HASHES["sha_1"], hash_type="sha_1")
    ist = tenant.ist()
    again = tenant.client.passwords.authenticate(
        organization_id=tenant.organization_id, email_address=tenant.email, password=PASSWORD,
        intermediate_session_token=ist,
    )
    assert (again.member_authenticated, again.intermediate_session_token) == (False, ist)
