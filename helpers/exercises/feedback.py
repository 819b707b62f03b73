"""What a check, a hint and a solution show: a mime bundle with an HTML view and a text/plain
twin of the same content (the one nbval compares). Values the learner's function returned are
shown shortened where they could be a token, so a committed output never holds one whole."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpers.exercises.exercise import Report

MARKS = {"pass": "✓", "fail": "✗", "skip": "–"}
COLORS = {"pass": "#1e7b34", "fail": "#b3261e", "skip": "#5f6368"}
_OPAQUE_LENGTH = 32  # a string this long without a space may be a token: show its start only


def short(value: Any) -> str:
    """A readable repr: long opaque strings (tokens, JWTs, IDs) shortened, long reprs cut."""
    if isinstance(value, str):
        if len(value) >= _OPAQUE_LENGTH and not any(c.isspace() for c in value):
            return repr(value[:6] + "…")
        return repr(value)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(short(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{short(k)}: {short(v)}" for k, v in value.items()) + "}"
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _bundle(plain: str, body: str, color: str = "#5f6368") -> dict[str, str]:
    return {
        "text/plain": plain,
        "text/html": f"<div style='border-left:4px solid {color};padding:0.3em 0.8em'>{body}</div>",
    }


def _headline(report: "Report") -> tuple[str, str]:
    """(status, text) of the report's first line."""
    name = report.function_name
    total = len(report.outcomes)
    passed = sum(o.status == "pass" for o in report.outcomes)
    skipped = total - passed - len(report.failures())
    if report.stub and not report.checked_reference:
        return "fail", (f"{name} is still the stub: write your code in its cell, run that cell, then "
                        f"run this one again.")
    if report.passed:
        tail = f"; {skipped} skipped on a real project" if skipped else ""
        return "pass", f"Correct: {name} passes {passed} of {total} cases{tail}."
    if not report.failures():
        return "skip", f"Not checked: every case of {name} needs the emulator."
    return "fail", f"Not yet: {name} fails {len(report.failures())} of {total} cases."


def report_bundle(report: "Report") -> dict[str, str]:
    status, headline = _headline(report)
    plain, rich = [], []
    if report.checked_reference:
        note = (f"Checked the reference solution, because USE_SOLUTIONS is True and "
                f"{report.function_name} above is still the stub. Write yours above and run this "
                f"cell to check it; until then {report.function_name} names the reference, so the "
                f"cells below run.")
        plain.append(note)
        rich.append(f"<p><i>{html.escape(note)}</i></p>")
    plain.append(f"{MARKS[status]} {headline}")
    rich.append(f"<p style='color:{COLORS[status]}'><b>{MARKS[status]} {html.escape(headline)}</b></p>")
    if not (report.stub and not report.checked_reference):
        items = []
        for outcome in report.outcomes:
            line = f"{MARKS[outcome.status]} {outcome.case}" + (f": {outcome.detail}" if outcome.detail else "")
            plain.append(f"  {line}")
            # The mark and the case in the outcome's colour; the detail in the theme's text colour.
            items.append(f"<li style='list-style:none'><span style='color:{COLORS[outcome.status]}'>"
                         f"{MARKS[outcome.status]} {html.escape(outcome.case)}</span>"
                         + (f"<div style='margin-left:1.2em'>{html.escape(outcome.detail)}</div>"
                            if outcome.detail else "")
                         + "</li>")
        rich.append(f"<ul style='padding-left:0.4em;margin:0'>{''.join(items)}</ul>")
    if status == "fail":
        help_line = f"Stuck? {report.label}.hint() gives a hint; {report.label}.solution() shows an answer."
        plain.append(help_line)
        rich.append(f"<p><small>{html.escape(help_line)}</small></p>")
    return _bundle("\n".join(plain), "".join(rich), COLORS[status])


def hint_bundle(label: str, hints: tuple[str, ...], n: int) -> dict[str, str]:
    n = min(max(n, 1), len(hints))
    more = f" ({label}.hint({n + 1}) for another)" if n < len(hints) else ""
    title = f"Hint {n} of {len(hints)}{more}"
    return _bundle(f"{title}\n{hints[n - 1]}",
                   f"<p><b>{html.escape(title)}</b></p><p>{html.escape(hints[n - 1])}</p>", "#1a73e8")


def code_bundle(title: str, source: str) -> dict[str, str]:
    """Markdown, so that JupyterLab highlights the code."""
    return {"text/plain": f"{title}\n\n{source}", "text/markdown": f"**{title}**\n\n```python\n{source}```\n"}
