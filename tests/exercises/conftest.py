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
