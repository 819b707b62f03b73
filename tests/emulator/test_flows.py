"""End-to-end MFA flows through the official SDK, with the emulator's clock and outbox
standing in for time and for the member's phone and inbox."""

from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path
from typing import Callable

import jwt
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from emulator.server import free_port
from emulator_steps import MASKED_PHONE, PHONE, Tenant, factor_types, stytch_error


def sms_count(control: EmulatorControl) -> int:
    return len(control.messages(channel="sms"))


def test_first_time_sms_enrollment(tenant: Tenant) -> None:
    """Password, then a phone linked and verified by SMS: a two-factor session, the IST spent."""
    tenant.client.passwords.migrate(organization_id=tenant.organization_id, email_address=tenant.email,
                                    hash=hashlib.sha1(b"hunter22").hexdigest(), hash_type="sha_1")
    primary = tenant.client.passwords.authenticate(organization_id=tenant.organization_id,
                                                   email_address=tenant.email, password="hunter22")
    assert (primary.member_authenticated, primary.mfa_required.member_options) == (False, None)
    ist = primary.intermediate_session_token

    tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    done = tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(), intermediate_session_token=ist)
    assert factor_types(done.member_session) == ["password", "otp"]
    assert (done.member.mfa_enrolled, done.member.mfa_phone_number_verified) == (True, True)
    assert tenant.client.sessions.authenticate(session_token=done.session_token).member.mfa_phone_number == PHONE
    with stytch_error("intermediate_session_not_found"):
        tenant.client.otps.sms.send(**tenant.ids, intermediate_session_token=ist)


def test_first_time_totp_enrollment(tenant: Tenant) -> None:
    """A QR secret, then the authenticator's code (by the emulator clock): a session with TOTP."""
    ist = tenant.ist()
    created = tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    done = tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(created.secret),
                                            intermediate_session_token=ist)
    assert factor_types(done.member_session) == ["magic_link", "totp"]
    assert (done.member.totp_registration_id, done.member.default_mfa_method) == (created.totp_registration_id, "totp")
    assert done.member.mfa_enrolled is True
    with stytch_error("intermediate_session_not_found"):
        tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(created.secret),
                                         intermediate_session_token=ist)


def test_returning_member_gets_the_sms_automatically(tenant: Tenant) -> None:
    """After enrollment, primary login itself texts the code; no send call is needed."""
    tenant.enroll_sms()
    before = sms_count(tenant.control)
    primary = tenant.magic_link()
    assert primary.mfa_required.secondary_auth_initiated == "sms_otp"
    assert (primary.mfa_required.member_options.mfa_phone_number,
            primary.mfa_required.member_options.totp_registration_id) == (MASKED_PHONE, "")
    assert sms_count(tenant.control) == before + 1
    done = tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(),
                                               intermediate_session_token=primary.intermediate_session_token)
    assert factor_types(done.member_session) == ["magic_link", "otp"]


def test_returning_totp_member(tenant: Tenant) -> None:
    """Default method totp: no SMS is sent even with a phone on file; each window's code logs in once."""
    created, _ = tenant.enroll_totp()
    tenant.client.organizations.members.update(**tenant.ids, mfa_phone_number=PHONE)
    for _ in range(2):
        tenant.control.advance_clock(30)  # the enrollment (or the last login) spent this window's code
        primary = tenant.magic_link()
        options = primary.mfa_required.member_options
        assert primary.mfa_required.secondary_auth_initiated is None
        assert (options.mfa_phone_number, options.totp_registration_id) == (MASKED_PHONE, created.totp_registration_id)
        done = tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(created.secret),
                                                intermediate_session_token=primary.intermediate_session_token)
        assert factor_types(done.member_session) == ["magic_link", "totp"]
    assert sms_count(tenant.control) == 0


def test_optional_enrollment(optional_tenant: Tenant) -> None:
    """Under OPTIONAL a member logs in without MFA, enrolls with set_mfa_enrollment, and MFA then applies."""
    t = optional_tenant
    login = t.magic_link()
    assert (login.member_authenticated, login.mfa_required) == (True, None)
    t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, session_token=login.session_token)
    done = t.client.otps.sms.authenticate(**t.ids, code=t.sms_code(), session_token=login.session_token,
                                          set_mfa_enrollment="enroll")
    assert done.member.mfa_enrolled is True
    assert done.member_session.member_session_id == login.member_session.member_session_id
    assert factor_types(done.member_session) == ["magic_link", "otp"]
    again = t.magic_link()
    assert (again.member_authenticated, again.mfa_required.secondary_auth_initiated) == (False, "sms_otp")


def test_optional_unenrollment(optional_tenant: Tenant) -> None:
    """set_mfa_enrollment="unenroll" turns MFA off again for that member."""
    t = optional_tenant
    t.client.organizations.members.update(**t.ids, mfa_enrolled=True)
    ist = t.ist()
    t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    done = t.client.otps.sms.authenticate(**t.ids, code=t.sms_code(), intermediate_session_token=ist,
                                          set_mfa_enrollment="unenroll")
    assert done.member.mfa_enrolled is False
    assert t.magic_link().member_authenticated is True


