"""`make present` (helpers/present.py) without starting JupyterLab: the presenter copies, the
server's command line and environment, the page config that turns the news toast off, and
that nothing under notebooks/ changes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import nbformat
import pytest
from jupyterlab_server.config import get_static_page_config

from helpers import present
from helpers.settings import REPO_ROOT

ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"


def git_status_of_notebooks() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--", "notebooks"], cwd=REPO_ROOT,
                          capture_output=True, text=True, check=True).stdout


def parameters_in_effect(nb: nbformat.NotebookNode) -> dict:
    """What the parameters cells leave behind when they run, in order (the tagged cell, then
    papermill's injected one)."""
    namespace: dict = {}
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            exec(cell.source, namespace)  # noqa: S102 (plain assignments of the lesson's own parameters)
    return {k: v for k, v in namespace.items() if k.isupper()}


def test_the_copies_wait_for_clicks_and_notebooks_stay_untouched(tmp_path: Path) -> None:
    before = git_status_of_notebooks()
    target, previous = tmp_path / "present", tmp_path / "present-previous"
    copies = present.prepare_copies(target, previous)

    assert [c.name for c in copies] == [p.name for p in present.lessons()] and len(copies) >= 5
    for copy in copies:
        lesson = nbformat.read(present.NOTEBOOKS_DIR / copy.name, as_version=4)
        nb = nbformat.read(copy, as_version=4)
        assert parameters_in_effect(lesson)["AUTO_SUBMIT"] is True
        assert parameters_in_effect(nb)["AUTO_SUBMIT"] is False, copy.name
        # The lesson's other parameters are untouched, and every cell keeps its id.
        assert {k: v for k, v in parameters_in_effect(nb).items() if k != "AUTO_SUBMIT"} == {
            k: v for k, v in parameters_in_effect(lesson).items() if k != "AUTO_SUBMIT"}
        kept = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
        assert [c.id for c in kept] == [c.id for c in lesson.cells]
        assert [c.source for c in kept] == [c.source for c in lesson.cells]
        # No outputs from the committed run: everything on screen comes from the demo.
        assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
        nbformat.validate(nb)
    assert git_status_of_notebooks() == before


def test_running_it_again_refreshes_the_copies_and_keeps_the_last_ones(tmp_path: Path) -> None:
    target, previous = tmp_path / "present", tmp_path / "present-previous"
    present.prepare_copies(target, previous)
    edited = target / "02_first_time_enrollment.ipynb"
    edited.write_text(edited.read_text().replace("new.hire@", "presenter.typed@"))
    present.prepare_copies(target, previous)

    assert "presenter.typed@" in (previous / edited.name).read_text()
    assert "presenter.typed@" not in edited.read_text() and "new.hire@" in edited.read_text()
    present.prepare_copies(target, previous)  # one generation kept
    assert "presenter.typed@" not in (previous / edited.name).read_text()


def test_the_server_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, config = tmp_path / "present", tmp_path / "config"
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    command = present.lab_command(root, 8899, config)
    assert command[1:4] == ["-m", "jupyter", "lab"]
    for flag in [f"--ServerApp.root_dir={root}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port=8899",
                 "--ServerApp.port_retries=0", "--LabApp.news_url=",
                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                 f"--LabApp.workspaces_dir={config / 'workspaces'}", "--LabApp.default_url=/lab/tree/00_setup.ipynb"]:
        assert flag in command
    assert "--allow-root" not in command and "--no-browser" not in command
    assert not any("token" in part.lower() for part in command), "the token stays out of the process list"

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert "--allow-root" in present.lab_command(root, 8899, config, open_browser=False)
    assert "--no-browser" in present.lab_command(root, 8899, config, open_browser=False)

    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/somewhere/else")
    environment = present.lab_environment("a-token", config)
    assert environment["JUPYTER_TOKEN"] == "a-token"
    assert environment["JUPYTER_CONFIG_PATH"] == os.pathsep.join([str(config), "/somewhere/else"])
    # The user's own config folder stays theirs: ours is only added in front of it.
    assert environment.get("JUPYTER_CONFIG_DIR") == os.environ.get("JUPYTER_CONFIG_DIR")


def test_the_news_toast_is_off_and_the_users_own_config_still_counts(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """JupyterLab's page config, as it reads it: ours disables the announcements; the user's
    own (in JUPYTER_CONFIG_DIR) still applies and is not written."""
    user = tmp_path / "user-config"
    (user / "labconfig").mkdir(parents=True)
    users_page_config = json.dumps({"disabledExtensions": {"some-extension": True}})
    (user / "labconfig" / "page_config.json").write_text(users_page_config)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(user))
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    assert ANNOUNCEMENTS not in get_static_page_config().get("disabledExtensions", {})

    config = present.write_lab_config(tmp_path / "present-config")
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", present.lab_environment("t", config)["JUPYTER_CONFIG_PATH"])
    disabled = get_static_page_config()["disabledExtensions"]
    assert disabled[ANNOUNCEMENTS] is True and disabled["some-extension"] is True
    assert (user / "labconfig" / "page_config.json").read_text() == users_page_config
    assert list((config / "workspaces").iterdir()) == []


def test_a_busy_port_stops_it_before_the_copies_move(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    """A JupyterLab still serving the last copies would autosave over fresh ones: refuse first."""
    monkeypatch.setattr(present, "PRESENT_DIR", tmp_path / "present")
    for step in ("start_backend", "prepare_copies", "write_lab_config"):
        monkeypatch.setattr(present, step, lambda *a, step=step: pytest.fail(f"{step} ran on a busy port"))
    (tmp_path / "present").mkdir()
    (tmp_path / "present" / "mine.ipynb").write_text("{}")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert present.main(["--port", str(busy.getsockname()[1]), "--no-browser"]) == 1
    assert "is in use" in capsys.readouterr().err
    assert (tmp_path / "present" / "mine.ipynb").exists()


def test_make_present_passes_port_and_token() -> None:
    dry_run = subprocess.run(["make", "--dry-run", "--no-print-directory", "present", "PORT=8899", "TOKEN=t0ken"],
                             cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    [line] = [line for line in dry_run.splitlines() if "-m helpers.present" in line]
    assert line.endswith("-m helpers.present --port 8899") and line.startswith("JUPYTER_TOKEN='t0ken' ")
