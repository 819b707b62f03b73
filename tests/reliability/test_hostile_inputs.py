"""No input can poison the store: every hostile value, by field type and by route, is refused
with 400 in Stytch's shape before anything is stored, and the reads that a stored one used to
break (members.get, members.search, organizations.search, a login) still answer. What Stytch
refuses (oversized or disguised emails and names) is refused too."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
import requests

from emulator import EmulatorControl, EmulatorServer
from reliability_steps import Tenant, magic_link_login

# By field type. Strings travel as JSON escapes (requests' json= is ASCII-only), as an attacker's would.
HOSTILE_TEXT = {
    "lone-high-surrogate": "x\ud800",
    "lone-low-surrogate": "\udfffy",
    "nul": "a\x00b",
    "oversized": "x" * 20_000,
}
HOSTILE_NUMBERS = {"NaN": "NaN", "Infinity": "Infinity", "-Infinity": "-Infinity", "overflow": "1e400",
                   "beyond-64-bits": str(10**30), "4300-digits": "9" * 4300}
DEEP = json.loads("[" * 40 + "]" * 40)

ORG = "{organization_id}"
MEMBER = "{member_id}"
# (method, path, the body a request needs, the fields that take text) for every route with a body.
ROUTES: list[tuple[str, str, dict[str, Any], list[str]]] = [
    ("POST", "/v1/b2b/organizations", {"organization_name": "Evil", "organization_slug": "evil"},
     ["organization_name", "organization_slug", "organization_logo_url", "organization_external_id"]),
    ("PUT", f"/v1/b2b/organizations/{ORG}", {}, ["organization_name", "organization_logo_url", "mfa_policy"]),
    ("POST", f"/v1/b2b/organizations/{ORG}/members", {"email_address": "eve@acme.test"},
     ["email_address", "name", "external_id", "mfa_phone_number"]),
    ("PUT", f"/v1/b2b/organizations/{ORG}/members/{MEMBER}", {}, ["name", "email_address", "external_id",
                                                                 "default_mfa_method"]),
    ("POST", "/v1/b2b/organizations/search", {}, ["cursor"]),
    ("POST", "/v1/b2b/organizations/members/search", {"organization_ids": [ORG]}, ["cursor"]),
    ("POST", "/v1/b2b/passwords/migrate", {"organization_id": ORG, "email_address": "eve@acme.test",
                                           "hash": "$2b$04$" + "a" * 53, "hash_type": "bcrypt"},
     ["hash", "name", "email_address"]),
    ("POST", "/v1/b2b/passwords/authenticate", {"organization_id": ORG, "email_address": "ada@acme.test",
                                                "password": "pw"}, ["password", "email_address", "organization_id"]),
    ("POST", "/v1/b2b/magic_links/email/login_or_signup", {"organization_id": ORG, "email_address": "ada@acme.test"},
     ["email_address", "login_redirect_url", "organization_id"]),
    ("POST", "/v1/b2b/magic_links/authenticate", {"magic_links_token": "t"}, ["magic_links_token"]),
    ("POST", "/v1/b2b/otps/sms/send", {"organization_id": ORG, "member_id": MEMBER},
     ["mfa_phone_number", "intermediate_session_token", "member_id", "locale"]),
    ("POST", "/v1/b2b/otps/sms/authenticate", {"organization_id": ORG, "member_id": MEMBER, "code": "123456"},
     ["code", "intermediate_session_token", "session_token"]),
    ("POST", "/v1/b2b/totp", {"organization_id": ORG, "member_id": MEMBER}, ["intermediate_session_token"]),
    ("POST", "/v1/b2b/totp/authenticate", {"organization_id": ORG, "member_id": MEMBER, "code": "123456"},
     ["code", "session_jwt"]),
    ("POST", "/v1/b2b/recovery_codes/recover", {"organization_id": ORG, "member_id": MEMBER, "recovery_code": "x"},
     ["recovery_code", "intermediate_session_token"]),
    ("POST", "/v1/b2b/recovery_codes/rotate", {"organization_id": ORG, "member_id": MEMBER}, ["member_id"]),
    ("POST", "/v1/b2b/sessions/authenticate", {"session_token": "t"}, ["session_token", "session_jwt"]),
    ("POST", "/v1/b2b/sessions/revoke", {}, ["member_session_id", "session_token"]),
    ("POST", "/v1/b2b/sessions/exchange", {"organization_id": ORG, "session_token": "t"}, ["session_token"]),
]
# Where a number (or any JSON value) can go, by route.
NUMBER_SLOTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("PUT", f"/v1/b2b/organizations/{ORG}/members/{MEMBER}", {}, "trusted_metadata"),
    ("PUT", f"/v1/b2b/organizations/{ORG}", {}, "trusted_metadata"),
    ("POST", "/v1/b2b/magic_links/authenticate", {"magic_links_token": "t"}, "session_duration_minutes"),
    ("POST", "/v1/b2b/organizations/search", {}, "limit"),
    ("POST", "/emulator/v1/clock/advance", {}, "seconds"),
    ("POST", "/emulator/v1/reset", {}, "seed"),
]


def _send(http: requests.Session, url: str, method: str, path: str, raw_body: str) -> requests.Response:
    return http.request(method, url + path, data=raw_body.encode(), headers={"Content-Type": "application/json"})


def _fill(template: Any, tenant: Tenant) -> Any:
    text = json.dumps(template).replace(ORG, tenant.organization_id).replace(MEMBER, tenant.member_id)
    return json.loads(text)


def _assert_refused(answer: requests.Response, where: str) -> None:
    body = answer.json()
    assert answer.status_code == 400 == body["status_code"], f"{where}: {answer.status_code} {body}"
    assert body["error_type"] and body["request_id"].startswith("request-id-test-"), where


def _assert_reads_answer(http: requests.Session, control: EmulatorControl, tenant: Tenant) -> None:
    """The reads that one poisoned record used to break, for everyone."""
    url, org = tenant.url, tenant.organization_id
    assert http.get(f"{url}/v1/b2b/organizations/{org}/member", params={"member_id": tenant.member_id}).status_code == 200
    assert http.post(f"{url}/v1/b2b/organizations/members/search", json={"organization_ids": [org]}).status_code == 200
    assert http.post(f"{url}/v1/b2b/organizations/search", json={}).status_code == 200
    assert magic_link_login(http, control, tenant)["member_authenticated"] is True


def test_hostile_text_in_every_text_field_is_refused(http: requests.Session, control: EmulatorControl,
                                                     tenant: Tenant) -> None:
    refused = 0
    for method, path, needed, fields in ROUTES:
        for field in fields:
            for name, value in HOSTILE_TEXT.items():
                body = {**_fill(needed, tenant), field: value}
                _assert_refused(_send(http, tenant.url, method, _fill(path, tenant), json.dumps(body)),
                                f"{method} {path} {field}={name}")
                refused += 1
    assert refused > 150
    print(f"{refused} hostile text values refused with 400")
    _assert_reads_answer(http, control, tenant)


def test_hostile_numbers_and_shapes_are_refused(http: requests.Session, control: EmulatorControl,
                                                tenant: Tenant) -> None:
    for method, path, needed, field in NUMBER_SLOTS:
        head = json.dumps(_fill(needed, tenant))[:-1]
        head = head + ", " if needed else "{"
        for name, literal in HOSTILE_NUMBERS.items():
            inner = f'{{"n": {literal}}}' if field == "trusted_metadata" else literal
            _assert_refused(_send(http, tenant.url, method, _fill(path, tenant), f'{head}"{field}": {inner}}}'),
                            f"{method} {path} {field}={name}")
        _assert_refused(_send(http, tenant.url, method, _fill(path, tenant),
                              json.dumps({**_fill(needed, tenant), field: DEEP})), f"{path} {field} deep")
    assert control.clock()["offset_seconds"] == 0
    _assert_reads_answer(http, control, tenant)


@pytest.mark.parametrize(("filter_name", "value"), [
    ("member_ids", 5), ("member_emails", "ada@acme.test"), ("member_emails", [None]), ("statuses", {"a": 1}),
    ("member_is_breakglass", "true"), ("member_password_exists", None), ("member_email_fuzzy", ["ada"]),
    ("member_mfa_phone_numbers", True),
])
def test_a_search_filter_of_the_wrong_type_is_a_400(http: requests.Session, tenant: Tenant, filter_name: str,
                                                    value: Any) -> None:
    answer = http.post(f"{tenant.url}/v1/b2b/organizations/members/search", json={
        "organization_ids": [tenant.organization_id],
        "query": {"operator": "AND", "operands": [{"filter_name": filter_name, "filter_value": value}]}})
    _assert_refused(answer, filter_name)


@pytest.mark.parametrize("cursor", ["abc", "\u00b2", "\u0663", "-1", "9" * 4300, "1e3"])
def test_a_cursor_this_emulator_did_not_return_is_a_400(http: requests.Session, tenant: Tenant, cursor: str) -> None:
    for path, body in (("/v1/b2b/organizations/search", {}),
                       ("/v1/b2b/organizations/members/search", {"organization_ids": [tenant.organization_id]})):
        _assert_refused(http.post(tenant.url + path, json={**body, "cursor": cursor}), f"{path} {cursor[:9]}")


@pytest.mark.parametrize(("field", "value", "error_type"), [
    ("email_address", "a" * 65 + "@acme.test", "invalid_email"),
    ("email_address", "eve\x00@acme.test", "invalid_email"),
    ("email_address", "eve\u202e@acme.test", "invalid_email"),
    ("email_address", "ev\u200be@acme.test", "invalid_email"),
    ("email_address", "\u0130nci@acme.test", "invalid_email"),
    ("email_address", "i\u0307nci@acme.test", "invalid_email"),
    ("email_address", "eve@" + "a" * 250 + ".test", "invalid_email"),
    ("name", "n" * 256, "bad_request"),
    ("name", "Eve\u202eevE", "bad_request"),
    ("name", "Eve\x07", "bad_request"),
    ("name", "E\u200bve", "forbidden_character_zero_width_space"),
    ("external_id", "has space", "bad_request"),
])
def test_what_stytch_refuses_is_not_stored(http: requests.Session, tenant: Tenant, field: str, value: str,
                                           error_type: str) -> None:
    """Oversized and disguised emails and names (Stytch's limits, or the README's)."""
    members = f"{tenant.url}/v1/b2b/organizations/{tenant.organization_id}/members"
    body = {"email_address": "eve@acme.test", field: value}
    answer = http.post(members, json=body)
    assert (answer.status_code, answer.json()["error_type"]) == (400, error_type), answer.json()
    found = http.post(f"{tenant.url}/v1/b2b/organizations/members/search",
                      json={"organization_ids": [tenant.organization_id]}).json()
    assert [m["email_address"] for m in found["members"]] == [tenant.email]


@pytest.mark.parametrize("size", [1_000_000, 10_000_000], ids=["1MB", "10MB"])
def test_megabyte_emails_and_names_are_refused_unread(http: requests.Session, tenant: Tenant, size: int) -> None:
    """Over the body limit: 413, and nothing stored."""
    members = f"{tenant.url}/v1/b2b/organizations/{tenant.organization_id}/members"
    for body in ({"email_address": "e" * size + "@acme.test"}, {"email_address": "eve@acme.test", "name": "n" * size}):
        answer = http.post(members, json=body)
        assert (answer.status_code, answer.json()["error_type"]) == (413, "request_too_large")
    assert http.get(f"{members[:-1]}", params={"email_address": "eve@acme.test"}).status_code == 404


def test_emails_that_differ_only_in_ascii_case_are_one_member(http: requests.Session, tenant: Tenant) -> None:
    members = f"{tenant.url}/v1/b2b/organizations/{tenant.organization_id}/members"
    answer = http.post(members, json={"email_address": "ADA@Acme.Test"})
    assert (answer.status_code, answer.json()["error_type"]) == (400, "duplicate_member_email")
    found = http.get(f"{members[:-1]}", params={"email_address": "Ada@ACME.test"}).json()
    assert found["member_id"] == tenant.member_id


def test_reads_answer_even_if_the_store_holds_poison(emulator_server: EmulatorServer, http: requests.Session,
                                                     control: EmulatorControl, tenant: Tenant) -> None:
    """A store written by an older emulator may hold a lone surrogate or NaN: every read still
    answers, with U+FFFD and null in their place."""
    with sqlite3.connect(emulator_server.db_path) as db:
        where = "WHERE kind='member' AND id=?"
        member = json.loads(db.execute(f"SELECT data FROM records {where}", (tenant.member_id,)).fetchone()[0])
        poisoned = json.dumps({**member, "name": "x\ud800", "trusted_metadata": {"n": float("nan")}})
        db.execute(f"UPDATE records SET data=? {where}", (poisoned, tenant.member_id))
    _assert_reads_answer(http, control, tenant)
    read = http.get(f"{tenant.url}/v1/b2b/organizations/{tenant.organization_id}/member",
                    params={"member_id": tenant.member_id}).json()["member"]
    assert read["name"].startswith("x\ufffd") and read["trusted_metadata"] == {"n": None}
