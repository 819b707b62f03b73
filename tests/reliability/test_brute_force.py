"""Guessing an SMS code must hit Stytch's limits (user locks, 429 rate limits) long before it
can succeed."""

from __future__ import annotations

import requests

from emulator import EmulatorControl
from reliability_steps import Tenant, magic_link_login, make_tenant

GUESSES = 30
PHONE = "+14155550123"
LIMITED = ("user_lock_limit_reached", "too_many_requests")


def test_brute_forcing_an_sms_code_hits_the_limits(http: requests.Session, control: EmulatorControl,
                                                   emulator_server) -> None:
    tenant: Tenant = make_tenant(http, emulator_server.url, policy="REQUIRED_FOR_ALL")
    url, ids = tenant.url, {"organization_id": tenant.organization_id, "member_id": tenant.member_id}
    ist = magic_link_login(http, control, tenant)["intermediate_session_token"]
    sent = http.post(f"{url}/v1/b2b/otps/sms/send", json={**ids, "mfa_phone_number": PHONE,
                                                          "intermediate_session_token": ist})
    assert sent.status_code == 200, sent.text
    right = control.latest_message(PHONE, "sms")["code"]
    wrong = [f"{n:06d}" for n in range(GUESSES + 1) if f"{n:06d}" != right][:GUESSES]
    answers = [http.post(f"{url}/v1/b2b/otps/sms/authenticate",
                         json={**ids, "code": code, "intermediate_session_token": ist}).json() for code in wrong]
    # No guess gets a session.
    assert all(a["status_code"] >= 400 and not a.get("session_token") for a in answers)
    # The guessing is stopped, and even the right code is refused.
    assert any(a["error_type"] in LIMITED for a in answers), {a["error_type"] for a in answers}
    last = http.post(f"{url}/v1/b2b/otps/sms/authenticate",
                     json={**ids, "code": right, "intermediate_session_token": ist}).json()
    assert last["error_type"] in LIMITED
