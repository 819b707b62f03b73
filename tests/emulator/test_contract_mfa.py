"""MFA routes through the official SDK: otps.sms, totps and recovery_codes."""

from __future__ import annotations

import base64
import dataclasses
import re

import pyotp

from emulator_steps import PHONE, Tenant, factor_types, stytch_error

RECOVERY_CODE = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$")


def test_sms_send_links_the_phone_and_texts_a_code(tenant: Tenant) -> None:
    """The first send links an unverified phone and puts a 6-digit code in the outbox."""
    sent = tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=tenant.ist())
    assert sent.member_id == tenant.member_id
    assert (sent.member.mfa_phone_number, sent.member.mfa_phone_number_verified) == (PHONE, False)
    message = tenant.control.latest_message(PHONE, "sms")
    assert re.fullmatch(r"\d{6}", message["code"])
    assert message["code"] in message["body"]


def test_sms_authenticate_turns_the_ist_into_a_session(tenant: Tenant) -> None:
    """The right code verifies the phone, enrolls the member and returns a two-factor session."""
    done = tenant.enroll_sms()
    assert (done.member.mfa_phone_number_verified, done.member.mfa_enrolled) == (True, True)
    assert done.member.default_mfa_method == "sms_otp"
    assert factor_types(done.member_session) == ["magic_link", "otp"]
    sms = done.member_session.authentication_factors[1]
    assert (sms.delivery_method.value, sms.phone_number_factor.phone_number) == ("sms", PHONE)
    assert done.session_token and done.session_jwt.count(".") == 2
    assert done.member_session.member_id == tenant.member_id


def test_a_new_sms_code_replaces_the_old_one(tenant: Tenant) -> None:
    """Only the newest code works: a re-send invalidates the previous one."""
    ist = tenant.ist()
    tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    old = tenant.sms_code()
    tenant.client.otps.sms.send(**tenant.ids, intermediate_session_token=ist)
    new = tenant.sms_code()
    if old != new:  # two random 6-digit codes may coincide
        with stytch_error("otp_code_not_found"):
            tenant.client.otps.sms.authenticate(**tenant.ids, code=old, intermediate_session_token=ist)
    done = tenant.client.otps.sms.authenticate(**tenant.ids, code=new, intermediate_session_token=ist)
    assert factor_types(done.member_session) == ["magic_link", "otp"]


def test_an_sms_code_works_once(optional_tenant: Tenant) -> None:
    """A code that has been used is refused the second time, even with a valid session."""
    t = optional_tenant
    login = t.magic_link()
    t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, session_token=login.session_token)
    code = t.sms_code()
    t.client.otps.sms.authenticate(**t.ids, code=code, session_token=login.session_token)
    with stytch_error("unable_to_auth_otp_code"):
        t.client.otps.sms.authenticate(**t.ids, code=code, session_token=login.session_token)


def test_another_members_session_is_no_proof(tenant: Tenant) -> None:
    """MFA calls refuse a session that belongs to a different member."""
    tenant.client.organizations.update(organization_id=tenant.organization_id, mfa_policy="OPTIONAL")
    eve_id = tenant.client.organizations.members.create(organization_id=tenant.organization_id,
                                                        email_address="eve@acme.test").member_id
    eve = dataclasses.replace(tenant, member_id=eve_id, email="eve@acme.test").magic_link()
    with stytch_error("session_not_found"):
        tenant.client.totps.create(**tenant.ids, session_token=eve.session_token)


def test_totp_create_returns_a_pending_registration(tenant: Tenant) -> None:
    """Create returns a base32 secret, a PNG QR code and ten recovery codes; nothing is active yet."""
    created = tenant.client.totps.create(**tenant.ids, intermediate_session_token=tenant.ist())
    assert created.totp_registration_id.startswith("member-totp-test-")
    assert re.fullmatch(r"[A-Z2-7]{32}", created.secret)
    prefix, _, png = created.qr_code.partition(",")
    assert prefix == "data:image/png;base64"
    assert base64.b64decode(png).startswith(b"\x89PNG\r\n")
    assert len(created.recovery_codes) == 10 and all(RECOVERY_CODE.match(c) for c in created.recovery_codes)
    assert len(set(created.recovery_codes)) == 10
    assert created.member.totp_registration_id == ""


def test_totp_authenticate_activates_the_registration(tenant: Tenant) -> None:
    """The current code activates the TOTP and returns a session holding the app factor."""
    created, done = tenant.enroll_totp()
    assert (done.member.totp_registration_id, done.member.default_mfa_method) == (created.totp_registration_id, "totp")
    assert done.member.mfa_enrolled is True
    assert factor_types(done.member_session) == ["magic_link", "totp"]
    factor = done.member_session.authentication_factors[1]
    assert (factor.delivery_method.value, factor.authenticator_app_factor.totp_id) == (
        "authenticator_app", created.totp_registration_id)


def test_totp_tolerates_one_step_of_drift(tenant: Tenant) -> None:
    """The previous window's code is accepted; codes two windows away either side are not."""
    tenant.control.advance_clock(31 - tenant.control.now() % 30)  # 1 s into a window: no boundary mid-test
    ist = tenant.ist()
    totp = pyotp.TOTP(tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist).secret)
    now = tenant.control.now()
    for drift in (-60, 60):
        with stytch_error("unable_to_authenticate_totp"):
            tenant.client.totps.authenticate(**tenant.ids, code=totp.at(now + drift), intermediate_session_token=ist)
    done = tenant.client.totps.authenticate(**tenant.ids, code=totp.at(now - 30), intermediate_session_token=ist)
    assert factor_types(done.member_session) == ["magic_link", "totp"]


def test_recovery_codes_get_recover_and_rotate(tenant: Tenant) -> None:
    """get lists unused codes; recover spends one into a session; rotate replaces them all."""
    created, _ = tenant.enroll_totp()
    listed = tenant.client.recovery_codes.get(**tenant.ids)
    assert listed.recovery_codes == created.recovery_codes

    recovered = tenant.client.recovery_codes.recover(
        **tenant.ids, recovery_code=created.recovery_codes[0], intermediate_session_token=tenant.ist()
    )
    assert recovered.recovery_codes_remaining == 9
    assert factor_types(recovered.member_session) == ["magic_link", "recovery_codes"]
    factor = recovered.member_session.authentication_factors[1]
    assert factor.delivery_method.value == "recovery_code"
    assert factor.recovery_code_factor.totp_recovery_code_id.startswith("totp-recovery-code-test-")
    assert tenant.client.recovery_codes.get(**tenant.ids).recovery_codes == created.recovery_codes[1:]

    rotated = tenant.client.recovery_codes.rotate(**tenant.ids).recovery_codes
    assert len(rotated) == 10 and not set(rotated) & set(created.recovery_codes)
    assert tenant.client.recovery_codes.get(**tenant.ids).recovery_codes == rotated
    with stytch_error("unable_to_authenticate_recovery_code"):
        tenant.client.recovery_codes.recover(
            **tenant.ids, recovery_code=created.recovery_codes[1], intermediate_session_token=tenant.ist()
        )
