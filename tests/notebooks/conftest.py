"""Notebook tests run kernels that inherit this process's environment: before any starts, point
them at the session's notebook emulator with no Stytch credentials (tests/conftest.py)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def kernels_use_the_notebook_emulator(kernel_env: dict[str, str]):
    saved = {name: os.environ.get(name) for name in kernel_env}
    os.environ.update(kernel_env)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
