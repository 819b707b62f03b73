"""Each exercise notebook holds its exercises' stubs, exactly (a check recognises the untouched
stub by its code), checks each with q.check(<its function>), and declares USE_SOLUTIONS as its
one parameter."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers.exercises import (
    capstone,
    configure_organization,
    error_handling,
    first_time_enrollment,
    optional_enrollment,
    returning_login,
)

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EXERCISE_NOTEBOOKS = {
    "exercises/01_configure_organization.ipynb": configure_organization,
    "exercises/02_first_time_enrollment.ipynb": first_time_enrollment,
    "exercises/03_returning_login.ipynb": returning_login,
    "exercises/04_optional_enrollment.ipynb": optional_enrollment,
    "exercises/drills.ipynb": error_handling,
    "06_capstone_flask_app.ipynb": capstone,
}


@pytest.mark.parametrize("name", EXERCISE_NOTEBOOKS)
def test_the_notebook_holds_each_stub_and_its_check(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    stubs = [c.source for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    exercises = EXERCISE_NOTEBOOKS[name].exercises(use_solutions=False)
    assert stubs == [q.stub.rstrip("\n") for q in exercises]
    for q in exercises:
        assert f"{q.label}.check({q.name})" in sources


@pytest.mark.parametrize("name", EXERCISE_NOTEBOOKS)
def test_use_solutions_is_the_parameter(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    (parameters,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert parameters.source.splitlines()[0] == "USE_SOLUTIONS = True"
