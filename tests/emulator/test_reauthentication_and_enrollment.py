"""Re-authentication with a session, and enrollment where Stytch lets a member recover from
mistakes: a mistyped phone that was never verified, a TOTP registration still pending."""

from __future__ import annotations

import dataclasses
import hashlib

from emulator_steps import OTHER_PHONE, PHONE, Tenant, factor_types, stytch_error

PASSWORD = "hunter22"


def sms_count(tenant: Tenant) -> int:
    return len(tenant.control.messages(channel="sms"))


def test_primary_auth_with_a_session_skips_mfa(tenant: Tenant) -> None:
    """An enrolled member re-authenticates with a password or a magic link while passing their
    session: no MFA step, no SMS, the same session with the new factor added."""
    tenant.client.passwords.migrate(organization_id=tenant.organization_id, email_address=tenant.email,
                                    hash=hashlib.sha1(PASSWORD.encode()).hexdigest(), hash_type="sha_1")
    enrolled = tenant.enroll_sms()
    before = sms_count(tenant)

    again = tenant.client.passwords.authenticate(organization_id=tenant.organization_id, email_address=tenant.email,
                                                 password=PASSWORD, session_token=enrolled.session_token)
    assert (again.member_authenticated, again.intermediate_session_token, again.mfa_required) == (True, "", None)
    assert again.member_session.member_session_id == enrolled.member_session.member_session_id
    assert factor_types(again.member_session) == ["magic_link", "otp", "password"]

    by_link = tenant.magic_link(session_jwt=again.session_jwt)
    assert by_link.member_authenticated is True
    assert by_link.member_session.member_session_id == enrolled.member_session.member_session_id
    assert sms_count(tenant) == before

    without = tenant.client.passwords.authenticate(organization_id=tenant.organization_id,
                                                   email_address=tenant.email, password=PASSWORD)
    assert (without.member_authenticated, without.mfa_required.secondary_auth_initiated) == (False, "sms_otp")


def test_a_session_without_an_mfa_factor_skips_mfa_too(optional_tenant: Tenant) -> None:
    """A session from when MFA was optional (password only) still vouches for the member after
    the organization starts requiring MFA: re-authenticating with it gives a session, no IST."""
    t = optional_tenant
    t.client.passwords.migrate(organization_id=t.organization_id, email_address=t.email,
                               hash=hashlib.sha1(PASSWORD.encode()).hexdigest(), hash_type="sha_1")
    old = t.client.passwords.authenticate(organization_id=t.organization_id, email_address=t.email,
                                          password=PASSWORD)
    assert factor_types(old.member_session) == ["password"]
    t.client.organizations.update(organization_id=t.organization_id, mfa_policy="REQUIRED_FOR_ALL")
    assert t.magic_link().member_authenticated is False  # without the session: MFA
    again = t.magic_link(session_token=old.session_token)
    assert (again.member_authenticated, again.mfa_required) == (True, None)
    assert again.member_session.member_session_id == old.member_session.member_session_id
    assert factor_types(again.member_session) == ["password", "magic_link"]


def test_another_members_session_does_not_skip_mfa(tenant: Tenant) -> None:
    other_id = tenant.client.organizations.members.create(organization_id=tenant.organization_id,
                                                          email_address="eve@acme.test").member_id
    eve = dataclasses.replace(tenant, member_id=other_id, email="eve@acme.test").enroll_sms()
    with stytch_error("session_not_found"):
        tenant.magic_link(session_token=eve.session_token)


def test_a_mistyped_unverified_phone_is_replaced_without_an_admin_call(tenant: Tenant) -> None:
    """The member typed the wrong number; with the same IST they send to the right one, which
    replaces it, and its code completes MFA. The code sent to the wrong number is dead."""
    ist = tenant.ist()
    tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=OTHER_PHONE, intermediate_session_token=ist)
    wrong_number_code = tenant.sms_code(OTHER_PHONE)
    sent = tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    assert (sent.member.mfa_phone_number, sent.member.mfa_phone_number_verified) == (PHONE, False)
    if wrong_number_code != tenant.sms_code():  # two random codes may coincide
        with stytch_error("otp_code_not_found"):
            tenant.client.otps.sms.authenticate(**tenant.ids, code=wrong_number_code, intermediate_session_token=ist)
    done = tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(), intermediate_session_token=ist)
    assert (done.member.mfa_phone_number, done.member.mfa_phone_number_verified) == (PHONE, True)

    with stytch_error("duplicate_member_phone_number_for_member"):  # a verified phone stays
        tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=OTHER_PHONE, session_token=done.session_token)


def test_an_unverified_phone_does_not_block_totp_enrollment(tenant: Tenant) -> None:
    """A phone linked but never verified is not an active factor: the member can enroll TOTP
    with the IST that holds only the primary factor."""
    ist = tenant.ist()
    tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    created = tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    done = tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(created.secret),
                                            intermediate_session_token=ist)
    assert factor_types(done.member_session) == ["magic_link", "totp"]
    assert (done.member.mfa_phone_number, done.member.mfa_phone_number_verified) == (PHONE, False)


def test_pending_totp_exists_until_confirmed_expired_or_deleted(tenant: Tenant) -> None:
    """A second totps.create while the first waits for its code is pending_totp_exists; deleting
    the registration (or letting it expire) allows a new one; once confirmed, active_totp_exists."""
    ist = tenant.ist()
    first = tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    with stytch_error("pending_totp_exists"):
        tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    tenant.client.organizations.members.delete_totp(**tenant.ids)
    second = tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    assert second.totp_registration_id != first.totp_registration_id
    tenant.control.advance_clock(3601)  # past its 60-minute expiration (and the IST's 10 minutes)
    fresh_ist = tenant.ist()
    third = tenant.client.totps.create(**tenant.ids, intermediate_session_token=fresh_ist)
    done = tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(third.secret),
                                            intermediate_session_token=fresh_ist)
    with stytch_error("active_totp_exists"):
        tenant.client.totps.create(**tenant.ids, session_token=done.session_token)
