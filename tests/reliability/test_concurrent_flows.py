"""Concurrent full flows through the official SDK (magic link, then SMS or TOTP enrollment, then
a session check), each with its own organization, member and phone: none fails, and none sees
another's member, organization, code or session."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pyotp
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from reliability_steps import SOAK

FLOWS = 200 if SOAK else 50


def full_flow(url: str, i: int) -> tuple[str, str, str, str, list[str]]:
    """(member made, organization made, member and organization of the final session, its factors)."""
    client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=url)
    control = EmulatorControl(url)
    email = f"m{i}@flow{i}.test"
    org = client.organizations.create(organization_name=f"Flow {i}", organization_slug=f"flow-{i}",
                                      mfa_policy="REQUIRED_FOR_ALL").organization
    member = client.organizations.members.create(organization_id=org.organization_id, email_address=email).member
    ids = {"organization_id": org.organization_id, "member_id": member.member_id}
    client.magic_links.email.login_or_signup(organization_id=org.organization_id, email_address=email)
    primary = client.magic_links.authenticate(magic_links_token=control.latest_message(email, "email")["token"])
    assert primary.member_id == member.member_id and not primary.member_authenticated
    ist = primary.intermediate_session_token
    if i % 2:
        phone = f"+1415555{1000 + i:04d}"
        client.otps.sms.send(**ids, mfa_phone_number=phone, intermediate_session_token=ist)
        code = control.latest_message(phone, "sms")["code"]
        done = client.otps.sms.authenticate(**ids, code=code, intermediate_session_token=ist)
    else:
        secret = client.totps.create(**ids, intermediate_session_token=ist).secret
        done = client.totps.authenticate(**ids, code=pyotp.TOTP(secret).at(control.now()),
                                         intermediate_session_token=ist)
    checked = client.sessions.authenticate(session_jwt=done.session_jwt)
    factors = [f.type.value for f in checked.member_session.authentication_factors]
    return member.member_id, org.organization_id, checked.member.member_id, checked.organization.organization_id, factors


def test_concurrent_flows_have_no_errors_and_no_cross_talk(emulator_server: EmulatorServer,
                                                          control: EmulatorControl) -> None:
    with ThreadPoolExecutor(max_workers=FLOWS) as pool:
        futures = [pool.submit(full_flow, emulator_server.url, i) for i in range(FLOWS)]
        errors = [repr(f.exception()) for f in futures if f.exception()]
    assert errors == [], f"{len(errors)} of {FLOWS} flows failed: {errors[:3]}"
    results = [f.result() for f in futures]
    for i, (made, org, session_member, session_org, factors) in enumerate(results):
        assert (session_member, session_org) == (made, org), f"flow {i} got another flow's session"
        assert "magic_link" in factors and ("otp" if i % 2 else "totp") in factors, factors
    assert len({r[0] for r in results}) == FLOWS
    print(f"{FLOWS} concurrent flows: no error, no cross-talk")
