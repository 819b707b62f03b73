"""Paths the notebook tests share: the same notebooks `make run` executes."""

from __future__ import annotations

from pathlib import Path

from helpers.papermill_runs import NOTEBOOKS_DIR, shown
from helpers.papermill_runs import default_notebooks as executed_notebooks  # noqa: F401  (shared)

REPO_ROOT = NOTEBOOKS_DIR.parent
SANITIZE_FILE = Path(__file__).with_name("nbval_sanitize.cfg")


def notebook_id(path: Path) -> str:
    """A test id: the path under notebooks/ (an exercise notebook has its lesson's name)."""
    return str(shown(path))
