"""Whatever arrives, every route answers in Stytch's error shape with a 4xx, never a 500: each
field of each request body is replaced in turn by values of the wrong type or shape, and path
parameters by awkward strings. The routes come from the emulator's own OpenAPI document."""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest
import requests

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorServer
from emulator_steps import Tenant

WRONG_VALUES: list[Any] = [None, 0, -1, 10**30, 3.5, True, "", "x" * 10_000, "\u0000\ud7ff☃", [], ["a"], {}, {"a": 1}]
AWKWARD_IDS = ["organization-test-00000000-0000-4000-8000-000000000000", "a%2Fb", "%E2%98%83", "x" * 2000, "%2E%2E", "null"]


def _routes(server: EmulatorServer) -> Iterator[tuple[str, str, dict]]:
    spec = requests.get(f"{server.url}/emulator/v1/openapi.json", timeout=5).json()
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            yield method.upper(), path, _body_fields(spec, operation)


def _body_fields(spec: dict, operation: dict) -> dict[str, bool]:
    """The body's fields, each with whether it is required."""
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    required = set(schema.get("required", []))
    return {name: name in required for name in schema.get("properties", {})}


def _requests(server: EmulatorServer, real: dict[str, str]) -> Iterator[tuple[str, str, Any]]:
    """Each distinct request once. Real IDs where a request names one, so the wrong values
    also reach the models; the DELETE routes last, so the real organization and member live
    until then."""
    seen: set[tuple[str, str, str]] = set()
    for method, path, body in _candidates(server, real):
        key = (method, path, json.dumps(body, sort_keys=True))
        if key not in seen:  # a route without path parameters comes out once per awkward ID
            seen.add(key)
            yield method, path, body


def _candidates(server: EmulatorServer, real: dict[str, str]) -> Iterator[tuple[str, str, Any]]:
    for method, path, fields in sorted(_routes(server), key=lambda route: route[0] == "DELETE"):
        for awkward in [None, *AWKWARD_IDS]:
            concrete = path
            while "{" in concrete:
                start, end = concrete.index("{"), concrete.index("}")
                name = concrete[start + 1:end]
                concrete = concrete[:start] + (awkward or real.get(name, "x")) + concrete[end + 1:]
            if method in ("GET", "DELETE"):
                yield method, concrete, None
                continue
            # Only what must be there, valid: then each wrong value alone reaches the models.
            baseline = {name: real.get(name, "value") for name, required in fields.items()
                        if required or name in real}
            yield method, concrete, baseline
            for name in fields:
                for wrong in WRONG_VALUES:
                    yield method, concrete, {**baseline, name: wrong}
            for body in ([], "text", 7, None):
                yield method, concrete, body


@pytest.fixture
def session(control) -> requests.Session:
    http = requests.Session()
    http.auth = (DEMO_PROJECT_ID, DEMO_SECRET)
    return http


def test_no_input_makes_a_route_fail_with_500(
    emulator_server: EmulatorServer, session: requests.Session, tenant: Tenant
) -> None:
    ist = tenant.ist()
    real = {"organization_id": tenant.organization_id, "member_id": tenant.member_id,
            "organization_ids": [tenant.organization_id], "email_address": tenant.email,
            "project_id": DEMO_PROJECT_ID, "intermediate_session_token": ist}
    checked = 0
    for method, path, body in _requests(emulator_server, real):
        answer = session.request(method, emulator_server.url + path, json=body, timeout=10)
        payload = answer.json()
        where = f"{method} {path} {str(body)[:200]}"
        assert answer.status_code < 500, f"{where} -> {answer.status_code} {payload}"
        assert payload["status_code"] == answer.status_code and payload["request_id"], where
        if answer.status_code >= 400:
            assert payload["error_type"] and payload["error_message"] and payload["error_url"], where
        checked += 1
    assert checked > 2000, checked  # the OpenAPI document really listed the routes
