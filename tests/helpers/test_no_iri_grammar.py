"""The processes that read notebooks never compile rfc3987-syntax's grammars, and jsonschema
keeps checking the other formats."""

from __future__ import annotations

import subprocess
import sys

import jsonschema
import pytest


def test_this_test_process_skipped_the_grammar() -> None:
    # pytest loads helpers.no_iri_grammar as a plugin (pyproject.toml), before nbval imports nbformat.
    assert sys.modules.get("rfc3987_syntax", "never imported") is None


@pytest.mark.parametrize("entry", ["helpers.run_notebooks", "helpers.papermill_runs"])
def test_the_runner_skips_the_grammar(entry: str) -> None:
    probe = f"import sys, {entry}, nbformat, papermill; print(sys.modules.get('rfc3987_syntax', 'never imported'))"
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "None"


def test_jsonschema_still_checks_other_formats() -> None:
    checker = jsonschema.FormatChecker()
    assert "iri" not in checker.checkers
    assert not checker.conforms("not-an-email", "email") and checker.conforms("ada@example.com", "email")
