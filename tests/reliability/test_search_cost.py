"""Searches and the outbox read through indexes: how many stored records a request decodes does
not grow with the data. (The time it takes, at 100 and 10,000 records: bench/bench_search.py.)

In process, on an app of its own: the test counts the JSON records the store decodes."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any, Callable

import httpx
import pytest

import emulator.store
from emulator import DEMO_PROJECT_ID
from emulator.state import Context, members, organizations, outbox
from reliability_steps import in_process

ORGS, MEMBERS_EACH, MESSAGES = 100, 5, 500
Call = Callable[..., httpx.Response]
PHONE = "+14155550123"


@pytest.fixture(scope="module")
def world() -> tuple[Call, list[str]]:
    ctx = Context.open(DEMO_PROJECT_ID, None)
    org_ids = []
    with ctx.store.transaction():
        for o in range(ORGS):
            org = organizations.create(ctx, f"Org {o}", f"org-{o}", {})
            org_ids.append(org["organization_id"])
            for m in range(MEMBERS_EACH):
                members.create(ctx, org["organization_id"], f"m{m}@org{o}.test")
        for n in range(MESSAGES):
            outbox.send(ctx, "sms", PHONE, f"{n:06d} is your code.", code=f"{n:06d}")
    call = in_process(ctx)
    return call, org_ids


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many member and message records the store decodes."""
    counts = {"member": 0, "message": 0}

    def loads(text: str) -> Any:
        record = json.loads(text)
        if isinstance(record, dict) and "message_id" in record:
            counts["message"] += 1
        elif isinstance(record, dict) and "member_id" in record and "email_address" in record:
            counts["member"] += 1
        return record

    monkeypatch.setattr(emulator.store, "json", SimpleNamespace(loads=loads, dumps=json.dumps))
    return counts


def test_a_member_search_by_email_across_organizations_reads_the_matches(world, decoded) -> None:
    call, org_ids = world
    answer = call("POST", "/v1/b2b/organizations/members/search", json={
        "organization_ids": org_ids,
        "query": {"operator": "AND", "operands": [{"filter_name": "member_emails", "filter_value": ["M3@org42.test"]}]}})
    assert [m["email_address"] for m in answer.json()["members"]] == ["m3@org42.test"]
    assert decoded["member"] <= 1


def test_a_member_listing_across_organizations_reads_one_page(world, decoded) -> None:
    call, org_ids = world
    answer = call("POST", "/v1/b2b/organizations/members/search", json={"organization_ids": org_ids, "limit": 50}).json()
    assert answer["results_metadata"]["total"] == ORGS * MEMBERS_EACH and len(answer["members"]) == 50
    assert decoded["member"] <= 50


def test_an_organization_search_by_member_email_reads_no_member(world, decoded) -> None:
    call, org_ids = world
    answer = call("POST", "/v1/b2b/organizations/search", json={
        "query": {"operator": "AND", "operands": [{"filter_name": "member_emails", "filter_value": ["m3@org9.test"]}]}})
    assert [o["organization_slug"] for o in answer.json()["organizations"]] == ["org-9"]
    assert decoded["member"] == 0


def test_the_newest_message_to_a_phone_is_one_read(world, decoded) -> None:
    call, _ = world
    answer = call("GET", "/emulator/v1/messages", params={"to": PHONE, "channel": "sms", "limit": 1}).json()
    assert [m["code"] for m in answer["messages"]] == [f"{MESSAGES - 1:06d}"]
    assert decoded["message"] <= 1
