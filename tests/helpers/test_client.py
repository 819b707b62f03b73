"""One client per kernel, built for the chosen backend; credentials never cross over."""

from __future__ import annotations

import pytest

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl
from helpers import client as client_module


def test_the_emulator_client_is_cached_and_announced_once(emulator_backend: EmulatorControl,
                                                          capsys: pytest.CaptureFixture) -> None:
    client = client_module.get_client()
    assert client_module.get_client() is client
    assert capsys.readouterr().out.count("Backend: local Stytch B2B emulator at http://127.0.0.1:") == 1
    assert client.api_base.base_url == client_module.get_backend().base_url
    assert client.organizations.search(limit=1).status_code == 200


def test_a_real_project_client_uses_stytch_test_and_its_own_credentials(real_backend: None,
                                                                       capsys: pytest.CaptureFixture) -> None:
    client = client_module.get_client()  # builds the client; sends nothing
    assert client.api_base.base_url == "https://test.stytch.com/"
    assert (client.sync_client.project_id, client.sync_client.secret) != (DEMO_PROJECT_ID, DEMO_SECRET)
    assert client.sync_client.project_id.startswith("project-test-1111")
    out = capsys.readouterr()
    assert "Backend: Stytch test project project-test-1111… at https://test.stytch.com (secret set, not shown)" in out.out
    assert out.err == ""  # the SDK's "test environment" warning is suppressed
