"""A first end-to-end pass through the official SDK: the first-time SMS enrollment."""

from emulator import EmulatorControl


def test_first_time_sms_enrollment(client, control: EmulatorControl) -> None:
    org = client.organizations.create(
        organization_name="Acme", organization_slug="acme", mfa_policy="REQUIRED_FOR_ALL"
    ).organization
    member = client.organizations.members.create(
        organization_id=org.organization_id, email_address="ada@acme.test"
    ).member
    client.magic_links.email.login_or_signup(organization_id=org.organization_id, email_address="ada@acme.test")
    token = control.latest_message("ada@acme.test", "email")["token"]

    primary = client.magic_links.authenticate(magic_links_token=token)
    assert primary.member_authenticated is False
    assert primary.mfa_required.member_options is None
    ist = primary.intermediate_session_token

    client.otps.sms.send(organization_id=org.organization_id, member_id=member.member_id,
                         mfa_phone_number="+14155550123", intermediate_session_token=ist)
    code = control.latest_message("+14155550123", "sms")["code"]
    done = client.otps.sms.authenticate(organization_id=org.organization_id, member_id=member.member_id,
                                        code=code, intermediate_session_token=ist)
    assert done.member.mfa_enrolled is True
    assert [f.type.value for f in done.member_session.authentication_factors] == ["magic_link", "otp"]
