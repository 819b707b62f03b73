"""The inbox reads the emulator's outbox, and on a real project says where messages went."""

from __future__ import annotations

import pytest

from emulator import EmulatorControl
from helpers import fixtures, inbox
from helpers.client import get_client

PHONE = fixtures.PHONE_NUMBER
EMAIL = "inbox@acme-workbook.example"


@pytest.fixture
def tenant(emulator_backend: EmulatorControl):
    client = get_client()
    org = fixtures.organization(client, "inbox-test", "Inbox test")
    member = fixtures.member(client, org.organization_id, EMAIL)
    return client, org, member


def test_latest_sms_code_is_the_newest_code(tenant, emulator_backend: EmulatorControl) -> None:
    client, org, member = tenant
    client.otps.sms.send(organization_id=org.organization_id, member_id=member.member_id, mfa_phone_number=PHONE)
    client.otps.sms.send(organization_id=org.organization_id, member_id=member.member_id)
    code = inbox.latest_sms_code(PHONE)
    assert code == emulator_backend.latest_message(PHONE, "sms")["code"]
    assert len(code) == 6 and code.isdigit()


def test_latest_magic_link_token_logs_the_member_in(tenant) -> None:
    client, org, member = tenant
    client.magic_links.email.login_or_signup(organization_id=org.organization_id, email_address=EMAIL)
    response = client.magic_links.authenticate(magic_links_token=inbox.latest_magic_link_token(EMAIL))
    assert response.member_id == member.member_id


def test_no_message_yet_says_what_to_run(emulator_backend: EmulatorControl) -> None:
    with pytest.raises(inbox.MessageNotFound, match="no SMS to \\+14155550123 yet"):
        inbox.latest_sms_code(PHONE)


def test_show_latest_shows_an_sms_and_an_email(tenant, displayed: list[dict]) -> None:
    client, org, member = tenant
    client.otps.sms.send(organization_id=org.organization_id, member_id=member.member_id, mfa_phone_number=PHONE)
    client.magic_links.email.login_or_signup(organization_id=org.organization_id, email_address=EMAIL)
    inbox.show_latest(PHONE)
    inbox.show_latest(EMAIL)
    sms, email = (bundle["text/plain"] for bundle in displayed)
    assert sms.startswith("Emulator outbox — on a real project this arrives on the phone\nSMS to +14155550123 at ")
    assert inbox.latest_sms_code(PHONE) in sms
    assert email.startswith("Emulator outbox — on a real project this arrives on the inbox\nEmail to inbox@")
    assert "Subject: Your Inbox test login link" in email


def test_a_real_project_has_no_inbox_to_read(real_backend: None, displayed: list[dict]) -> None:
    with pytest.raises(inbox.InboxUnavailable, match="texted to \\+14155550123: read it on that phone"):
        inbox.latest_sms_code(PHONE)
    with pytest.raises(inbox.InboxUnavailable, match="sandbox@stytch.com"):
        inbox.latest_magic_link_token(EMAIL)
    inbox.show_latest(EMAIL)
    assert "goes to inbox@acme-workbook.example's inbox" in displayed[0]["text/plain"]
    assert issubclass(inbox.InboxUnavailable, RuntimeError)
