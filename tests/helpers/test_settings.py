"""The backend choice fails closed: emulator without credentials, a test project with both,
refusal for anything in between, live credentials, or the emulator's demo credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import DEMO_PROJECT_ID, DEMO_SECRET
from helpers.settings import REPO_ROOT, ConfigurationError, describe, emulator_state_path, load_backend

PROJECT_ID = "project-test-11111111-2222-4333-8444-555555555555"
SECRET = "secret-test-abcdefghijklmnopqrstuvwxyz012345="


def test_no_credentials_means_the_emulator_on_the_default_port(clean_settings: Path) -> None:
    backend = load_backend()
    assert backend.is_emulator and backend.kind == "emulator"
    assert backend.base_url == "http://127.0.0.1:8765"
    assert (backend.project_id, backend.secret) == (DEMO_PROJECT_ID, DEMO_SECRET)


def test_emulator_port_and_state_file_are_configurable(clean_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STYTCH_EMULATOR_PORT", "9876")
    monkeypatch.setenv("STYTCH_EMULATOR_DB", "state/demo.sqlite3")
    assert load_backend().base_url == "http://127.0.0.1:9876"
    assert emulator_state_path() == REPO_ROOT / "state" / "demo.sqlite3"  # relative to the repo, not the cwd


def test_default_state_file_is_under_the_repository(clean_settings: Path) -> None:
    assert emulator_state_path() == REPO_ROOT / ".stytch-emulator" / "emulator.sqlite3"


@pytest.mark.parametrize("port", ["http", "0", "70000"])
def test_a_bad_port_is_refused(clean_settings: Path, monkeypatch: pytest.MonkeyPatch, port: str) -> None:
    monkeypatch.setenv("STYTCH_EMULATOR_PORT", port)
    with pytest.raises(ConfigurationError, match="STYTCH_EMULATOR_PORT"):
        load_backend()


def test_both_credentials_mean_a_stytch_test_project(clean_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STYTCH_PROJECT_ID", PROJECT_ID)
    monkeypatch.setenv("STYTCH_SECRET", SECRET)
    backend = load_backend()
    assert backend.kind == "stytch" and not backend.is_emulator
    assert backend.base_url == "https://test.stytch.com/"
    assert SECRET not in repr(backend)


@pytest.mark.parametrize(("given", "missing"), [
    ({"STYTCH_PROJECT_ID": PROJECT_ID}, "STYTCH_SECRET"),
    ({"STYTCH_SECRET": SECRET}, "STYTCH_PROJECT_ID"),
])
def test_one_credential_alone_is_refused(clean_settings: Path, monkeypatch: pytest.MonkeyPatch,
                                         given: dict, missing: str) -> None:
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=f"{missing} is missing"):
        load_backend()


@pytest.mark.parametrize("credentials", [
    {"STYTCH_PROJECT_ID": "project-live-11111111-2222-4333-8444-555555555555", "STYTCH_SECRET": SECRET},
    {"STYTCH_PROJECT_ID": PROJECT_ID, "STYTCH_SECRET": "secret-live-abcdef"},
    {"STYTCH_PROJECT_ID": "project-live-11111111-2222-4333-8444-555555555555"},  # refused before "missing"
])
def test_live_credentials_are_refused(clean_settings: Path, monkeypatch: pytest.MonkeyPatch, credentials: dict) -> None:
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match="live credentials are refused; use a test project"):
        load_backend()


@pytest.mark.parametrize("credentials", [
    {"STYTCH_PROJECT_ID": DEMO_PROJECT_ID, "STYTCH_SECRET": SECRET},
    {"STYTCH_PROJECT_ID": PROJECT_ID, "STYTCH_SECRET": DEMO_SECRET},
])
def test_the_emulator_demo_credentials_are_refused_as_real_ones(clean_settings: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 credentials: dict) -> None:
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match="demo credentials"):
        load_backend()


def test_a_project_id_that_is_not_a_project_id_is_refused(clean_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STYTCH_PROJECT_ID", "my-project")
    monkeypatch.setenv("STYTCH_SECRET", SECRET)
    with pytest.raises(ConfigurationError, match="project-test-"):
        load_backend()


def test_dotenv_is_read(clean_settings: Path) -> None:
    clean_settings.write_text(f"STYTCH_PROJECT_ID={PROJECT_ID}\nSTYTCH_SECRET={SECRET}\n")
    backend = load_backend()
    assert (backend.kind, backend.project_id, backend.secret) == ("stytch", PROJECT_ID, SECRET)


def test_commented_dotenv_lines_leave_the_emulator(clean_settings: Path) -> None:
    clean_settings.write_text((REPO_ROOT / ".env.example").read_text())
    assert load_backend().is_emulator


def test_the_environment_wins_over_dotenv(clean_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean_settings.write_text("STYTCH_PROJECT_ID=project-live-from-dotenv\nSTYTCH_SECRET=secret-live-x\n")
    monkeypatch.setenv("STYTCH_PROJECT_ID", PROJECT_ID)
    monkeypatch.setenv("STYTCH_SECRET", SECRET)
    assert load_backend().project_id == PROJECT_ID


def test_an_empty_environment_variable_hides_dotenv(clean_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean_settings.write_text(f"STYTCH_PROJECT_ID={PROJECT_ID}\nSTYTCH_SECRET={SECRET}\n")
    monkeypatch.setenv("STYTCH_PROJECT_ID", "")
    monkeypatch.setenv("STYTCH_SECRET", "")
    assert load_backend().is_emulator


def test_describe_names_the_emulator_and_masks_the_project(clean_settings: Path) -> None:
    line = describe(load_backend())
    assert line == ("Backend: local Stytch B2B emulator at http://127.0.0.1:8765 "
                    "(demo project project-test-0000…)")
    assert DEMO_SECRET not in line


def test_describe_never_shows_a_real_secret_or_the_whole_project_id(clean_settings: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STYTCH_PROJECT_ID", PROJECT_ID)
    monkeypatch.setenv("STYTCH_SECRET", SECRET)
    line = describe(load_backend())
    assert line == ("Backend: Stytch test project project-test-1111… at https://test.stytch.com "
                    "(secret set, not shown)")
    assert SECRET not in line and PROJECT_ID not in line
