"""The call log records real SDK calls at the HTTP layer, through the requests.Session the
client is built with, and holds no usable secret: tokens shortened, codes and passwords hidden."""

from __future__ import annotations

import pytest
import requests
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from emulator.server import free_port
from helpers import call_log, client as client_module, fixtures, show
from helpers.masking import HIDDEN

PHONE = "+14155550177"
EMAIL = "logged@acme-workbook.example"


def recording_client(url: str) -> tuple[stytch.B2BClient, call_log.CallLog]:
    log = call_log.CallLog()
    session = log.attach(requests.Session())
    client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=url, sync_session=session)
    assert client.sync_client._session is session  # the SDK sends through the session it was given
    return client, log


@pytest.fixture
def logged(emulator_server: EmulatorServer, control: EmulatorControl) -> tuple[stytch.B2BClient, call_log.CallLog]:
    return recording_client(emulator_server.url)


def everything_shown(log: call_log.CallLog) -> str:
    bundle = call_log.bundle(log)
    return "\n".join([bundle["text/plain"], bundle["text/html"], repr(log.calls)])


def test_a_whole_mfa_login_is_recorded_and_no_secret_survives(logged, control: EmulatorControl) -> None:
    """A password, its bcrypt hash, an IST, an SMS code, a session token, a session JWT, a TOTP
    secret and recovery codes all pass through the session; none is kept whole."""
    client, log = logged
    org = fixtures.organization(client, "acme-call-log", "Acme (call log)", mfa_policy="REQUIRED_FOR_ALL")
    fixtures.member(client, org.organization_id, EMAIL)
    fixtures.give_password(client, org.organization_id, EMAIL, fixtures.PASSWORD)
    setup_calls = len(log.calls)

    login = client.passwords.authenticate(organization_id=org.organization_id, email_address=EMAIL,
                                          password=fixtures.PASSWORD)
    ist = login.intermediate_session_token
    client.otps.sms.send(organization_id=org.organization_id, member_id=login.member_id,
                         mfa_phone_number=PHONE, intermediate_session_token=ist)
    code = control.latest_message(PHONE, "sms")["code"]
    session = client.otps.sms.authenticate(organization_id=org.organization_id, member_id=login.member_id,
                                           code=code, intermediate_session_token=ist)
    client.sessions.authenticate(session_jwt=session.session_jwt)
    client.sessions.authenticate(session_token=session.session_token)
    totp = client.totps.create(organization_id=org.organization_id, member_id=login.member_id,
                               session_token=session.session_token)

    secrets = [fixtures.PASSWORD, ist, code, session.session_token, session.session_jwt, totp.secret,
               *totp.recovery_codes]
    shown = everything_shown(log)
    for secret in secrets:
        assert secret not in shown
    assert "$2b$" not in shown  # the bcrypt hash passwords.migrate sent

    lesson = log.calls[setup_calls:]
    assert [call.summary for call in lesson] == [
        "POST /v1/b2b/passwords/authenticate → 200",
        "POST /v1/b2b/otps/sms/send → 200",
        "POST /v1/b2b/otps/sms/authenticate → 200",
        "POST /v1/b2b/sessions/authenticate → 200",
        "POST /v1/b2b/sessions/authenticate → 200",
        "POST /v1/b2b/totp → 200",
    ]
    primary, sent, authenticated, by_jwt, by_token, created = lesson
    assert primary.request["password"] == HIDDEN and primary.request["email_address"] == EMAIL
    assert primary.response["member_authenticated"] is False
    assert primary.response["intermediate_session_token"] == ist[:6] + "…"
    assert primary.response["mfa_required.member_options"] is None
    assert sent.request["mfa_phone_number"] == PHONE and sent.request["intermediate_session_token"] == ist[:6] + "…"
    assert authenticated.request["code"] == HIDDEN
    assert authenticated.response["session_token"] == session.session_token[:6] + "…"
    assert authenticated.response["member_session.authentication_factors"] == ["password (knowledge)", "otp (sms)"]
    assert by_jwt.request["session_jwt"] == session.session_jwt[:6] + "…"
    assert by_token.request["session_token"] == session.session_token[:6] + "…"
    assert created.response["secret"] == HIDDEN and created.response["recovery_codes"] == "10 codes, hidden"
    assert all(call.seconds > 0 for call in log.calls)


def test_each_call_names_the_code_that_made_it(logged) -> None:
    client, log = logged
    fixtures.organization(client, "acme-callers", "Acme (callers)")
    cell = {"__name__": "__main__", "client": client}  # how IPython runs a notebook cell
    exec(compile("client.organizations.search(limit=1)\n"
                 "def check_connection():\n    return client.organizations.search(limit=1)\n"
                 "check_connection()", "<cell>", "exec"), cell)
    callers = [(call.caller, call.setup) for call in log.calls]
    assert callers[0] == ("fixtures.organization", True)
    assert callers[-2:] == [("cell", False), ("check_connection()", False)]
    assert log.lesson_calls() == log.calls[-2:]


def test_a_refused_call_keeps_its_error_type(logged) -> None:
    client, log = logged
    with pytest.raises(stytch.core.response_base.StytchError):
        client.organizations.get(organization_id="no-such-organization")
    (call,) = log.calls
    assert call.status == 404 and call.error_type == "organization_not_found"
    assert call.summary == "GET /v1/b2b/organizations/no-such-organization → 404 organization_not_found"


def test_a_call_that_gets_no_answer_is_recorded_and_still_raises() -> None:
    client, log = recording_client(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    with pytest.raises(requests.ConnectionError):
        client.organizations.search(limit=1)
    (call,) = log.calls
    assert call.status is None and call.failure == "ConnectionError"
    assert call.summary.startswith("POST /v1/b2b/organizations/search → no answer (ConnectionError)")


def test_get_client_records_in_the_kernel_log(emulator_backend: EmulatorControl,
                                              monkeypatch: pytest.MonkeyPatch, displayed: list[dict]) -> None:
    kernel_log = call_log.CallLog()
    monkeypatch.setattr(client_module, "LOG", kernel_log)
    monkeypatch.setattr(show, "LOG", kernel_log)
    client_module.get_client().organizations.search(limit=1)
    assert [call.path for call in kernel_log.calls] == ["/v1/b2b/organizations/search"]
    show.call_log()
    (bundle,) = displayed
    assert bundle["text/plain"].startswith("API call log: 1 call to Stytch from this notebook\n")
    assert "POST /v1/b2b/organizations/search → 200" in bundle["text/plain"]
    assert bundle["text/html"].startswith("<details><summary><b>API call log: 1 call")


def test_a_real_project_client_records_through_the_same_adapter(real_backend: None) -> None:
    """Same code path on Stytch: the https adapter of the client's session is the recorder."""
    session = client_module.get_client().sync_client._session  # built, nothing sent
    assert isinstance(session.get_adapter("https://test.stytch.com/v1/b2b/otps/sms/send"), call_log.RecordingAdapter)
    assert session.get_adapter("https://test.stytch.com/").log is client_module.LOG


def test_a_route_names_the_ids_in_its_path() -> None:
    made = call_log.Call("PUT", "/v1/b2b/organizations/organization-test-75703aef-a9df-4497-b65f-da2d055f83e6"
                                "/members/member-test-8bba69f3-4657-4b70-a37d-3de4bfea5f87", {}, 200, {}, 0.01, "cell")
    assert made.summary == "PUT /v1/b2b/organizations/{organization_id}/members/{member_id} → 200"
    assert made.path.endswith("3de4bfea5f87")  # the log keeps the real path too
