"""client.sessions through the official SDK: authenticate, get, revoke, exchange, JWKS and
local JWT verification."""

from __future__ import annotations

from typing import Callable

import jwt
import pytest
from stytch.b2b.models.magic_links import AuthenticateResponse

from emulator import DEMO_PROJECT_ID, EmulatorControl
from emulator_steps import Tenant, factor_types, stytch_error


@pytest.fixture
def login(optional_tenant: Tenant) -> AuthenticateResponse:
    """A logged-in member of an OPTIONAL organization (magic link only)."""
    return optional_tenant.magic_link()


@pytest.mark.parametrize("credential", ["session_token", "session_jwt"])
def test_authenticate_by_token_or_jwt(optional_tenant: Tenant, login: AuthenticateResponse, credential: str) -> None:
    """Either credential finds the session and answers with the session, member and a fresh JWT."""
    response = optional_tenant.client.sessions.authenticate(**{credential: getattr(login, credential)})
    assert response.member_session.member_session_id == login.member_session.member_session_id
    assert response.session_token == login.session_token
    assert factor_types(response.member_session) == ["magic_link"]
    assert (response.member.member_id, response.organization.organization_slug) == (optional_tenant.member_id, "optco")
    claims = jwt.decode(response.session_jwt, options={"verify_signature": False})
    assert claims["https://stytch.com/session"]["id"] == login.member_session.member_session_id


def test_an_expired_jwt_is_still_accepted_by_the_api(
    optional_tenant: Tenant, login: AuthenticateResponse, control: EmulatorControl
) -> None:
    """A JWT past its 5-minute exp still authenticates while the session lives, and is renewed."""
    control.advance_clock(400)
    old_exp = jwt.decode(login.session_jwt, options={"verify_signature": False})["exp"]
    response = optional_tenant.client.sessions.authenticate(session_jwt=login.session_jwt)
    assert response.member_session.member_session_id == login.member_session.member_session_id
    new_exp = jwt.decode(response.session_jwt, options={"verify_signature": False})["exp"]
    assert new_exp >= old_exp + 400


def test_authenticate_can_extend_the_session(optional_tenant: Tenant, login: AuthenticateResponse) -> None:
    """session_duration_minutes restarts the session's lifetime from now."""
    response = optional_tenant.client.sessions.authenticate(session_token=login.session_token,
                                                            session_duration_minutes=120)
    session = response.member_session
    assert (session.expires_at - session.last_accessed_at).total_seconds() == 120 * 60


def test_get_lists_active_sessions(optional_tenant: Tenant, login: AuthenticateResponse) -> None:
    """sessions.get lists the member's live sessions, and no revoked one."""
    second = optional_tenant.magic_link()
    listed = optional_tenant.client.sessions.get(**optional_tenant.ids).member_sessions
    ids = {s.member_session_id for s in listed}
    assert ids == {login.member_session.member_session_id, second.member_session.member_session_id}
    optional_tenant.client.sessions.revoke(session_token=second.session_token)
    listed = optional_tenant.client.sessions.get(**optional_tenant.ids).member_sessions
    assert [s.member_session_id for s in listed] == [login.member_session.member_session_id]


@pytest.mark.parametrize("form", ["member_session_id", "session_token", "session_jwt", "member_id"])
def test_revoke_in_each_form(optional_tenant: Tenant, login: AuthenticateResponse, form: str) -> None:
    """Each argument form revokes the session; member_id revokes all of the member's sessions."""
    other = optional_tenant.magic_link()
    values = {
        "member_session_id": login.member_session.member_session_id, "session_token": login.session_token,
        "session_jwt": login.session_jwt, "member_id": optional_tenant.member_id,
    }
    response = optional_tenant.client.sessions.revoke(**{form: values[form]})
    assert response.status_code == 200
    with stytch_error("session_not_found"):
        optional_tenant.client.sessions.authenticate(session_token=login.session_token)
    listed = optional_tenant.client.sessions.get(**optional_tenant.ids).member_sessions
    remaining = [s.member_session_id for s in listed]
    assert remaining == ([] if form == "member_id" else [other.member_session.member_session_id])


