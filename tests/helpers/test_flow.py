"""The flow picture: the kept SVG is drawn from the current machine, each call's answer moves
the flow to the right state, and the picture highlights the state the notebook is in."""

from __future__ import annotations

import base64
import re

import pytest
import requests
import stytch

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from helpers import fixtures, flow, show
from helpers.call_log import Call, CallLog


def call(path: str, status: int | None = 200, method: str = "POST", setup: bool = False, **response) -> Call:
    return Call(method, path, {}, status, response, 0.01, "fixtures.member" if setup else "cell", setup)


def test_the_kept_picture_was_drawn_from_this_machine() -> None:
    """Change STATES or EDGES and this fails until `make flow-picture` draws the picture again."""
    note = flow.PICTURE.read_text().splitlines()[0]
    assert re.search(r"sha256 ([0-9a-f]{64})", note).group(1) == flow.source_hash(), "run `make flow-picture`"


def test_every_state_and_edge_is_in_the_picture_once() -> None:
    picture = flow.PICTURE.read_text()
    for state in flow.STATES:
        assert len(re.findall(rf'id="{flow.SVG_ID}-flowchart-{state}-\d+"', picture)) == 1, state
    for source, target, _, _ in flow.EDGES:
        assert len(re.findall(rf'<path [^>]*id="{flow.SVG_ID}-L_{source}_{target}_\d+"', picture)) == 1


def test_the_machine_is_connected() -> None:
    """Every state but the first is reached by an edge, and every edge joins known states."""
    targets = {target for _, target, _, _ in flow.EDGES}
    assert set(flow.STATES) - targets == {"org", "ist_expired"}  # where a lesson starts, and an exit
    assert {s for edge in flow.EDGES for s in edge[:2]} <= set(flow.STATES)


@pytest.mark.parametrize(("answer", "states"), [
    (call("/v1/b2b/magic_links/email/login_or_signup"), ["primary"]),
    (call("/v1/b2b/magic_links/authenticate", member_authenticated=False, **{"mfa_required.member_options": None}),
     ["primary", "enroll"]),
    (call("/v1/b2b/passwords/authenticate", member_authenticated=False,
          **{"mfa_required.member_options": {"mfa_phone_number": "XXXXXXX0123"},
             "mfa_required.secondary_auth_initiated": "sms_otp"}), ["primary", "verify", "sms_sent"]),
    (call("/v1/b2b/passwords/authenticate", member_authenticated=False,
          **{"mfa_required.member_options": {"totp_registration_id": "member-totp-test-1"},
             "mfa_required.secondary_auth_initiated": None}), ["primary", "verify"]),
    (call("/v1/b2b/passwords/authenticate", member_authenticated=True), ["primary", "session_1"]),
    (call("/v1/b2b/otps/sms/send"), ["sms_sent"]),
    (call("/v1/b2b/totp"), ["totp_created"]),
    (call("/v1/b2b/otps/sms/authenticate", **{"member.mfa_enrolled": True}), ["session_mfa"]),
    (call("/v1/b2b/totp/authenticate", **{"member.mfa_enrolled": True}), ["session_mfa"]),
    (call("/v1/b2b/recovery_codes/recover", **{"member.mfa_enrolled": True}), ["session_mfa"]),
    (call("/v1/b2b/otps/sms/authenticate", **{"member.mfa_enrolled": False}), ["stepped_up"]),
    (call("/v1/b2b/organizations/organization-test-1", method="PUT"), ["org"]),
    (call("/v1/b2b/otps/sms/authenticate", 404, error_type="intermediate_session_not_found"), ["ist_expired"]),
    (call("/v1/b2b/otps/sms/authenticate", 404, error_type="otp_code_not_found"), ["code_refused"]),
    (call("/v1/b2b/totp/authenticate", 401, error_type="unable_to_authenticate_totp"), ["code_refused"]),
    (call("/v1/b2b/otps/sms/send", 429, error_type="too_many_requests"), ["locked"]),
    (call("/v1/b2b/passwords/authenticate", 429, error_type="user_lock_limit_reached"), ["locked"]),
    (call("/v1/b2b/organizations/x", 400, method="PUT", error_type="allowed_mfa_methods_required_for_restricted"), []),
    (call("/v1/b2b/organizations/organization-test-1/members/member-test-1", method="PUT"), []),
    (call("/v1/b2b/sessions/authenticate"), []),
    (call("/v1/b2b/otps/sms/send", None), []),  # no answer
])
def test_each_answer_moves_the_flow(answer: Call, states: list[str]) -> None:
    assert flow.states_after(answer) == states


