"""Searching organizations and members: the filters of organizations.search and
organizations.members.search. Kept apart from both models because each filter may look at
the other (an organization is found by its members' emails)."""

from __future__ import annotations

from typing import Any

from emulator.errors import StytchAPIError
from emulator.state import Context, members, organizations
from emulator.store import Record


def _combine(operator: str):
    return any if operator == "OR" else all


def organizations_matching(ctx: Context, operator: str, operands: list[dict[str, Any]]) -> list[Record]:
    def matches(org: Record, operand: dict[str, Any]) -> bool:
        name, value = operand.get("filter_name"), operand.get("filter_value")
        if name == "organization_ids":
            return org["organization_id"] in value
        if name == "organization_slugs":
            return org["organization_slug"] in value
        if name == "organization_name_fuzzy":
            return str(value).lower() in org["organization_name"].lower()
        if name == "organization_slug_fuzzy":
            return str(value).lower() in org["organization_slug"].lower()
        if name == "member_emails":
            emails = {m["email_address"].lower() for m in members.all_in(ctx, org["organization_id"])}
            return bool(emails & {v.lower() for v in value})
        raise StytchAPIError(
            "organization_search_filter_name_not_recognized",
            f"Unknown organization search filter {name!r}.",
        )

    orgs = organizations.all_organizations(ctx)
    if not operands:
        return orgs
    combine = _combine(operator)
    return [org for org in orgs if combine(matches(org, op) for op in operands)]


def members_matching(
    ctx: Context, organization_ids: list[str], operator: str, operands: list[dict[str, Any]]
) -> list[Record]:
    if not organization_ids:
        raise StytchAPIError("member_search_organization_ids_empty", "organization_ids must not be empty.")

    def matches(member: Record, operand: dict[str, Any]) -> bool:
        name, value = operand.get("filter_name"), operand.get("filter_value")
        if name == "member_ids":
            return member["member_id"] in value
        if name == "member_emails":
            return member["email_address"].lower() in {v.lower() for v in value}
        if name == "member_email_fuzzy":
            return str(value).lower() in member["email_address"].lower()
        if name == "member_mfa_phone_numbers":
            return member["mfa_phone_number"] in value
        if name == "member_is_breakglass":
            return member["is_breakglass"] is bool(value)
        if name == "statuses":
            return member["status"] in value
        if name == "member_password_exists":
            return bool(member["member_password_id"]) is bool(value)
        raise StytchAPIError(
            "member_search_filter_name_not_recognized", f"Unknown member search filter {name!r}."
        )

    combine = _combine(operator)
    found = []
    for organization_id in organization_ids:
        org = organizations.get(ctx, organization_id)
        found += [
            m for m in members.all_in(ctx, org["organization_id"])
            if not operands or combine(matches(m, op) for op in operands)
        ]
    return found
