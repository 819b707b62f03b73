"""The raw HTTP contract, checked with `requests`: Stytch's error body on every failure,
credentials, route table, OpenAPI document, and the split between /v1 and /emulator/v1."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl, EmulatorServer

AUTH = (DEMO_PROJECT_ID, DEMO_SECRET)
JSON = {"Content-Type": "application/json"}
JWKS = ("GET", "/v1/b2b/sessions/jwks/{project_id}")
# The Stytch routes the workbook uses: the emulator must serve exactly these under /v1.
STYTCH_ROUTES = {
    ("POST", "/v1/b2b/organizations"),
    ("POST", "/v1/b2b/organizations/search"),
    ("GET", "/v1/b2b/organizations/{organization_id}"),
    ("PUT", "/v1/b2b/organizations/{organization_id}"),
    ("DELETE", "/v1/b2b/organizations/{organization_id}"),
    ("POST", "/v1/b2b/organizations/{organization_id}/members"),
    ("GET", "/v1/b2b/organizations/{organization_id}/member"),
    ("PUT", "/v1/b2b/organizations/{organization_id}/members/{member_id}"),
    ("DELETE", "/v1/b2b/organizations/{organization_id}/members/{member_id}"),
    ("DELETE", "/v1/b2b/organizations/{organization_id}/members/mfa_phone_numbers/{member_id}"),
    ("DELETE", "/v1/b2b/organizations/{organization_id}/members/{member_id}/totp"),
    ("POST", "/v1/b2b/organizations/members/search"),
    ("POST", "/v1/b2b/passwords/migrate"),
    ("POST", "/v1/b2b/passwords/authenticate"),
    ("POST", "/v1/b2b/magic_links/email/login_or_signup"),
    ("POST", "/v1/b2b/magic_links/authenticate"),
    ("POST", "/v1/b2b/otps/sms/send"),
    ("POST", "/v1/b2b/otps/sms/authenticate"),
    ("POST", "/v1/b2b/totp"),
    ("POST", "/v1/b2b/totp/authenticate"),
    ("POST", "/v1/b2b/recovery_codes/recover"),
    ("GET", "/v1/b2b/recovery_codes/{organization_id}/{member_id}"),
    ("POST", "/v1/b2b/recovery_codes/rotate"),
    ("POST", "/v1/b2b/sessions/authenticate"),
    ("GET", "/v1/b2b/sessions"),
    ("POST", "/v1/b2b/sessions/revoke"),
    ("POST", "/v1/b2b/sessions/exchange"),
    JWKS,
}
# The frontend SDK's routes the guide's headless flows call (@stytch/vanilla-js 6.3.0), under /sdk/v1.
FRONTEND_ROUTES = {
    ("GET", "/sdk/v1/projects/bootstrap/{public_token}"),
    ("POST", "/sdk/v1/events"),
    ("POST", "/sdk/v1/b2b/magic_links/email/login_or_signup"),
    ("POST", "/sdk/v1/b2b/magic_links/authenticate"),
    ("POST", "/sdk/v1/b2b/passwords/authenticate"),
    ("POST", "/sdk/v1/b2b/otps/sms/send"),
    ("POST", "/sdk/v1/b2b/otps/sms/authenticate"),
    ("POST", "/sdk/v1/b2b/totp"),
    ("POST", "/sdk/v1/b2b/totp/authenticate"),
    ("POST", "/sdk/v1/b2b/recovery_codes/recover"),
    ("GET", "/sdk/v1/b2b/recovery_codes"),
    ("POST", "/sdk/v1/b2b/recovery_codes/rotate"),
    ("POST", "/sdk/v1/b2b/sessions/authenticate"),
    ("POST", "/sdk/v1/b2b/sessions/revoke"),
    ("GET", "/sdk/v1/b2b/organizations/members/me"),
    ("GET", "/sdk/v1/b2b/organizations/me"),
}
WITH_BODY = sorted(r for r in STYTCH_ROUTES if r[0] in ("POST", "PUT"))
NEED_CREDENTIALS = sorted(STYTCH_ROUTES - {JWKS})


def concrete(path: str) -> str:
    return path.format(organization_id="organization-test-x", member_id="member-test-x", project_id=DEMO_PROJECT_ID)


def assert_error(response: requests.Response, status: int, error_type: str) -> dict[str, Any]:
    """Stytch's error body: all five fields, the body's status equal to the HTTP status."""
    body = response.json()
    assert (response.status_code, body["status_code"], body["error_type"]) == (status, status, error_type), body
    assert body["request_id"].startswith("request-id-test-")
    assert isinstance(body["error_message"], str) and body["error_message"]
    assert body["error_url"] == f"https://stytch.com/docs/b2b/api/errors/{status}#{error_type}"
    return body


@pytest.fixture
def url(emulator_server: EmulatorServer, control: EmulatorControl) -> str:
    return emulator_server.url


@pytest.mark.parametrize(
    "raw",
    ['{"organization_name": ', "{'organization_name': 'single quotes'}", "[1, 2]", "null", "", "\xff"],
    ids=["truncated", "single-quotes", "array", "null", "empty", "not-utf8"],
)
def test_malformed_json_is_a_400(url: str, raw: str) -> None:
    """A body that is not a JSON object is bad_request, never 422 or 500."""
    response = requests.post(f"{url}/v1/b2b/organizations", data=raw.encode("latin-1"), headers=JSON, auth=AUTH)
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(("method", "path"), WITH_BODY)
def test_every_body_route_rejects_malformed_json(url: str, method: str, path: str) -> None:
    """Each POST/PUT route answers invalid JSON with 400 bad_request."""
    response = requests.request(method, url + concrete(path), data=b"{not json", headers=JSON, auth=AUTH)
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/b2b/organizations", {"organization_slug": "acme"}, "organization_name"),
        ("/v1/b2b/organizations", {"organization_name": 5, "organization_slug": "acme"}, "organization_name"),
        ("/v1/b2b/organizations", {"organization_name": "A", "organization_slug": "acme",
                                   "allowed_mfa_methods": "totp"}, "allowed_mfa_methods"),
        ("/v1/b2b/otps/sms/authenticate", {"organization_id": "o", "member_id": "m"}, "code"),
        ("/v1/b2b/sessions/authenticate", {"session_token": ["a", "b"]}, "session_token"),
        ("/v1/b2b/totp", {"organization_id": "o", "member_id": "m", "expiration_minutes": "soon"},
         "expiration_minutes"),
    ],
    ids=["missing", "number-for-string", "string-for-list", "missing-code", "list-for-string", "word-for-int"],
)
def test_missing_or_mistyped_fields_are_a_400(url: str, path: str, body: dict[str, Any], field: str) -> None:
    """Schema violations are bad_request and the message names the field."""
    response = requests.post(url + path, json=body, auth=AUTH)
    assert field in assert_error(response, 400, "bad_request")["error_message"]


def test_missing_query_parameters_are_a_400(url: str) -> None:
    """A GET without its required query parameters is bad_request."""
    response = requests.get(f"{url}/v1/b2b/sessions", params={"organization_id": "o"}, auth=AUTH)
    assert "member_id" in assert_error(response, 400, "bad_request")["error_message"]


@pytest.mark.parametrize("phone", ["415-555-0123", "+1415555012", "+10000000000", "14155550123"])
def test_a_bad_phone_number_is_a_400(url: str, phone: str) -> None:
    """Numbers that are not valid E.164 are invalid_phone_number."""
    org = requests.post(f"{url}/v1/b2b/organizations", json={"organization_name": "A", "organization_slug": "acme"},
                        auth=AUTH).json()["organization"]
    response = requests.post(f"{url}/v1/b2b/organizations/{org['organization_id']}/members",
                             json={"email_address": "ada@acme.test", "mfa_phone_number": phone}, auth=AUTH)
    assert_error(response, 400, "invalid_phone_number")


@pytest.mark.parametrize(
    ("method", "path", "error_type"),
    [
        ("GET", "/v1/b2b/organizations/organization-test-nope", "organization_not_found"),
        ("PUT", "/v1/b2b/organizations/organization-test-nope", "organization_not_found"),
        ("DELETE", "/v1/b2b/organizations/organization-test-nope", "organization_not_found"),
        ("GET", "/v1/b2b/organizations/acme/member?member_id=member-test-nope", "member_not_found"),
        ("PUT", "/v1/b2b/organizations/acme/members/member-test-nope", "member_not_found"),
        ("DELETE", "/v1/b2b/organizations/acme/members/member-test-nope", "member_not_found"),
        ("DELETE", "/v1/b2b/organizations/acme/members/mfa_phone_numbers/member-test-nope", "member_not_found"),
        ("DELETE", "/v1/b2b/organizations/acme/members/member-test-nope/totp", "member_not_found"),
        ("GET", "/v1/b2b/recovery_codes/acme/member-test-nope", "member_not_found"),
        ("GET", "/v1/b2b/sessions?organization_id=acme&member_id=member-test-nope", "member_not_found"),
        ("GET", "/v1/b2b/sessions/jwks/project-test-nope", "project_not_found"),
    ],
)
def test_unknown_ids_are_a_404(url: str, method: str, path: str, error_type: str) -> None:
    """An ID that names nothing is a 404 of the matching type."""
    requests.post(f"{url}/v1/b2b/organizations", json={"organization_name": "A", "organization_slug": "acme"},
                  auth=AUTH)
    response = requests.request(method, url + path, json={} if method == "PUT" else None, auth=AUTH)
    assert_error(response, 404, error_type)


@pytest.mark.parametrize(
    ("auth", "error_type"),
    [
        ((DEMO_PROJECT_ID, "secret-test-wrong"), "unauthorized_credentials"),
        (("project-test-someone-else", DEMO_SECRET), "unauthorized_credentials"),
        (None, "unauthorized_credentials"),
        (("project-live-00000000-0000-4000-8000-000000000000", "secret-live-x"), "unauthorized_project_id_live"),
    ],
    ids=["wrong-secret", "wrong-project", "no-credentials", "live-project"],
)
def test_bad_credentials_are_a_401(url: str, auth: tuple[str, str] | None, error_type: str) -> None:
    """Only the demo project's credentials are accepted; live IDs are refused outright."""
    response = requests.get(f"{url}/v1/b2b/organizations/acme", auth=auth)
    assert_error(response, 401, error_type)