def test_exchange_into_an_optional_organization(
    make_tenant: Callable[..., Tenant], login: AuthenticateResponse
) -> None:
    """A magic-link session moves to another organization of the same email as a new session."""
    target = make_tenant(slug="sister", email="opt@optco.test", mfa_policy="OPTIONAL")
    moved = target.client.sessions.exchange(organization_id=target.organization_id, session_token=login.session_token)
    assert (moved.member_authenticated, moved.member_id) == (True, target.member_id)
    assert moved.member_session.organization_id == target.organization_id
    assert moved.member_session.member_session_id != login.member_session.member_session_id
    assert factor_types(moved.member_session) == ["magic_link"]


def test_exchange_into_an_organization_that_requires_mfa(
    make_tenant: Callable[..., Tenant], login: AuthenticateResponse
) -> None:
    """Exchanging into a REQUIRED_FOR_ALL organization yields an IST, not a session."""
    target = make_tenant(slug="strict", email="opt@optco.test")
    moved = target.client.sessions.exchange(organization_id="strict", session_jwt=login.session_jwt)
    assert (moved.member_authenticated, moved.session_token, moved.member_session) == (False, "", None)
    assert moved.intermediate_session_token and moved.mfa_required is not None


def test_get_jwks_serves_the_signing_key(optional_tenant: Tenant, login: AuthenticateResponse) -> None:
    """The JWKS holds one RS256 key whose kid signs the session JWTs."""
    keys = optional_tenant.client.sessions.get_jwks(project_id=DEMO_PROJECT_ID).keys
    assert len(keys) == 1
    key = keys[0]
    assert (key.kty, key.alg, key.use, key.key_ops) == ("RSA", "RS256", "sig", ["verify"])
    assert key.kid.startswith("jwk-test-")
    assert jwt.get_unverified_header(login.session_jwt)["kid"] == key.kid


def test_authenticate_jwt_verifies_locally(optional_tenant: Tenant, login: AuthenticateResponse) -> None:
    """authenticate_jwt verifies the JWT against the JWKS without an API call (request_id "")."""
    response = optional_tenant.client.sessions.authenticate_jwt(session_jwt=login.session_jwt)
    assert (response.status_code, response.request_id) == (200, "")
    session = response.member_session
    assert session.member_session_id == login.member_session.member_session_id
    assert session.member_id == optional_tenant.member_id
    assert (session.organization_id, session.organization_slug) == (optional_tenant.organization_id, "optco")
    assert factor_types(session) == ["magic_link"]


def test_authenticate_jwt_falls_back_to_the_api(optional_tenant: Tenant, login: AuthenticateResponse) -> None:
    """With max_token_age_seconds=0 the SDK asks the API, which answers with a request_id."""
    response = optional_tenant.client.sessions.authenticate_jwt(session_jwt=login.session_jwt, max_token_age_seconds=0)
    assert response.request_id.startswith("request-id-test-")
    assert response.member_session.member_session_id == login.member_session.member_session_id


def test_custom_claims_reach_the_jwt(optional_tenant: Tenant) -> None:
    """session_custom_claims become top-level JWT claims; reserved names are ignored."""
    login = optional_tenant.magic_link(session_custom_claims={"plan": "pro", "iss": "forged"})
    assert login.member_session.custom_claims == {"plan": "pro"}
    assert jwt.decode(login.session_jwt, options={"verify_signature": False})["iss"] == f"stytch.com/{DEMO_PROJECT_ID}"
    more = optional_tenant.client.sessions.authenticate(session_token=login.session_token,
                                                        session_custom_claims={"seats": 5, "sub": "forged"})
    assert more.member_session.custom_claims == {"plan": "pro", "seats": 5}
    local = optional_tenant.client.sessions.authenticate_jwt(session_jwt=more.session_jwt).member_session
    assert local.custom_claims == {"plan": "pro", "seats": 5}
