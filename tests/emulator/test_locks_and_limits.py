"""User locks and rate limits through the official SDK, at the emulator's default project
settings unless a test says otherwise (Stytch: 10 consecutive failures lock a member for an
hour; the send and attempt limits are the emulator's own, see emulator/README.md)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pyotp
import pytest
from stytch.core.response_base import StytchError

from emulator_steps import OTHER_PHONE, PHONE, Tenant, factor_types, stytch_error

PASSWORD = "hunter22"
CODE_SPACE = 10**6


def wrong_sms_code(tenant: Tenant) -> str:
    return f"{(int(tenant.sms_code()) + 1) % CODE_SPACE:06d}"


def start_of_an_hour(tenant: Tenant) -> None:
    """Move the emulator's clock to 1 s past the top of the next hour, where every rate-limit
    window starts, so no window ends in the middle of a test."""
    tenant.control.advance_clock(3601 - tenant.control.now() % 3600)


def member(tenant: Tenant):
    return tenant.client.organizations.members.get(**tenant.ids).member


def test_wrong_codes_lock_the_member_until_lock_expires_at(tenant: Tenant) -> None:
    """Ten wrong SMS codes in a row (five per intermediate session) lock the member: the right
    code, primary login and every MFA call are refused with user_lock_limit_reached until the
    emulator's clock passes lock_expires_at; then the member logs in normally."""
    first = tenant.ist()
    tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=first)
    for _ in range(5):
        with stytch_error("otp_code_not_found"):
            tenant.client.otps.sms.authenticate(**tenant.ids, code=wrong_sms_code(tenant),
                                                intermediate_session_token=first)
    with stytch_error("too_many_requests"):  # an IST allows five wrong codes, then not even the right one
        tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(), intermediate_session_token=first)
    assert member(tenant).is_locked is False

    second = tenant.magic_link()  # logging in again texts a new code to the (unverified) phone
    assert second.mfa_required.secondary_auth_initiated == "sms_otp"
    ist = second.intermediate_session_token
    for _ in range(5):
        with stytch_error("otp_code_not_found"):
            tenant.client.otps.sms.authenticate(**tenant.ids, code=wrong_sms_code(tenant), intermediate_session_token=ist)

    locked = member(tenant)
    now = tenant.control.now()
    assert locked.is_locked is True
    assert abs(locked.lock_created_at.timestamp() - now) <= 2
    assert locked.lock_expires_at - locked.lock_created_at == timedelta(hours=1)
    with stytch_error("user_lock_limit_reached"):
        tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(), intermediate_session_token=ist)
    with stytch_error("user_lock_limit_reached"):
        tenant.client.otps.sms.send(**tenant.ids, intermediate_session_token=ist)
    with stytch_error("user_lock_limit_reached"):
        tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    with stytch_error("user_lock_limit_reached"):
        tenant.client.magic_links.email.login_or_signup(organization_id=tenant.organization_id,
                                                        email_address=tenant.email)

    tenant.control.advance_clock(locked.lock_expires_at.timestamp() - tenant.control.now() - 5)
    with stytch_error("user_lock_limit_reached"):
        tenant.magic_link()
    tenant.control.advance_clock(6)
    again = tenant.magic_link()
    done = tenant.client.otps.sms.authenticate(**tenant.ids, code=tenant.sms_code(),
                                               intermediate_session_token=again.intermediate_session_token)
    assert factor_types(done.member_session) == ["magic_link", "otp"]
    assert (done.member.is_locked, done.member.lock_expires_at) == (False, None)


def test_guessing_through_a_codes_lifetime_cannot_succeed(tenant: Tenant) -> None:
    """An attacker who has the password guesses TOTP codes, logging in again whenever an
    intermediate session refuses more guesses. At the defaults the emulator checks exactly
    ten guesses, then locks the member for an hour: far longer than a code lives (TOTP ±30 s,
    SMS 2 minutes), so at most 10 of the 1,000,000 codes are ever tried, and the right code
    is refused too."""
    tenant.client.passwords.migrate(organization_id=tenant.organization_id, email_address=tenant.email,
                                    hash=hashlib.sha1(PASSWORD.encode()).hexdigest(), hash_type="sha_1")
    created, _ = tenant.enroll_totp()
    totp = pyotp.TOTP(created.secret)
    now = tenant.control.now()
    valid = {totp.at(now + drift) for drift in (-30, 0, 30)}
    guesses = (f"{n:06d}" for n in range(CODE_SPACE) if f"{n:06d}" not in valid)

    checked, logins = 0, 0
    while True:
        try:
            login = tenant.client.passwords.authenticate(organization_id=tenant.organization_id,
                                                         email_address=tenant.email, password=PASSWORD)
        except StytchError as refused:
            assert refused.details.error_type == "user_lock_limit_reached"
            break
        logins += 1
        while True:
            try:
                tenant.client.totps.authenticate(**tenant.ids, code=next(guesses),
                                                 intermediate_session_token=login.intermediate_session_token)
            except StytchError as error:
                if error.details.error_type != "unable_to_authenticate_totp":
                    assert error.details.error_type in ("too_many_requests", "user_lock_limit_reached")
                    break
                checked += 1
            else:
                pytest.fail("a guess outside the valid window was accepted")

    assert (checked, logins) == (10, 2)
    locked = member(tenant)
    assert (locked.lock_expires_at - locked.lock_created_at).total_seconds() == 3600 > 120
    with stytch_error("user_lock_limit_reached"):
        tenant.client.totps.authenticate(**tenant.ids, code=totp.at(tenant.control.now()),
                                         intermediate_session_token=login.intermediate_session_token)


