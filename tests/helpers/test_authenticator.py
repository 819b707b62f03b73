"""The simulated authenticator app makes the codes the backend accepts, on the backend's clock."""

from __future__ import annotations

import pyotp
import pytest
from stytch.core.response_base import StytchError

from emulator import EmulatorControl
from helpers import authenticator as authenticator_module, fixtures
from helpers.authenticator import Authenticator
from helpers.client import get_client

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def forget_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(authenticator_module, "_last_step", {})


def test_code_follows_the_emulator_clock(emulator_backend: EmulatorControl) -> None:
    emulator_backend.advance_clock(3600)
    code = Authenticator(SECRET).code()
    step = authenticator_module._last_step[SECRET]
    assert abs(step - emulator_backend.now() // 30) <= 1  # the emulator's hour-ahead clock, not real time
    assert code == pyotp.TOTP(SECRET).generate_otp(step)


def test_next_code_moves_the_emulator_clock_to_the_next_window(emulator_backend: EmulatorControl) -> None:
    authenticator = Authenticator(SECRET)
    authenticator.code()
    used_step = authenticator_module._last_step[SECRET]
    second = authenticator.next_code()
    assert authenticator_module._last_step[SECRET] == used_step + 1
    assert second == pyotp.TOTP(SECRET).generate_otp(used_step + 1)
    assert emulator_backend.now() // 30 == used_step + 1  # the emulator's clock moved there too
    assert emulator_backend.clock()["offset_seconds"] <= 31


def test_next_code_without_an_earlier_code_does_not_move_the_clock(emulator_backend: EmulatorControl) -> None:
    assert emulator_backend.clock()["offset_seconds"] == 0
    Authenticator(SECRET).next_code()
    assert emulator_backend.clock()["offset_seconds"] == 0


def test_stytch_accepts_each_code_once_and_next_code_gets_a_fresh_one(emulator_backend: EmulatorControl) -> None:
    client = get_client()
    org = fixtures.organization(client, "totp-test", "TOTP test", mfa_policy="REQUIRED_FOR_ALL")
    member, secret = fixtures.enrolled_member(client, org.organization_id, "totp@acme-workbook.example", "totp")
    authenticator = Authenticator(secret)

    def log_in_with(code: str):
        login = client.passwords.authenticate(organization_id=org.organization_id,
                                              email_address=member.email_address, password=fixtures.PASSWORD)
        return client.totps.authenticate(organization_id=org.organization_id, member_id=member.member_id,
                                         code=code, intermediate_session_token=login.intermediate_session_token)

    with pytest.raises(StytchError) as replay:
        log_in_with(authenticator.code())  # the enrollment already used this window's code
    assert replay.value.details.error_type == "totp_code_already_authenticated"
    assert log_in_with(authenticator.next_code()).member_session is not None


def test_a_real_project_uses_real_time(real_backend: None, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    now = [1_767_225_610.0]  # 10 s into a window
    monkeypatch.setattr(authenticator_module.time, "time", lambda: now[0])
    monkeypatch.setattr(authenticator_module.time, "sleep", lambda s: slept.append(s))
    authenticator = Authenticator(SECRET)
    assert authenticator.code() == pyotp.TOTP(SECRET).at(int(now[0]))
    assert authenticator.next_code() == pyotp.TOTP(SECRET).at(int(now[0]) + 30)
    assert slept and 20 <= slept[0] <= 21
