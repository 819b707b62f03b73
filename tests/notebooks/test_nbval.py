"""nbval in strict mode: re-run every lesson notebook and compare each cell's outputs with the
committed ones, after sanitizing only what is random by nature (nbval_sanitize.cfg).

nbval runs in a child pytest so its collection stays apart from this suite's; the child's
JUnit report must show every code cell as a passed test, so a skipped cell never counts as
passing."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import nbformat
import pytest

from notebook_support import REPO_ROOT, SANITIZE_FILE, executed_notebooks, lesson_notebooks, notebook_id


def test_there_are_notebooks_to_check() -> None:
    assert lesson_notebooks(), "no notebooks/NN_*.ipynb found"


@pytest.mark.parametrize("notebook", executed_notebooks(), ids=notebook_id)
def test_outputs_match_the_committed_ones(notebook: Path, tmp_path: Path) -> None:
    report = tmp_path / "nbval.xml"
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "--nbval", str(notebook),
            "--nbval-sanitize-with", str(SANITIZE_FILE), "--nbval-cell-timeout", "300",
            "-p", "no:cacheprovider", "-q", f"--junitxml={report}",
        ],
        cwd=REPO_ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=900,
    )
    output = run.stdout[-20000:] + run.stderr[-5000:]
    assert report.exists(), f"nbval produced no report:\n{output}"
    suite = ElementTree.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    counts = {key: int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")}
    code_cells = sum(cell.cell_type == "code" for cell in nbformat.read(notebook, as_version=4).cells)

    assert run.returncode == 0, f"nbval failed:\n{output}"
    assert counts["failures"] == counts["errors"] == counts["skipped"] == 0, f"{counts}\n{output}"
    assert counts["tests"] == code_cells, f"nbval checked {counts['tests']} of {code_cells} code cells\n{output}"
