"""Which Stytch backend the notebooks talk to, decided once and failing closed.

Credentials in the environment (or a `.env` at the repository root) mean a real Stytch *test*
project; no credentials mean the local emulator. Anything in between is refused with a
`ConfigurationError` that says what to fix, so a half-configured machine never silently
talks to the wrong place. This module only reads settings; helpers.client starts the emulator.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values

from emulator import DEFAULT_PORT, DEMO_PROJECT_ID, DEMO_SECRET
from helpers.errors import ReadableError
from helpers.masking import mask

REPO_ROOT = Path(__file__).resolve().parent.parent
DOTENV_PATH = REPO_ROOT / ".env"
EMULATOR_DIR = REPO_ROOT / ".stytch-emulator"
STYTCH_TEST_URL = "https://test.stytch.com/"

# Kept visible after masking: enough to tell projects apart, never the whole ID.
_PROJECT_ID_SHOWN = len("project-test-") + 4


class ConfigurationError(ReadableError, ValueError):
    """The environment does not describe exactly one safe backend."""


@dataclass(frozen=True)
class Backend:
    kind: Literal["emulator", "stytch"]
    project_id: str
    secret: str = field(repr=False)
    base_url: str

    @property
    def is_emulator(self) -> bool:
        return self.kind == "emulator"


def _read_settings() -> dict[str, str]:
    """The real environment over `.env`, as python-dotenv's load_dotenv(override=False) would
    merge them. A variable set to "" in the environment therefore hides the `.env` value (the
    notebook tests rely on this to force the emulator)."""
    merged = {k: v for k, v in dotenv_values(DOTENV_PATH).items() if v is not None}
    merged.update(os.environ)
    return merged


def load_backend() -> Backend:
    settings = _read_settings()
    project_id = settings.get("STYTCH_PROJECT_ID", "").strip()
    secret = settings.get("STYTCH_SECRET", "").strip()

    if project_id.startswith("project-live-") or secret.startswith("secret-live-"):
        raise ConfigurationError("live credentials are refused; use a test project")
    if bool(project_id) != bool(secret):
        missing = "STYTCH_SECRET" if project_id else "STYTCH_PROJECT_ID"
        given = "STYTCH_PROJECT_ID" if project_id else "STYTCH_SECRET"
        raise ConfigurationError(
            f"{given} is set but {missing} is missing. Set both to use a Stytch test project, "
            "or neither to use the local emulator."
        )
    if project_id:
        if project_id == DEMO_PROJECT_ID or secret == DEMO_SECRET:
            raise ConfigurationError(
                "STYTCH_PROJECT_ID/STYTCH_SECRET hold the emulator's demo credentials, which Stytch "
                "would reject. Unset both to use the emulator, or put a real test project's in."
            )
        if not project_id.startswith("project-test-"):
            raise ConfigurationError(
                f"STYTCH_PROJECT_ID should start with project-test- (got {project_id[:13]!r}…)."
            )
        return Backend("stytch", project_id, secret, STYTCH_TEST_URL)

    port_text = settings.get("STYTCH_EMULATOR_PORT", "").strip() or str(DEFAULT_PORT)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigurationError(f"STYTCH_EMULATOR_PORT must be a port number, got {port_text!r}.")
    return Backend("emulator", DEMO_PROJECT_ID, DEMO_SECRET, f"http://127.0.0.1:{int(port_text)}")


def emulator_state_path() -> Path:
    """Where the shared emulator keeps its state (STYTCH_EMULATOR_DB overrides; a relative
    path is taken from the repository root, since kernels run in notebooks/)."""
    configured = _read_settings().get("STYTCH_EMULATOR_DB", "").strip()
    return REPO_ROOT / configured if configured else EMULATOR_DIR / "emulator.sqlite3"


def describe(backend: Backend) -> str:
    """One line for the reader: which backend, and a masked project ID. Never the secret."""
    project = mask(backend.project_id, keep=_PROJECT_ID_SHOWN)
    if backend.is_emulator:
        return f"Backend: local Stytch B2B emulator at {backend.base_url} (demo project {project})"
    host = backend.base_url.rstrip("/")
    return f"Backend: Stytch test project {project} at {host} (secret set, not shown)"