def test_the_journey_follows_the_lesson_not_its_set_up() -> None:
    calls = [
        call("/v1/b2b/passwords/authenticate", setup=True, member_authenticated=True),  # a fixture's login
        call("/v1/b2b/magic_links/email/login_or_signup"),
        call("/v1/b2b/magic_links/authenticate", member_authenticated=False, **{"mfa_required.member_options": None}),
        call("/v1/b2b/otps/sms/send"),
        call("/v1/b2b/otps/sms/send"),  # a resend stays where it is
        call("/v1/b2b/organizations/organization-test-1/members/member-test-1", method="GET"),
    ]
    now = flow.journey(calls)
    assert now.states == ("primary", "enroll", "sms_sent") and now.now == "sms_sent"
    assert now.last_call is calls[4]
    assert now.edges_taken == {("primary", "enroll"), ("enroll", "sms_sent")}
    assert now.caption == "Now: SMS code sent, after POST /v1/b2b/otps/sms/send → 200"
    assert flow.journey([]).now is None and flow.journey([]).caption.startswith("Not started")


def rules(svg: str) -> str:
    return re.findall(r"<style>([^<]*)</style>", svg)[-1]  # the one svg() adds, after Mermaid's


def test_the_picture_highlights_where_the_notebook_is() -> None:
    now = flow.journey([call("/v1/b2b/passwords/authenticate", member_authenticated=True),
                        call("/v1/b2b/otps/sms/send")])
    picture = flow.svg(now)
    added = rules(picture)
    current = f'#{flow.SVG_ID} g[id^="{flow.SVG_ID}-flowchart-sms_sent-"] > rect{{fill:#ffd54f!important'
    passed = f'#{flow.SVG_ID} g[id^="{flow.SVG_ID}-flowchart-session_1-"] > rect{{fill:#fff3c4!important'
    taken = f'#{flow.SVG_ID} path[id^="{flow.SVG_ID}-L_session_1_sms_sent_"]{{stroke:#e65100'
    assert current in added and passed in added and taken in added
    assert "flowchart-enroll-\"] > rect{fill:#fff3c4" not in added and "-flowchart-enroll-\"] > rect{fill:#ffd54f" not in added
    assert ">Now: SMS code sent</tspan>" in picture and ">after POST /v1/b2b/otps/sms/send → 200</tspan>" in picture
    assert flow.svg(now) == picture  # the same journey, the same picture (nbval compares it)
    # Nothing highlighted before the first call.
    assert "#ffd54f" not in rules(flow.svg(flow.journey([])))


def test_the_live_picture_follows_new_calls() -> None:
    log = CallLog()
    picture = flow.FlowPicture(log)
    before = bytes(picture.image.value)
    assert b"Not started" in before
    log.add(call("/v1/b2b/organizations/organization-test-1/members/member-test-1", method="GET"))
    assert bytes(picture.image.value) == before  # a call that moves nothing draws nothing
    log.add(call("/v1/b2b/magic_links/authenticate", member_authenticated=False, **{"mfa_required.member_options": None}))
    assert b"Now: Enroll a first method" in bytes(picture.image.value)
    bundle = picture._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', bundle["text/html"]).group(1)
    assert base64.b64decode(encoded) == bytes(picture.image.value)  # a saved notebook shows the same picture
    assert "image/svg+xml" not in bundle  # JupyterLab would not show it in a notebook it does not trust
    assert bundle["text/plain"] == ("MFA flow picture. Now: Enroll a first method, after POST "
                                    "/v1/b2b/magic_links/authenticate → 200\n"
                                    "Path so far: Primary authentication → Enroll a first method")


def test_real_calls_move_the_flow_through_enrollment(emulator_server: EmulatorServer, control: EmulatorControl,
                                                     displayed: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    """The fields the flow reads are the ones the call log keeps from real answers."""
    log = CallLog()
    client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=emulator_server.url,
                              sync_session=log.attach(requests.Session()))
    monkeypatch.setattr(show, "LOG", log)
    org = fixtures.organization(client, "acme-flow", "Acme (flow)", mfa_policy="REQUIRED_FOR_ALL")
    fixtures.member(client, org.organization_id, "flow@acme-workbook.example")
    fixtures.give_password(client, org.organization_id, "flow@acme-workbook.example", fixtures.PASSWORD)
    show.flow()
    login = client.passwords.authenticate(organization_id=org.organization_id,
                                          email_address="flow@acme-workbook.example", password=fixtures.PASSWORD)
    client.otps.sms.send(organization_id=org.organization_id, member_id=login.member_id,
                         mfa_phone_number="+14155550178", intermediate_session_token=login.intermediate_session_token)
    code = control.latest_message("+14155550178", "sms")["code"]
    for attempt in ("000000" if code != "000000" else "111111", code):
        try:
            client.otps.sms.authenticate(organization_id=org.organization_id, member_id=login.member_id,
                                         code=attempt, intermediate_session_token=login.intermediate_session_token)
        except stytch.core.response_base.StytchError:
            pass
    now = flow.journey(log.calls)
    assert now.states == ("primary", "enroll", "sms_sent", "code_refused", "session_mfa")
    assert displayed[0]["text/plain"].startswith("MFA flow picture. Not started")  # as it was when shown