def test_wrong_passwords_count_toward_the_lock(optional_tenant: Tenant) -> None:
    """Ten wrong passwords lock the member; the right password is then refused as well."""
    t = optional_tenant
    t.client.passwords.migrate(organization_id=t.organization_id, email_address=t.email,
                               hash=hashlib.sha1(PASSWORD.encode()).hexdigest(), hash_type="sha_1")
    for _ in range(10):
        with stytch_error("unauthorized_credentials"):
            t.client.passwords.authenticate(organization_id=t.organization_id, email_address=t.email,
                                            password="guess")
    with stytch_error("user_lock_limit_reached"):
        t.client.passwords.authenticate(organization_id=t.organization_id, email_address=t.email, password=PASSWORD)
    assert member(t).is_locked is True


def test_a_session_starts_the_count_again(optional_tenant: Tenant) -> None:
    """Nine failures, a successful login, nine more failures: never ten in a row, no lock."""
    t = optional_tenant
    t.client.passwords.migrate(organization_id=t.organization_id, email_address=t.email,
                               hash=hashlib.sha1(PASSWORD.encode()).hexdigest(), hash_type="sha_1")
    for _ in range(2):
        for _ in range(9):
            with stytch_error("unauthorized_credentials"):
                t.client.passwords.authenticate(organization_id=t.organization_id, email_address=t.email,
                                                password="guess")
        login = t.client.passwords.authenticate(organization_id=t.organization_id, email_address=t.email,
                                                password=PASSWORD)
        assert login.member_authenticated is True
    assert member(t).is_locked is False


def test_a_send_flood_gets_429(tenant: Tenant) -> None:
    """A member may be texted ten codes an hour. A flood gets 429 too_many_requests after
    that, refused sends replace nothing (the last code sent still works), and the next hour
    the member can be texted again."""
    start_of_an_hour(tenant)
    ist = tenant.ist()
    tenant.client.otps.sms.send(**tenant.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    sent, refused = 1, 0
    for _ in range(40):
        try:
            tenant.client.otps.sms.send(**tenant.ids, intermediate_session_token=ist)
            sent += 1
        except StytchError as error:
            assert error.details.error_type == "too_many_requests"
            assert error.details.status_code == 429
            refused += 1
    assert (sent, refused) == (10, 31)
    assert len(tenant.control.messages(to=PHONE, channel="sms")) == 10
    code = tenant.sms_code()
    done = tenant.client.otps.sms.authenticate(**tenant.ids, code=code, intermediate_session_token=ist)
    assert done.member.mfa_phone_number_verified is True

    tenant.control.advance_clock(3600)
    assert tenant.magic_link().mfa_required.secondary_auth_initiated == "sms_otp"


def test_the_phone_limit_spans_members(tenant: Tenant) -> None:
    """The per-phone limit counts every member texting that number (lowered to 3 here)."""
    start_of_an_hour(tenant)
    tenant.control.update_project(sms_sends_per_phone_per_hour=3)
    tenant.client.organizations.update(organization_id=tenant.organization_id, mfa_policy="OPTIONAL")
    others = [tenant.client.organizations.members.create(organization_id=tenant.organization_id,
                                                         email_address=f"m{n}@acme.test").member_id
              for n in range(4)]
    for member_id in others[:3]:
        tenant.client.otps.sms.send(organization_id=tenant.organization_id, member_id=member_id,
                                    mfa_phone_number=PHONE)
    with stytch_error("too_many_requests"):
        tenant.client.otps.sms.send(organization_id=tenant.organization_id, member_id=others[3],
                                    mfa_phone_number=PHONE)
    tenant.client.otps.sms.send(organization_id=tenant.organization_id, member_id=others[3],
                                mfa_phone_number=OTHER_PHONE)


def test_primary_login_skips_the_auto_send_over_the_limit(tenant: Tenant) -> None:
    """Over the send limit, primary authentication still succeeds but texts nothing."""
    start_of_an_hour(tenant)
    tenant.enroll_sms()
    tenant.control.update_project(sms_sends_per_member_per_hour=1)
    before = len(tenant.control.messages(channel="sms"))
    primary = tenant.magic_link()
    assert (primary.member_authenticated, primary.mfa_required.secondary_auth_initiated) == (False, None)
    assert len(tenant.control.messages(channel="sms")) == before


def test_the_lock_is_a_project_setting(tenant: Tenant) -> None:
    """A lowered threshold and lifetime apply: 3 wrong TOTP codes lock the member for 5 minutes."""
    tenant.control.update_project(user_lock_threshold=3, user_lock_ttl_minutes=5)
    ist = tenant.ist()
    created = tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    for _ in range(3):
        with stytch_error("unable_to_authenticate_totp"):
            tenant.client.totps.authenticate(
                **tenant.ids, code=f"{(int(tenant.totp_code(created.secret)) + 1) % CODE_SPACE:06d}",
                intermediate_session_token=ist)
    locked = member(tenant)
    assert locked.lock_expires_at - locked.lock_created_at == timedelta(minutes=5)
