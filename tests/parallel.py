"""How `make test` spreads the suite over its two pytest-xdist workers (`-n 2 --dist loadfile`).

Each worker is a pytest session of its own (its own emulators, its own Chromium) and takes
whole units of work, one test file each as with plain loadfile (so a module-scoped fixture,
such as nbval's one run of every notebook or papermill's runs, starts once), except:
- the JupyterLab test files, those whose tests or fixtures ask for the JupyterLab fixtures
  (tests/browser/conftest.py), form one unit, to share one JupyterLab server and page; it goes
  out first, so one worker starts it at once;
- tests/reliability forms one unit: its session fixture `idle_connection` is opened at its
  first test and idles while the others run, until test_keep_alive.py, which runs late.
The JupyterLab tests, the longest unit, mostly wait on a browser, a server and kernels; they
run beside the rest, which mostly uses the CPU.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

JUPYTERLAB_FIXTURES = {"jupyterlab", "lab_page", "open_notebook"}
JUPYTERLAB_UNIT = "the JupyterLab tests"
ONE_UNIT_FOLDERS = ("tests/reliability/",)


@cache
def uses_jupyterlab(test_file: Path) -> bool:
    """Whether a function of the file (a test or a fixture) asks for a JupyterLab fixture; read
    from its source, since xdist's controller knows the tests by their ids alone."""
    tree = ast.parse(test_file.read_text())
    return any(arg.arg in JUPYTERLAB_FIXTURES for node in ast.walk(tree)
               if isinstance(node, ast.FunctionDef) for arg in node.args.args)


def unit_of(test_file: str, root: Path) -> str:
    """The unit of work of a test file (its path from the repository's root)."""
    if test_file.startswith("tests/browser/") and uses_jupyterlab(root / test_file):
        return JUPYTERLAB_UNIT
    return next((folder for folder in ONE_UNIT_FOLDERS if test_file.startswith(folder)), test_file)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: without xdist it is never called
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """--dist loadfile over unit_of's units; other --dist modes as xdist makes them."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class UnitScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(super()._split_scope(nodeid), config.rootpath)

        def _assign_work_unit(self, node: object) -> None:
            if JUPYTERLAB_UNIT in self.workqueue:
                self.workqueue.move_to_end(JUPYTERLAB_UNIT, last=False)
            super()._assign_work_unit(node)

    return UnitScheduling(config, log)
