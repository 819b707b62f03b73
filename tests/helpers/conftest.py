"""Fixtures for the helpers' unit tests: a clean environment for the settings, and the
session's test emulator as the backend of helpers that read the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import EmulatorControl, EmulatorServer
from helpers import client as client_module, settings

STYTCH_VARIABLES = ("STYTCH_PROJECT_ID", "STYTCH_SECRET", "STYTCH_EMULATOR_PORT", "STYTCH_EMULATOR_DB")


def _forget_backend() -> None:
    client_module.get_client.cache_clear()
    client_module.get_backend.cache_clear()


@pytest.fixture
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No STYTCH_* variables, and a .env path of our own; returns that path (not created)."""
    for name in STYTCH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    dotenv = tmp_path / ".env"
    monkeypatch.setattr(settings, "DOTENV_PATH", dotenv)
    return dotenv


@pytest.fixture
def emulator_backend(clean_settings: Path, monkeypatch: pytest.MonkeyPatch,
                     emulator_server: EmulatorServer, control: EmulatorControl) -> EmulatorControl:
    """helpers.client.get_backend() is the (freshly reset) test emulator."""
    monkeypatch.setenv("STYTCH_EMULATOR_PORT", str(emulator_server.port))
    _forget_backend()
    yield control
    _forget_backend()


@pytest.fixture
def real_backend(clean_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings that describe a real test project. Nothing may reach the network with them:
    tests using this fixture only exercise code paths that stop before any request."""
    monkeypatch.setenv("STYTCH_PROJECT_ID", "project-test-11111111-2222-4333-8444-555555555555")
    monkeypatch.setenv("STYTCH_SECRET", "secret-test-not-a-real-secret-0000000000=")
    _forget_backend()
    yield
    _forget_backend()


@pytest.fixture
def displayed(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Everything the helpers display, as mime bundles (text/plain always present)."""
    from helpers import forms, inbox, show

    shown: list[dict] = []

    def record(obj, raw: bool = False, **_: object) -> None:
        if raw:
            shown.append(obj)
        elif hasattr(obj, "_repr_mimebundle_"):
            shown.append(obj._repr_mimebundle_())
        else:
            shown.append({"text/plain": repr(obj)})

    for module in (forms, inbox, show):
        monkeypatch.setattr(module, "display", record)
    return shown
