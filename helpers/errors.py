"""Errors a notebook reader can act on."""

from __future__ import annotations


class ReadableError(Exception):
    """IPython shows these as their one-line message, not a traceback: the message says what
    to do, and the traceback would only hide it."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]