def test_a_garbled_authorization_header_is_a_401(url: str) -> None:
    """An Authorization header that is not valid Basic auth is unauthorized, not a crash."""
    response = requests.get(f"{url}/v1/b2b/organizations/acme", headers={"Authorization": "Basic %%%not-base64"})
    assert_error(response, 401, "unauthorized_credentials")


@pytest.mark.parametrize(("method", "path"), NEED_CREDENTIALS)
def test_every_stytch_route_requires_credentials(url: str, method: str, path: str) -> None:
    """Every /v1 route but the JWKS refuses a request without Basic auth."""
    response = requests.request(method, url + concrete(path), json={} if method in ("POST", "PUT") else None)
    assert_error(response, 401, "unauthorized_credentials")


def test_jwks_is_served_without_credentials(url: str) -> None:
    """PyJWKClient sends no Authorization header, so the JWKS route must not need one."""
    response = requests.get(url + concrete(JWKS[1]))
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert (key["kty"], key["alg"], key["kid"][:9]) == ("RSA", "RS256", "jwk-test-")


@pytest.mark.parametrize("path", ["/v1/b2b/nothing", "/v1/b2b/organizations/acme/nothing", "/nothing", "/v1"])
def test_unknown_routes_are_a_404(url: str, path: str) -> None:
    """A path the emulator does not serve is route_not_found in Stytch's error shape."""
    assert_error(requests.get(url + path, auth=AUTH), 404, "route_not_found")


