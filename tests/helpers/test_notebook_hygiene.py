"""clean() removes what changes on every run; what it leaves passes problems()."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers.notebook_hygiene import WIDGET_VIEW, clean, problems


def test_clean_drops_run_records_widget_views_and_empty_tags() -> None:
    nb = new_notebook()
    nb.metadata.update(papermill={"duration": 1.2}, widgets={"state": {}},
                       kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"})
    cell = new_code_cell("form.show()", execution_count=1, outputs=[
        new_output("display_data", data={"text/plain": "Form: …", WIDGET_VIEW: {"model_id": "abc"}}),
    ])
    cell.metadata.update(papermill={"status": "completed"}, execution={"iopub.execute_input": "…"}, tags=[])
    tagged = new_code_cell("X = 1", execution_count=2)
    tagged.metadata["tags"] = ["parameters"]
    nb.cells += [cell, tagged]
    assert problems(nb)

    clean(nb)

    assert "papermill" not in nb.metadata and "widgets" not in nb.metadata and "kernelspec" in nb.metadata
    assert dict(cell.metadata) == {} and tagged.metadata["tags"] == ["parameters"]
    assert cell.outputs[0].data == {"text/plain": "Form: …"}
    assert problems(nb) == []
