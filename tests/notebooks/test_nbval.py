"""nbval in strict mode: re-run every notebook (lessons and exercises) and compare each cell's outputs with the
committed ones, after sanitizing only what is random by nature (nbval_sanitize.cfg).

nbval runs once for all notebooks, in a child pytest so its collection stays apart from this
suite's; the child's JUnit report must show every code cell of each notebook as a passed test,
so a skipped cell never counts as passing."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from notebook_support import REPO_ROOT, SANITIZE_FILE, executed_notebooks, notebook_id

_OUTCOMES = ("failure", "error", "skipped")


def test_there_are_notebooks_to_check() -> None:
    assert executed_notebooks(), "no notebooks/NN_*.ipynb found"


@pytest.fixture(scope="module")
def nbval_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Counter], str]:
    """Run nbval on every notebook; per notebook (its path under notebooks/), how many cells passed and how many
    failed, errored or were skipped, and the child's output."""
    report = tmp_path_factory.mktemp("nbval") / "nbval.xml"
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "--nbval", *map(str, executed_notebooks()),
            "--nbval-sanitize-with", str(SANITIZE_FILE), "--nbval-cell-timeout", "300",
            "-p", "no:cacheprovider", "-q", f"--junitxml={report}",
        ],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
    )
    output = run.stdout[-20000:] + run.stderr[-5000:]
    assert report.exists(), f"nbval produced no report:\n{output}"
    counts: dict[str, Counter] = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        # classname is the notebook's path with dots: notebooks.exercises.02_first_time_enrollment.ipynb
        classname = case.get("classname", "")
        notebook = next((notebook_id(p) for p in executed_notebooks()
                         if classname.endswith("notebooks." + notebook_id(p).replace("/", "."))), "?")
        outcome = next((tag for tag in _OUTCOMES if case.find(tag) is not None), "passed")
        counts.setdefault(notebook, Counter())[outcome] += 1
    return counts, output


@pytest.mark.parametrize("notebook", executed_notebooks(), ids=notebook_id)
def test_outputs_match_the_committed_ones(notebook: Path, nbval_report: tuple[dict[str, Counter], str]) -> None:
    counts, output = nbval_report
    cells = counts.get(notebook_id(notebook), Counter())
    code_cells = sum(cell.cell_type == "code" for cell in nbformat.read(notebook, as_version=4).cells)
    assert not any(cells[outcome] for outcome in _OUTCOMES), f"{dict(cells)}\n{output}"
    assert cells["passed"] == code_cells, f"nbval checked {cells['passed']} of {code_cells} code cells\n{output}"
