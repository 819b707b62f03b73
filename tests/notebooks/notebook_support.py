"""Paths the notebook tests share."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
SANITIZE_FILE = Path(__file__).with_name("nbval_sanitize.cfg")


def lesson_notebooks() -> list[Path]:
    """notebooks/NN_*.ipynb, in order: whatever lessons exist right now."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def executed_notebooks() -> list[Path]:
    """What nbval and papermill run: the lessons, then their exercise notebooks."""
    return lesson_notebooks() + sorted(NOTEBOOKS_DIR.glob("exercises/*.ipynb"))


def notebook_id(path: Path) -> str:
    """A test id: the path under notebooks/ (an exercise notebook has its lesson's name)."""
    return str(path.relative_to(NOTEBOOKS_DIR))
