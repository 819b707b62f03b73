"""What a committed notebook must not contain, and the cleaning that keeps its diffs small.

Committed notebooks keep their outputs so readers see results without running anything. They
must carry no stderr, no errors, no usable credential (session JWTs, session tokens, ISTs,
project secrets) and no widget state, whose model IDs change on every run.
"""

from __future__ import annotations

import json
import re

from nbformat import NotebookNode

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
# A 44-character opaque token (43 or 44 URL-safe base64 characters, maybe padded) right after
# a session-token or IST key, in any quoting that JSON, reprs, print() or HTML escaping produce.
TOKEN_AFTER_KEY = re.compile(
    r"(?:session_token|intermediate_session_token|session_jwt)(?:[\"'\\]|&quot;|&#x27;)*\s*[:=]\s*"
    r"(?:[\"'\\]|&quot;|&#x27;)*[A-Za-z0-9_-]{43,44}=?(?![A-Za-z0-9_=-])"
)
PROJECT_SECRET = re.compile(r"secret-(?:test|live)-[A-Za-z0-9_-]+")


def _texts(cell: NotebookNode) -> list[str]:
    texts = [cell.get("source", "")]
    for output in cell.get("outputs", []):
        texts.append(output.get("text", ""))
        texts += [output.get("ename", ""), output.get("evalue", ""), *output.get("traceback", [])]
        texts += [v if isinstance(v, str) else json.dumps(v) for v in output.get("data", {}).values()]
    return texts


def problems(nb: NotebookNode) -> list[str]:
    """Everything in `nb` that must not be committed, one readable line each."""
    found = []
    if "widgets" in nb.get("metadata", {}):
        found.append("notebook metadata holds widget state")
    if "papermill" in nb.get("metadata", {}):
        found.append("notebook metadata holds papermill's run record")
    for index, cell in enumerate(nb.cells):
        where = f"cell {index}"
        if {"papermill", "execution"} & set(cell.get("metadata", {})):
            found.append(f"{where}: execution timing metadata")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append(f"{where}: stderr output: {output.get('text', '')[:120]!r}")
            if output.get("output_type") == "error":
                found.append(f"{where}: error output: {output.get('ename')}: {output.get('evalue')}")
            if WIDGET_STATE in output.get("data", {}):
                found.append(f"{where}: widget state in an output")
        text = "\n".join(_texts(cell))
        if JWT.search(text):
            found.append(f"{where}: a JWT")
        if TOKEN_AFTER_KEY.search(text):
            found.append(f"{where}: a full session token or intermediate session token")
        if PROJECT_SECRET.search(text):
            found.append(f"{where}: a project secret")
    return found


def clean(nb: NotebookNode) -> NotebookNode:
    """Drop what changes on every run without meaning anything: papermill's and nbclient's
    timing metadata and empty tag lists, widget state, and widget views whose models are
    not saved (the text/plain fallback next to them stays)."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]  # papermill adds empty tag lists
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
    return nb
