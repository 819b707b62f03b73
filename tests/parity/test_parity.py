"""The parity recorder: `make parity` runs its emulator side without credentials, records the
outcomes the emulator is meant to give, masks every random value, and reports differences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer
from parity import report, scenario
from parity.__main__ import main
from parity.scenario import Observation

# What the emulator answers at each step of the scenario: (HTTP status, error type or None).
EXPECTED = {
    "organizations.create: MFA required for all": (200, None),
    "passwords.migrate: a member with a password": (200, None),
    "passwords.authenticate: first login, MFA enrollment required": (200, None),
    "passwords.authenticate: wrong password": (401, "unauthorized_credentials"),
    "otps.sms.send: a UK number (country not enabled by default)": (400, "invalid_phone_number_country_code"),
    "magic_links.email.login_or_signup: unregistered redirect URL": (400, "no_match_for_provided_magic_link_url"),
    "totps.create: first registration": (200, None),
    "totps.create: again while the first is pending": (400, "pending_totp_exists"),
    "totps.authenticate: wrong code": (401, "unable_to_authenticate_totp"),
    "totps.authenticate: right code, enrollment completes": (200, None),
    "passwords.authenticate: returning member, member_options": (200, None),
    "recovery_codes.recover: one recovery code": (200, None),
    "passwords.authenticate: with a valid session, no MFA step": (200, None),
    "totps.authenticate: intermediate session after 10 minutes": (404, "intermediate_session_not_found"),
    **{f"lockout: wrong TOTP code {n}/10, each after a new password login": (401, "unable_to_authenticate_totp")
       for n in range(1, 11)},
    "lockout: password login and the right code while locked": (429, "user_lock_limit_reached"),
    "organizations.members.get: the lock on the member": (200, None),
    "organizations.delete: clean up": (200, None),
}
SECRET_KEYS = ("session_token", "session_jwt", "intermediate_session_token", "secret", "qr_code")


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    # An empty variable also hides a developer's .env (helpers.settings).
    monkeypatch.setenv("STYTCH_PROJECT_ID", "")
    monkeypatch.setenv("STYTCH_SECRET", "")


def _leaves(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, key)
    else:
        yield key, value


def test_make_parity_runs_the_emulator_side_and_says_stytch_was_skipped(no_credentials, tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    assert "Stytch side skipped: STYTCH_PROJECT_ID and STYTCH_SECRET are not set" in (tmp_path / "report.md").read_text()
    steps = json.loads((tmp_path / "report.json").read_text())["steps"]
    assert {s["step"]: (s["emulator"]["status_code"], s["emulator"]["error_type"]) for s in steps} == EXPECTED
    assert [s["step"] for s in steps][-1] == "organizations.delete: clean up"
    assert all(s["stytch"] is None for s in steps)
    bodies = {s["step"]: s["emulator"]["body"] for s in steps}
    first = bodies["passwords.authenticate: first login, MFA enrollment required"]
    assert (first["member_authenticated"], first["mfa_required"]["member_options"]) == (False, None)
    returning = bodies["passwords.authenticate: returning member, member_options"]["mfa_required"]["member_options"]
    assert returning == {"mfa_phone_number": "", "totp_registration_id": report.MASK}
    reauth = bodies["passwords.authenticate: with a valid session, no MFA step"]
    assert (reauth["member_authenticated"], reauth["intermediate_session_token"]) == (True, "")
    locked = bodies["organizations.members.get: the lock on the member"]["member"]
    assert (locked["is_locked"], locked["lock_expires_at"]) == (True, report.MASK)
    # Nothing usable is written: every token, JWT and secret is masked or empty.
    for key, value in _leaves([s["emulator"]["body"] for s in steps]):
        if key in SECRET_KEYS:
            assert value in ("", None, report.MASK), key


def test_two_emulator_runs_compare_equal(emulator_server: EmulatorServer, control: EmulatorControl) -> None:
    """Masking hides everything random: two runs differ in every ID and token, and compare equal."""
    first = scenario.run(scenario.emulator_side(emulator_server.url))
    control.reset()
    second = scenario.run(scenario.emulator_side(emulator_server.url))
    assert first[6].body["secret"] != second[6].body["secret"]
    comparisons = report.compare(first, second)
    assert [(c.outcome_differs, c.field_differences) for c in comparisons] == [(False, [])] * len(first)


def test_differences_are_reported() -> None:
    ours = [Observation("a", 200, {"member_authenticated": False, "member_id": "member-test-1", "mfa_required": {}}),
            Observation("b", 400, {"error_type": "pending_totp_exists", "error_message": "x",
                                   "error_url": "https://stytch.com/docs/b2b/api/errors/400#pending_totp_exists"})]
    theirs = [Observation("a", 200, {"member_authenticated": True, "member_id": "member-test-2",
                                     "member_device": {"ip_address": "1.2.3.4"}}),
              Observation("b", 400, {"error_type": "pending_totp_exists", "error_message": "y",
                                     "error_url": "https://stytch.com/docs/api-reference/b2b/api/errors/400"
                                                  "#pending_totp_exists"})]
    a, b = report.compare(ours, theirs)
    assert not a.outcome_differs
    assert a.field_differences == [
        "`member_authenticated`: emulator false, Stytch true",
        '`member_device.ip_address` only on Stytch ("<random>")',
        "`mfa_required` only on the emulator",
    ]
    assert (b.outcome_differs, b.field_differences) == (False, [])
    c, = report.compare([Observation("c", 200, {})], [Observation("c", 429, {"error_type": "too_many_requests"})])
    assert c.outcome_differs and c.field_differences == ['`error_type` only on Stytch ("too_many_requests")']
    markdown = report.render_markdown([a, b, c], "note")
    assert "| 3 | c | 200 ok | 429 too_many_requests | **outcome** |" in markdown
    assert "3 steps; 1 differ in status or error type; 2 differ in response fields" in markdown


def test_each_side_gets_only_its_own_credentials() -> None:
    """Demo credentials go to a loopback emulator only; a Stytch side talks to test.stytch.com."""
    with pytest.raises(ValueError):
        scenario.emulator_side("https://test.stytch.com")
    ours = scenario.emulator_side("http://127.0.0.1:9")
    assert (ours.client.sync_client.project_id, ours.client.api_base.base_url) == (DEMO_PROJECT_ID,
                                                                                   "http://127.0.0.1:9")
    assert ours.client.sync_client.secret == DEMO_SECRET
    theirs = scenario.stytch_side("project-test-11111111-1111-4111-8111-111111111111", "secret-test-x", wait=False)
    assert theirs.client.api_base.base_url == "https://test.stytch.com/"
    assert theirs.client.sync_client.secret == "secret-test-x"
    with pytest.raises(scenario.Skipped):
        theirs.wait(601)


def test_demo_credentials_are_never_sent_to_stytch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STYTCH_PROJECT_ID", DEMO_PROJECT_ID)
    monkeypatch.setenv("STYTCH_SECRET", DEMO_SECRET)
    assert main(["--out", str(tmp_path)]) == 2
    assert not (tmp_path / "report.md").exists()
