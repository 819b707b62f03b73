"""Every lesson notebook executes headless with papermill, without a click: once with its
default parameters, and once more with each parameter set listed below."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

from helpers.notebook_hygiene import problems
from helpers.run_notebooks import QuietKernelManager
from notebook_support import NOTEBOOKS_DIR, executed_notebooks, notebook_id

# Extra runs beyond each notebook's defaults: (notebook number, parameters). One edit to add.
EXTRA_RUNS: list[tuple[str, dict]] = [
    ("01", {"MFA_POLICY": "OPTIONAL", "MFA_METHODS": "RESTRICTED", "ALLOWED_MFA_METHODS": ["totp"]}),
    ("02", {"MFA_METHOD": "totp"}),
    ("03", {"MFA_METHOD": "totp"}),
    ("04", {"FIRST_METHOD": "totp"}),
]


def _runs() -> list:
    runs = [pytest.param(path, {}, id=f"{notebook_id(path)}-defaults") for path in executed_notebooks()]
    for number, parameters in EXTRA_RUNS:
        (path,) = NOTEBOOKS_DIR.glob(f"{number}_*.ipynb")  # a missing notebook fails collection
        label = "-".join(f"{k}={v}" for k, v in parameters.items())
        runs.append(pytest.param(path, parameters, id=f"{path.name}-{label}"))
    return runs


@pytest.mark.parametrize(("notebook", "parameters"), _runs())
def test_executes_headless(notebook: Path, parameters: dict, tmp_path: Path) -> None:
    declared = papermill.inspect_notebook(str(notebook))
    unknown = set(parameters) - set(declared)
    assert not unknown, f"{notebook.name} has no parameter(s) {sorted(unknown)}; it declares {sorted(declared)}"

    executed = tmp_path / notebook.name
    papermill.execute_notebook(
        str(notebook), str(executed), parameters=parameters,
        kernel_name="python3", cwd=str(NOTEBOOKS_DIR),
        progress_bar=False, request_save_on_cell_execute=False, execution_timeout=300,
        store_widget_state=False, kernel_manager_class=QuietKernelManager,
    )  # raises PapermillExecutionError, with the failing cell, if any cell fails

    nb = nbformat.read(executed, as_version=4)
    output_problems = [p for p in problems(nb) if "stderr" in p or "error output" in p]
    assert not output_problems, output_problems
