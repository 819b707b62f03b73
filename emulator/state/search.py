"""Stytch's search queries (organizations.search, organizations.members.search): each filter's
field, the JSON type its `filter_value` must have, and offset pagination."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from emulator.errors import StytchAPIError
from emulator.store import Match

DEFAULT_LIMIT = 100
FUZZY_MINIMUM = 3  # "All fuzzy search filters require a minimum of three characters." (SDK docstring)
_CURSOR = re.compile(r"[0-9]{1,9}")

_EXPECTED = {list: "expected_array_of_strings", str: "expected_string", bool: "expected_boolean"}
_DESCRIBED = {list: "an array of strings", str: "a string", bool: "a boolean"}


@dataclass(frozen=True)
class Filter:
    """A search filter: the record field it matches (a store column or a JSON path), how
    (`Match.op`), and the type of its value. `fold` lowercases the values (emails); `resolve`
    turns the values into others first (member emails into organization IDs)."""

    field: str
    op: str
    expects: type
    fold: bool = False
    resolve: Callable[[list[str]], list[str]] | None = None


def _well_typed(value: Any, expects: type) -> bool:
    if expects is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return type(value) is expects


def matches(prefix: str, filters: dict[str, Filter], operands: list[dict[str, Any]]) -> list[Match]:
    """The store conditions for a query's operands; Stytch's `<prefix>_search_...` error for an
    unknown filter, a value of the wrong type, or a fuzzy value that is too short."""
    found = []
    for operand in operands:
        name, value = operand.get("filter_name"), operand.get("filter_value")
        spec = filters.get(name)
        if spec is None:
            raise StytchAPIError(f"{prefix}_search_filter_name_not_recognized", f"Unknown {prefix} search filter {name!r}.")
        if not _well_typed(value, spec.expects):
            raise StytchAPIError(f"{prefix}_search_{_EXPECTED[spec.expects]}",
                                 f"The filter_value of {name} must be {_DESCRIBED[spec.expects]}.")
        if spec.op == "contains" and len(value) < FUZZY_MINIMUM:
            raise StytchAPIError(f"{prefix}_search_{name}_too_short",
                                 f"{name} needs at least {FUZZY_MINIMUM} characters.")
        if spec.fold:
            value = [v.lower() for v in value]
        if spec.resolve:
            value = spec.resolve(value)
        found.append(Match(spec.field, spec.op, value))
    return found


def offset(cursor: str | None) -> int:
    """The cursor is the offset this emulator returned as `next_cursor`."""
    if not cursor:
        return 0
    if not _CURSOR.fullmatch(cursor):
        raise StytchAPIError("bad_request", "cursor is not a next_cursor this emulator returned.")
    return int(cursor)


def results_metadata(total: int, start: int, limit: int) -> dict[str, Any]:
    more = start + limit < total
    return {"total": total, "next_cursor": str(start + limit) if more else None}
