"""Committed notebooks carry their outputs, and nothing that must not be committed: no stderr,
no errors, no JWTs, no full session tokens or ISTs, no project secret, no widget state, no
timing metadata. The synthetic cases prove each check can fail."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from emulator import DEMO_SECRET
from helpers.notebook_hygiene import problems
from notebook_support import NOTEBOOKS_DIR

COMMITTED = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(NOTEBOOKS_DIR.glob("exercises/*.ipynb"))
JWT = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6Imp3ay10ZXN0In0."
    "eyJzdWIiOiJtZW1iZXItdGVzdCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU"
)
TOKEN = "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q"


@pytest.mark.parametrize("notebook", COMMITTED, ids=lambda p: str(p.relative_to(NOTEBOOKS_DIR)))
def test_committed_notebook_is_clean(notebook: Path) -> None:
    assert problems(nbformat.read(notebook, as_version=4)) == []


@pytest.mark.parametrize("notebook", COMMITTED, ids=lambda p: str(p.relative_to(NOTEBOOKS_DIR)))
def test_committed_notebook_was_executed(notebook: Path) -> None:
    """Readers see results without running anything."""
    nb = nbformat.read(notebook, as_version=4)
    unrun = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and cell.execution_count is None]
    assert not unrun, f"code cells {unrun} have no execution: run `make notebooks`"


def _notebook_with(*outputs, **cell_metadata) -> nbformat.NotebookNode:
    nb = new_notebook()
    cell = new_code_cell("x = 1", execution_count=1, outputs=list(outputs))
    cell.metadata.update(cell_metadata)
    nb.cells.append(cell)
    return nb


def _text(text: str) -> nbformat.NotebookNode:
    return new_output("display_data", data={"text/plain": text})


def test_a_jwt_is_flagged() -> None:
    assert any("JWT" in p for p in problems(_notebook_with(_text(f"session_jwt: {JWT}"))))


@pytest.mark.parametrize("text", [
    f'"session_token": "{TOKEN}"',
    f"intermediate_session_token: {TOKEN}",
    f"session_token=&quot;{TOKEN}&quot;",
])
def test_a_full_session_token_is_flagged(text: str) -> None:
    assert any("session token" in p for p in problems(_notebook_with(_text(text))))


def test_a_masked_token_passes() -> None:
    assert problems(_notebook_with(_text(f'"session_token": "{TOKEN[:6]}…"'))) == []


@pytest.mark.parametrize("text", [DEMO_SECRET, "secret-live-abc123", "STYTCH_SECRET=secret-test-Xy_z0"])
def test_a_project_secret_is_flagged(text: str) -> None:
    assert any("secret" in p for p in problems(_notebook_with(_text(text))))


def test_stderr_and_errors_are_flagged() -> None:
    nb = _notebook_with(
        new_output("stream", name="stderr", text="DeprecationWarning: ...\n"),
        new_output("error", ename="ValueError", evalue="boom", traceback=[]),
    )
    found = problems(nb)
    assert any("stderr" in p for p in found) and any("error output" in p for p in found)


def test_widget_state_and_timing_metadata_are_flagged() -> None:
    nb = _notebook_with(execution={"iopub.status.busy": "2026-01-01T00:00:00Z"})
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    found = problems(nb)
    assert any("widget state" in p for p in found) and any("timing" in p for p in found)