def test_second_method_with_set_default_mfa(tenant: Tenant) -> None:
    """An SMS member adds TOTP from a session; set_default_mfa makes it the default, so no auto SMS."""
    session_token = tenant.enroll_sms().session_token
    created = tenant.client.totps.create(**tenant.ids, session_token=session_token)
    done = tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(created.secret),
                                            session_token=session_token, set_default_mfa=True)
    assert done.member.default_mfa_method == "totp"
    assert factor_types(done.member_session) == ["magic_link", "otp", "totp"]
    before = sms_count(tenant.control)
    primary = tenant.magic_link()
    assert primary.mfa_required.secondary_auth_initiated is None
    assert primary.mfa_required.member_options.totp_registration_id == created.totp_registration_id
    assert sms_count(tenant.control) == before


def test_step_up_without_enrolling(optional_tenant: Tenant) -> None:
    """An SMS factor added to a live session grows its factors but leaves mfa_enrolled false."""
    t = optional_tenant
    login = t.magic_link()
    t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, session_jwt=login.session_jwt)
    done = t.client.otps.sms.authenticate(**t.ids, code=t.sms_code(), session_jwt=login.session_jwt)
    assert done.member.mfa_enrolled is False
    assert done.member_session.member_session_id == login.member_session.member_session_id
    assert factor_types(done.member_session) == ["magic_link", "otp"]
    assert factor_types(t.client.sessions.authenticate(session_token=login.session_token).member_session) == [
        "magic_link", "otp"]
    assert t.magic_link().member_authenticated is True


def test_login_with_a_recovery_code(tenant: Tenant) -> None:
    """A recovery code stands in for the authenticator once; the count drops; reuse is refused."""
    created, _ = tenant.enroll_totp()
    first = tenant.client.recovery_codes.recover(**tenant.ids, recovery_code=created.recovery_codes[0],
                                                 intermediate_session_token=tenant.ist())
    assert first.recovery_codes_remaining == 9
    assert factor_types(first.member_session) == ["magic_link", "recovery_codes"]
    with stytch_error("unable_to_authenticate_recovery_code"):
        tenant.client.recovery_codes.recover(**tenant.ids, recovery_code=created.recovery_codes[0],
                                             intermediate_session_token=tenant.ist())
    second = tenant.client.recovery_codes.recover(**tenant.ids, recovery_code=created.recovery_codes[1].upper(),
                                                  intermediate_session_token=tenant.ist())
    assert second.recovery_codes_remaining == 8


def test_ist_expires_after_ten_minutes(tenant: Tenant) -> None:
    """An IST says when it expires, works at 9 m 50 s and is gone at 10 m 1 s."""
    primary = tenant.magic_link()
    ist = primary.intermediate_session_token
    issued = tenant.control.now()
    assert abs(primary.intermediate_session_token_expires_at.timestamp() - (issued + 600)) <= 2
    tenant.control.advance_clock(590)
    tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    tenant.control.advance_clock(11)
    with stytch_error("intermediate_session_not_found"):
        tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(), intermediate_session_token=ist)


def test_sms_code_expires_after_two_minutes(tenant: Tenant) -> None:
    """A code is refused after 2 minutes; a fresh send gives one that works."""
    ist = tenant.ist()
    tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    tenant.control.advance_clock(121)
    with stytch_error("unable_to_auth_otp_code"):
        tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(), intermediate_session_token=ist)
    tenant.client.otps.sms.send(**tenant.ids, intermediate_session_token=ist)
    done = tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(), intermediate_session_token=ist)
    assert done.member.mfa_enrolled is True


def test_totp_registration_expires(tenant: Tenant) -> None:
    """An unconfirmed TOTP lapses after expiration_minutes; a new registration replaces it."""
    ist = tenant.ist()
    stale = tenant.client.totps.create(**tenant.ids, expiration_minutes=5, intermediate_session_token=ist)
    tenant.control.advance_clock(301)
    with stytch_error("expired_totp"):
        tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(stale.secret),
                                         intermediate_session_token=ist)
    fresh = tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    done = tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(fresh.secret),
                                            intermediate_session_token=ist)
    assert done.member.totp_registration_id == fresh.totp_registration_id != stale.totp_registration_id


def test_a_totp_code_is_accepted_once(tenant: Tenant) -> None:
    """Replaying a TOTP code in the same window is refused; the next window's code works."""
    ist = tenant.ist()
    created = tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    code = tenant.totp_code(created.secret)
    tenant.client.totps.authenticate(**tenant.ids, code=code, intermediate_session_token=ist)
    replay_ist = tenant.ist()
    with stytch_error("totp_code_already_authenticated"):
        tenant.client.totps.authenticate(**tenant.ids, code=code, intermediate_session_token=replay_ist)
    tenant.control.advance_clock(30)
    done = tenant.client.totps.authenticate(**tenant.ids, code=tenant.totp_code(created.secret),
                                            intermediate_session_token=replay_ist)
    assert factor_types(done.member_session) == ["magic_link", "totp"]


