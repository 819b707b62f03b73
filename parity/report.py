"""Compare two runs of the scenario and write the report (Markdown for people, JSON for tools).

Values that are random by nature (IDs, tokens, JWTs, secrets, QR codes, recovery codes,
timestamps, request IDs, this run's slug and email, the caller's device, human-readable
messages) are masked
before anything is compared or written: a report shows whether a field is there and whether
it is empty, never a credential.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parity.scenario import Observation

MASK = "<random>"
_RANDOM_KEYS = frozenset({
    "request_id", "secret", "qr_code", "recovery_codes", "session_token", "session_jwt",
    "intermediate_session_token", "organization_slug", "email_address", "error_message", "slug",
    "phone_id", "email_id", "totp_id", "totp_recovery_code_id", "sub", "id",
    "member_device",  # the caller's IP address and user agent, as Stytch saw them
})
_RANDOM_SUFFIXES = ("_id", "_at", "_token", "_jwt")
_NAMES = frozenset({"role_id"})  # "stytch_member": a name, not a random ID


def _is_random(key: str) -> bool:
    return key not in _NAMES and (key in _RANDOM_KEYS or key.endswith(_RANDOM_SUFFIXES))


def _mask(value: Any) -> Any:
    if value in ("", None, [], {}):
        return value  # empty versus set is part of the contract
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    return MASK


def normalize(body: Any, key: str = "") -> Any:
    """The body with random values masked; error_url reduced to its status and error type,
    since Stytch's docs have moved the page (the fragment is the contract)."""
    if _is_random(key):
        return _mask(body)
    if isinstance(body, dict):
        return {k: normalize(v, k) for k, v in body.items()}
    if isinstance(body, list):
        return [normalize(v, key) for v in body]
    if key == "error_url" and isinstance(body, str):
        found = re.search(r"/(\d{3})#(\w+)$", body)
        return f".../{found.group(1)}#{found.group(2)}" if found else MASK
    return body


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """{"member.roles[0].role_id": ..., ...}: one entry per leaf, so fields compare one by one."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, child in value.items():
            out.update(flatten(child, f"{path}.{key}" if path else key))
        return out
    if isinstance(value, list) and value:
        out = {}
        for index, child in enumerate(value):
            out.update(flatten(child, f"{path}[{index}]"))
        return out
    return {path: value} if path else {}


@dataclass
class StepComparison:
    step: str
    emulator: Observation
    stytch: Observation | None
    field_differences: list[str]

    @property
    def outcome_differs(self) -> bool:
        if self.stytch is None or self.stytch.skipped or self.emulator.skipped:
            return False
        return ((self.emulator.status_code, self.emulator.error_type)
                != (self.stytch.status_code, self.stytch.error_type))


def field_differences(emulator: Observation, stytch: Observation) -> list[str]:
    ours, theirs = flatten(normalize(emulator.body)), flatten(normalize(stytch.body))
    differences = []
    for path in sorted(set(ours) | set(theirs)):
        if path not in theirs:
            differences.append(f"`{path}` only on the emulator")
        elif path not in ours:
            differences.append(f"`{path}` only on Stytch ({json.dumps(theirs[path])})")
        elif ours[path] != theirs[path]:
            differences.append(f"`{path}`: emulator {json.dumps(ours[path])}, Stytch {json.dumps(theirs[path])}")
    return differences


def compare(emulator: list[Observation], stytch: list[Observation] | None) -> list[StepComparison]:
    theirs = {o.step: o for o in stytch or []}
    comparisons = []
    for ours in emulator:
        other = theirs.get(ours.step)
        usable = other is not None and not other.skipped and not ours.skipped
        comparisons.append(StepComparison(ours.step, ours, other, field_differences(ours, other) if usable else []))
    return comparisons


def _outcome(observation: Observation | None) -> str:
    if observation is None:
        return "not run"
    if observation.skipped:
        return f"skipped: {observation.skipped}"
    return f"{observation.status_code} {observation.error_type or 'ok'}"


def render_markdown(comparisons: list[StepComparison], stytch_note: str) -> str:
    differing = sum(c.outcome_differs for c in comparisons)
    with_fields = sum(bool(c.field_differences) for c in comparisons)
    lines = [
        "# Parity report: the emulator and Stytch, step by step",
        "",
        stytch_note,
        "",
        f"{len(comparisons)} steps; {differing} differ in status or error type; "
        f"{with_fields} differ in response fields. Random values are masked as `{MASK}`.",
        "",
        "| # | step | emulator | Stytch | differs |",
        "| --- | --- | --- | --- | --- |",
    ]
    for number, c in enumerate(comparisons, 1):
        mark = "**outcome**" if c.outcome_differs else ("fields" if c.field_differences else "")
        lines.append(f"| {number} | {c.step} | {_outcome(c.emulator)} | {_outcome(c.stytch)} | {mark} |")
    for number, c in enumerate(comparisons, 1):
        if c.field_differences:
            lines += ["", f"## {number}. {c.step}", "", *[f"- {d}" for d in c.field_differences]]
    return "\n".join(lines) + "\n"


def _as_json(observation: Observation | None) -> dict[str, Any] | None:
    if observation is None:
        return None
    return {"status_code": observation.status_code, "error_type": observation.error_type,
            "skipped": observation.skipped, "body": normalize(observation.body)}


def write(out_dir: Path, comparisons: list[StepComparison], stytch_note: str) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown, data = out_dir / "report.md", out_dir / "report.json"
    markdown.write_text(render_markdown(comparisons, stytch_note))
    data.write_text(json.dumps({
        "stytch": stytch_note,
        "steps": [{"step": c.step, "emulator": _as_json(c.emulator), "stytch": _as_json(c.stytch),
                   "outcome_differs": c.outcome_differs, "field_differences": c.field_differences}
                  for c in comparisons],
    }, indent=2) + "\n")
    return markdown, data
