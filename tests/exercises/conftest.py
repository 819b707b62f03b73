"""The exercise checks run against an emulator embedded in the test process: one for the whole
session, never reset, so the checks also prove they work on used state."""

from __future__ import annotations

from typing import Iterator

import pytest

from emulator.embedded import EmbeddedEmulator
from helpers.exercises import backends
from helpers.exercises.backends import CheckBackend


@pytest.fixture(scope="session")
def check_backend() -> Iterator[CheckBackend]:
    with EmbeddedEmulator() as emulator:
        yield backends.for_emulator(emulator.url)


@pytest.fixture(scope="session", autouse=True)
def no_default_backend() -> Iterator[None]:
    """A check in these tests is always handed its backend: without one it would start the
    notebooks' emulator on its fixed port."""
    def refuse() -> None:
        raise AssertionError("a check ran on its default backend: pass check_backend")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backends, "get_backend", refuse)
        patch.setattr(backends, "get_client", refuse)
        yield