def test_restricted_mfa_methods(make_tenant: Callable[..., Tenant]) -> None:
    """RESTRICTED to totp refuses SMS (breakglass members excepted) and still enrolls TOTP."""
    t = make_tenant(mfa_methods="RESTRICTED", allowed_mfa_methods=["totp"])
    with stytch_error("operation_restricted_by_organization_mfa_methods"):
        t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, intermediate_session_token=t.ist())
    _, done = t.enroll_totp()
    assert done.member.default_mfa_method == "totp"
    breakglass = t.client.organizations.members.create(organization_id=t.organization_id,
                                                       email_address="root@acme.test", is_breakglass=True)
    sent = t.client.otps.sms.send(organization_id=t.organization_id, member_id=breakglass.member_id,
                                  mfa_phone_number=PHONE)
    assert sent.member.mfa_phone_number == PHONE


def test_restricted_needs_allowed_methods(client: stytch.B2BClient, control: EmulatorControl) -> None:
    """mfa_methods RESTRICTED without allowed_mfa_methods is refused at create and at update."""
    with stytch_error("allowed_mfa_methods_required_for_restricted"):
        client.organizations.create(organization_name="Acme", organization_slug="acme", mfa_methods="RESTRICTED")
    org = client.organizations.create(organization_name="Acme", organization_slug="acme").organization
    org_id = org.organization_id
    with stytch_error("allowed_mfa_methods_required_for_restricted"):
        client.organizations.update(organization_id=org_id, mfa_methods="RESTRICTED")
    with stytch_error("allowed_mfa_methods_required_for_restricted"):
        client.organizations.update(organization_id=org_id, mfa_methods="RESTRICTED", allowed_mfa_methods=[])
    assert client.organizations.get(organization_id=org_id).organization.mfa_methods == "ALL_ALLOWED"


def test_no_new_method_without_the_existing_one(tenant: Tenant) -> None:
    """Anti-bypass: with SMS enrolled, an IST holding only the primary factor cannot add TOTP."""
    tenant.enroll_sms()
    primary = tenant.magic_link()
    with stytch_error("insufficient_factors"):
        tenant.client.totps.create(**tenant.ids, intermediate_session_token=primary.intermediate_session_token)
    done = tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(),
                                               intermediate_session_token=primary.intermediate_session_token)
    created = tenant.client.totps.create(**tenant.ids, session_token=done.session_token)
    assert created.totp_registration_id.startswith("member-totp-test-")


def test_no_new_phone_without_the_existing_totp(tenant: Tenant) -> None:
    """Anti-bypass the other way: a TOTP member cannot link a phone with a primary-only IST."""
    tenant.enroll_totp()
    with stytch_error("insufficient_factors"):
        tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=tenant.ist())
    member = tenant.client.organizations.members.get(**tenant.ids).member
    assert member.mfa_phone_number == ""


def test_state_survives_a_killed_process(tmp_path: Path) -> None:
    """After SIGKILL and a restart on the same database, data and sessions remain, and an old
    JWT still verifies with the same signing key."""
    port, db = free_port(), tmp_path / "state.sqlite3"
    with EmulatorServer(port=port, db_path=db, log_path=tmp_path / "first.log") as first:
        client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=first.url)
        org = client.organizations.create(organization_name="Durable", organization_slug="durable",
                                          mfa_policy="OPTIONAL").organization
        member = client.organizations.members.create(organization_id=org.organization_id,
                                                     email_address="kim@durable.test").member
        client.magic_links.email.login_or_signup(organization_id="durable", email_address="kim@durable.test")
        token = EmulatorControl(first.url).latest_message("kim@durable.test", "email")["token"]
        login = client.magic_links.authenticate(magic_links_token=token)
        kid = client.sessions.get_jwks(project_id=DEMO_PROJECT_ID).keys[0].kid
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait()
    assert first.process is None

    with EmulatorServer(port=port, db_path=db, log_path=tmp_path / "second.log") as second:
        assert second.reused is False
        client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=second.url)
        assert client.organizations.get(organization_id="durable").organization.organization_id == org.organization_id
        found = client.organizations.members.get(organization_id="durable", email_address="kim@durable.test")
        assert found.member_id == member.member_id
        session = client.sessions.authenticate(session_token=login.session_token).member_session
        assert session.member_session_id == login.member_session.member_session_id
        assert client.sessions.get_jwks(project_id=DEMO_PROJECT_ID).keys[0].kid == kid
        assert jwt.get_unverified_header(login.session_jwt)["kid"] == kid
        local = client.sessions.authenticate_jwt(session_jwt=login.session_jwt)
        assert (local.request_id, local.member_session.member_id) == ("", member.member_id)
