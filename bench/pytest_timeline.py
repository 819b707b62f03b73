"""A pytest plugin for bench/bench_tests.py: when each test's setup, call and teardown started
and stopped, and on which xdist worker, written as JSON lines to $PYTEST_TIMELINE.

    PYTEST_TIMELINE=timeline.jsonl python -m pytest -p bench.pytest_timeline ...

Under xdist the workers' reports reach the controller, which writes them all.
"""

from __future__ import annotations

import json
import os

import pytest

_records: list[dict] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    node = getattr(report, "node", None)  # xdist: the WorkerController that ran the test
    _records.append({
        "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome,
        "start": report.start, "stop": report.stop,
        "worker": node.gateway.id if node is not None else "main",
    })


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("PYTEST_TIMELINE")
    if path and not hasattr(session.config, "workerinput"):  # the controller (or a serial run)
        with open(path, "w") as out:
            out.writelines(json.dumps(record) + "\n" for record in _records)
