"""Every notebook (lessons and exercises) executes headless with papermill, without a click: once with its
default parameters, and once more with each parameter set listed below. The runs go side by
side, as `make run` runs them (helpers.run_notebooks), each run checked on its own."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest

from helpers.papermill_runs import Outcome, Run, execute_all
from notebook_support import NOTEBOOKS_DIR, executed_notebooks, notebook_id

# Extra runs beyond each notebook's defaults: (notebook number, parameters). One edit to add.
EXTRA_RUNS: list[tuple[str, dict]] = [
    ("01", {"MFA_POLICY": "OPTIONAL", "MFA_METHODS": "RESTRICTED", "ALLOWED_MFA_METHODS": ["totp"]}),
    ("02", {"MFA_METHOD": "totp"}),
    ("03", {"MFA_METHOD": "totp"}),
    ("04", {"FIRST_METHOD": "totp"}),
]


def _runs() -> dict[str, tuple[Path, dict]]:
    """Test id -> (notebook, parameters)."""
    runs = {f"{notebook_id(path)}-defaults": (path, {}) for path in executed_notebooks()}
    for number, parameters in EXTRA_RUNS:
        (path,) = NOTEBOOKS_DIR.glob(f"{number}_*.ipynb")  # a missing notebook fails collection
        label = "-".join(f"{k}={v}" for k, v in parameters.items())
        runs[f"{path.name}-{label}"] = (path, parameters)
    return runs


RUNS = _runs()


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every run, executed side by side; test id -> its outcome."""
    folder = tmp_path_factory.mktemp("papermill")
    planned = {test_id: Run(path, folder / f"{index}-{path.name}", parameters)
               for index, (test_id, (path, parameters)) in enumerate(RUNS.items())}
    test_ids = {run.output: test_id for test_id, run in planned.items()}
    return {test_ids[outcome.run.output]: outcome for outcome in execute_all(list(planned.values()))}


@pytest.mark.parametrize("test_id", RUNS)
def test_executes_headless(test_id: str, outcomes: dict[str, Outcome]) -> None:
    notebook, parameters = RUNS[test_id]
    declared = papermill.inspect_notebook(str(notebook))
    unknown = set(parameters) - set(declared)
    assert not unknown, f"{notebook.name} has no parameter(s) {sorted(unknown)}; it declares {sorted(declared)}"
    outcome = outcomes[test_id]
    if not outcome.ok:  # the failing cell's error, stderr output, or anything that must not be shown
        pytest.fail(f"{notebook.name} with {parameters}: {outcome.problem}")
