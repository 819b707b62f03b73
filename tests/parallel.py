"""How `make test` spreads the suite over its two pytest-xdist workers (`-n 2 --dist loadfile`).

Each worker is a pytest session of its own (its own emulators, its own Chromium) and takes
whole units of work, one test file each as with plain loadfile (so a module-scoped fixture,
such as nbval's one run of every notebook or papermill's runs, starts once), except:
- the JupyterLab test files (tests/browser/*jupyterlab*.py) form one unit, to share one
  JupyterLab server and page (tests/browser/conftest.py); it goes out first, so one worker
  starts it at once;
- tests/reliability forms one unit: its session fixture `idle_connection` is opened at its
  first test and idles while the others run, until test_keep_alive.py, which runs late.
The JupyterLab tests, the longest unit, mostly wait on a browser, a server and kernels; they
run beside the rest, which mostly uses the CPU.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

JUPYTERLAB_TESTS = "tests/browser/*jupyterlab*.py"
ONE_UNIT_FOLDERS = ("tests/reliability/",)


def unit_of(test_file: str) -> str:
    """The unit of work a test file (a path from the repository's root) belongs to."""
    if PurePosixPath(test_file).match(JUPYTERLAB_TESTS):
        return JUPYTERLAB_TESTS
    return next((folder for folder in ONE_UNIT_FOLDERS if test_file.startswith(folder)), test_file)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: without xdist it is never called
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """--dist loadfile over unit_of's units; other --dist modes as xdist makes them."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class UnitScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(super()._split_scope(nodeid))

        def _assign_work_unit(self, node: object) -> None:
            if JUPYTERLAB_TESTS in self.workqueue:
                self.workqueue.move_to_end(JUPYTERLAB_TESTS, last=False)
            super()._assign_work_unit(node)

    return UnitScheduling(config, log)

