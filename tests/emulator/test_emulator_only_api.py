"""The emulator-only API under /emulator/v1: outbox, TOTP registrations, clock, reset and seed."""

from __future__ import annotations

import json

import pyotp
import requests
import stytch

from emulator import DEMO_PROJECT_ID, EmulatorControl, EmulatorServer
from emulator_steps import PHONE, Tenant


def test_outbox_filters_by_recipient_and_channel_newest_first(tenant: Tenant, control: EmulatorControl) -> None:
    client = tenant.client
    for _ in range(2):
        client.magic_links.email.login_or_signup(organization_id=tenant.organization_id, email_address=tenant.email)
    client.organizations.members.update(organization_id=tenant.organization_id, member_id=tenant.member_id,
                                        mfa_phone_number=PHONE)
    client.otps.sms.send(organization_id=tenant.organization_id, member_id=tenant.member_id)

    emails = control.messages(to=tenant.email)
    assert [m["channel"] for m in emails] == ["email", "email"]
    assert emails[0]["sent_at"] >= emails[1]["sent_at"] and emails[0]["token"] != emails[1]["token"]
    assert emails[0]["token"] in emails[0]["url"] and emails[0]["token"] in emails[0]["body"]
    sms = control.messages(to=PHONE, channel="sms")
    assert len(sms) == 1 and sms[0]["code"] in sms[0]["body"] and len(sms[0]["code"]) == 6
    assert control.messages(to=PHONE, channel="email") == []
    control.clear_messages()
    assert control.messages() == []


def test_clock_moves_forward_and_resets(control: EmulatorControl) -> None:
    start = control.clock()
    assert start["offset_seconds"] == 0
    moved = control.advance_clock(3600)
    assert moved["offset_seconds"] == 3600
    assert moved["now_unix"] - start["now_unix"] >= 3600
    assert control.reset_clock()["offset_seconds"] == 0


def test_the_clock_only_moves_forward(emulator_server: EmulatorServer, control: EmulatorControl) -> None:
    answer = requests.post(f"{emulator_server.url}/emulator/v1/clock/advance", json={"seconds": -5})
    assert answer.status_code == 400 and answer.json()["error_type"] == "bad_request"
    assert control.clock()["offset_seconds"] == 0


def test_reset_wipes_state_but_keeps_the_signing_key(tenant: Tenant, control: EmulatorControl) -> None:
    kid = tenant.client.sessions.get_jwks(project_id=DEMO_PROJECT_ID).keys[0].kid
    control.advance_clock(60)
    control.reset()
    assert tenant.client.organizations.search().organizations == []
    assert control.clock()["offset_seconds"] == 0
    assert tenant.client.sessions.get_jwks(project_id=DEMO_PROJECT_ID).keys[0].kid == kid


def _seeded_run(client: stytch.B2BClient, control: EmulatorControl) -> tuple[str, str, str]:
    control.reset(seed=42)
    org = client.organizations.create(organization_name="Seeded", organization_slug="seeded").organization
    member = client.organizations.members.create(organization_id=org.organization_id,
                                                 email_address="s@seeded.test").member
    totp = client.totps.create(organization_id=org.organization_id, member_id=member.member_id)
    return org.organization_id, member.member_id, totp.secret


def test_a_seed_makes_ids_and_secrets_repeat(client: stytch.B2BClient, control: EmulatorControl) -> None:
    first = _seeded_run(client, control)
    assert _seeded_run(client, control) == first
    control.reset()  # no seed: random again
    org = client.organizations.create(organization_name="Seeded", organization_slug="seeded").organization
    assert org.organization_id != first[0]


def _start_of_a_window(control: EmulatorControl) -> None:
    """Move the emulator's clock just past the start of a 30 s TOTP window, so the next reads
    all fall in one window."""
    control.advance_clock(30 - control.now() % 30 + 0.5)


def test_totp_registrations_show_the_code_stytch_accepts_on_the_emulators_clock(
    tenant: Tenant, control: EmulatorControl
) -> None:
    """The simulated authenticator app's read: the member's registration with the code of the
    emulator's current window (not real time's); that code enrolls the member, and is then
    marked used; the next window brings a new code."""
    ist = tenant.ist()
    created = tenant.client.totps.create(**tenant.ids, intermediate_session_token=ist)
    control.advance_clock(240)  # away from real time; the IST lives 10 minutes
    _start_of_a_window(control)
    [registration] = control.totp_registrations()
    assert registration["totp_registration_id"] == created.totp_registration_id
    assert (registration["email_address"], registration["organization_name"]) == (tenant.email, "Acme")
    assert (registration["status"], registration["expired"], registration["code_used"]) == ("pending", False, False)
    authenticator = pyotp.TOTP(created.secret)
    assert registration["code"] == authenticator.at(control.now())
    assert registration["next_code"] == authenticator.at(control.now() + 30)
    assert registration["code"] != authenticator.now(), "the code of real time's window"

    tenant.client.totps.authenticate(**tenant.ids, code=registration["code"], intermediate_session_token=ist)
    [used] = control.totp_registrations()
    assert (used["status"], used["expires_at"], used["code"], used["code_used"]) == (
        "active", None, registration["code"], True)
    assert created.secret not in json.dumps(control.totp_registrations())

    control.advance_clock(30)
    [moved] = control.totp_registrations()
    assert (moved["code"], moved["code_used"]) == (registration["next_code"], False)


def test_totp_registrations_list_every_member_newest_first_and_mark_an_expired_one(
    make_tenant, control: EmulatorControl
) -> None:
    first, second = make_tenant(), make_tenant(slug="globex", email="grace@globex.test")
    for tenant in (first, second):
        tenant.client.totps.create(**tenant.ids, expiration_minutes=5)
    registrations = control.totp_registrations()
    assert [(r["email_address"], r["organization_name"]) for r in registrations] == [
        ("grace@globex.test", "Globex"), ("ada@acme.test", "Acme")]
    control.advance_clock(5 * 60 + 1)
    assert [r["expired"] for r in control.totp_registrations()] == [True, True]
    assert control.totp_registrations()[0]["status"] == "pending"