def test_a_wrong_method_is_a_405(url: str) -> None:
    """A known path with the wrong method is method_not_allowed, in Stytch's error shape."""
    assert_error(requests.delete(f"{url}/v1/b2b/organizations", auth=AUTH), 405, "method_not_allowed")


def test_openapi_lists_exactly_the_stytch_routes(url: str) -> None:
    """The OpenAPI document lists every Stytch route the workbook uses, backend and frontend,
    and no other /v1 or /sdk/v1 route."""
    paths = requests.get(f"{url}/emulator/v1/openapi.json").json()["paths"]
    served = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert {r for r in served if r[1].startswith("/v1/")} == STYTCH_ROUTES
    assert {r for r in served if r[1].startswith("/sdk/v1/")} == FRONTEND_ROUTES
    assert all(path.startswith(("/v1/b2b/", "/sdk/v1/", "/emulator/v1/")) for _, path in served)


def test_emulator_only_routes_are_never_under_v1(url: str) -> None:
    """Outbox, clock and reset live under /emulator/v1 and nowhere under /v1."""
    paths = requests.get(f"{url}/emulator/v1/openapi.json").json()["paths"]
    extras = {p for p in paths if not p.startswith(("/v1/b2b/", "/sdk/v1/"))}
    assert {"/emulator/v1/messages", "/emulator/v1/clock", "/emulator/v1/reset"} <= extras
    assert all(p.startswith("/emulator/v1/") for p in extras)
    for path in ("/v1/emulator/messages", "/v1/b2b/messages", "/v1/messages", "/v1/b2b/emulator/v1/clock"):
        assert_error(requests.get(url + path, auth=AUTH), 404, "route_not_found")
    assert requests.get(f"{url}/emulator/v1/health").json()["emulator"] == "stytch-b2b"
