"""Every error type the emulator sends reaches the official SDK as a StytchError carrying
that type and the status from emulator/errors.py."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import pytest
import stytch
from stytch.core.response_base import StytchError

from emulator import DEMO_PROJECT_ID, DEMO_SECRET
from emulator.errors import ERROR_STATUS
from emulator_steps import OTHER_PHONE, PHONE, Tenant

# No SDK call can cause these: the SDK always uses the right method, and a 500 is a bug; it
# never calls the emulator-only API; it cannot forge a JWT signed by the emulator's key (these
# are raw-HTTP tests in tests/reliability); the frontend SDK door's own refusals come only from
# a browser (tests/emulator/test_frontend_door.py and test_sdk_cors.py).
SDK_UNREACHABLE = {
    "method_not_allowed", "internal_server_error",
    "host_not_allowed", "cross_origin_request_refused", "json_content_type_required",
    "jwt_invalid_audience", "jwt_invalid_issuer",
    "bad_domain_for_stytch_sdk", "public_token_not_found",
}
# Statuses Stytch documents (reference §5.2); the rest of errors.py is inferred.
DOCUMENTED_STATUS = {
    "active_totp_exists": 400,
    "action_available_only_for_active_members": 400,
    "allowed_auth_methods_required_for_restricted": 400,
    "allowed_mfa_methods_required_for_restricted": 400,
    "invalid_organization_slug": 400,
    "intermediate_session_not_found": 404,
    "magic_link_not_found": 404,
    "unable_to_auth_magic_link": 401,
    "session_not_found": 404,
    "unauthorized_credentials": 401,
    "too_many_requests": 429,
    "user_lock_limit_reached": 429,
}
SHOE_SIZE = {"operator": "AND", "operands": [{"filter_name": "shoe_size", "filter_value": [42]}]}


def where(filter_name: str, filter_value: Any) -> dict[str, Any]:
    return {"operator": "AND", "operands": [{"filter_name": filter_name, "filter_value": filter_value}]}


CASES: dict[str, Callable[[Tenant], Any]] = {}


def case(error_type: str) -> Callable[[Callable[[Tenant], Any]], Callable[[Tenant], Any]]:
    """Register the SDK calls that make the emulator answer with `error_type`."""

    def register(trigger: Callable[[Tenant], Any]) -> Callable[[Tenant], Any]:
        CASES[error_type] = trigger
        return trigger

    return register


def other_client(t: Tenant, project_id: str, secret: str) -> stytch.B2BClient:
    return stytch.B2BClient(project_id, secret, environment=t.control.base_url)


def second_member(t: Tenant, email: str = "grace@acme.test", **options: Any) -> Tenant:
    member = t.client.organizations.members.create(organization_id=t.organization_id, email_address=email, **options)
    return dataclasses.replace(t, member_id=member.member_id, email=email)


# Requests and credentials -----------------------------------------------------------------

@case("bad_request")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.get(organization_id=t.organization_id)  # neither ID nor email


@case("unauthorized_credentials")
def _(t: Tenant) -> Any:
    return other_client(t, DEMO_PROJECT_ID, "secret-test-wrong").organizations.get(organization_id="acme")


@case("unauthorized_project_id_live")
def _(t: Tenant) -> Any:
    live = other_client(t, "project-live-00000000-0000-4000-8000-000000000000", DEMO_SECRET)
    return live.organizations.get(organization_id="acme")


@case("route_not_found")
def _(t: Tenant) -> Any:
    return t.client.totps.migrate(**t.ids, secret="JBSWY3DPEHPK3PXP", recovery_codes=[])  # not emulated


@case("project_not_found")
def _(t: Tenant) -> Any:
    return t.client.sessions.get_jwks(project_id="project-test-someone-else")


@case("request_too_large")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, trusted_metadata={"k": "x" * 300_000})


# Organizations ----------------------------------------------------------------------------

@case("organization_not_found")
def _(t: Tenant) -> Any:
    return t.client.organizations.get(organization_id="no-such-org")


@case("organization_name_missing")
def _(t: Tenant) -> Any:
    return t.client.organizations.create(organization_name="", organization_slug="blank")


@case("invalid_organization_name")
def _(t: Tenant) -> Any:
    return t.client.organizations.create(organization_name="x" * 129, organization_slug="long")


@case("invalid_organization_slug")
def _(t: Tenant) -> Any:
    return t.client.organizations.create(organization_name="Spaced", organization_slug="has space")


@case("organization_slug_already_used")
def _(t: Tenant) -> Any:
    return t.client.organizations.create(organization_name="Again", organization_slug="acme")


@case("invalid_organization_mfa_policy")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, mfa_policy="SOMETIMES")


@case("invalid_organization_mfa_factor_setting")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, mfa_methods="SOME")


@case("invalid_organization_allowed_mfa_methods")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, mfa_methods="RESTRICTED",
                                         allowed_mfa_methods=["carrier_pigeon"])


@case("invalid_organization_auth_method_settings")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, auth_methods="SOME")


@case("invalid_organization_allowed_auth_methods")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, auth_methods="RESTRICTED",
                                         allowed_auth_methods=["carrier_pigeon"])


@case("allowed_mfa_methods_required_for_restricted")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, mfa_methods="RESTRICTED")


@case("allowed_auth_methods_required_for_restricted")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, auth_methods="RESTRICTED")


@case("organization_search_filter_name_not_recognized")
def _(t: Tenant) -> Any:
    return t.client.organizations.search(query=SHOE_SIZE)


@case("organization_search_expected_array_of_strings")
def _(t: Tenant) -> Any:
    return t.client.organizations.search(query=where("organization_ids", t.organization_id))


@case("organization_search_expected_string")
def _(t: Tenant) -> Any:
    return t.client.organizations.search(query=where("organization_name_fuzzy", ["acme"]))


@case("organization_search_organization_name_fuzzy_too_short")
def _(t: Tenant) -> Any:
    return t.client.organizations.search(query=where("organization_name_fuzzy", "ac"))


@case("organization_search_organization_slug_fuzzy_too_short")
def _(t: Tenant) -> Any:
    return t.client.organizations.search(query=where("organization_slug_fuzzy", "ac"))


@case("invalid_organization_external_id")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, organization_external_id="no spaces")


@case("organization_logo_url_too_long")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id,
                                         organization_logo_url="https://acme.test/" + "a" * 3000)


@case("organization_settings_invalid_domain")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, email_allowed_domains=["acme test"])


@case("organization_settings_invalid_claimed_domain")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, claimed_email_domains=["-acme.test"])


@case("metadata_invalid_format")
def _(t: Tenant) -> Any:
    return t.client.organizations.update(organization_id=t.organization_id, trusted_metadata=["not", "an", "object"])


@case("metadata_too_many_keys")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.update(**t.ids, trusted_metadata={f"k{i}": i for i in range(21)})


@case("metadata_too_large")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.update(**t.ids, untrusted_metadata={"k": "x" * 4097})


# Members ----------------------------------------------------------------------------------

@case("member_not_found")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.get(organization_id=t.organization_id, member_id="member-test-nope")


@case("invalid_email")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.create(organization_id=t.organization_id, email_address="not-an-email")


@case("duplicate_member_email")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.create(organization_id=t.organization_id, email_address=t.email)


@case("invalid_phone_number")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.update(**t.ids, mfa_phone_number="555-0123")


@case("duplicate_member_phone_number_for_member")
def _(t: Tenant) -> Any:
    t.client.organizations.members.update(**t.ids, mfa_phone_number=PHONE)
    return t.client.organizations.members.update(**t.ids, mfa_phone_number=OTHER_PHONE)


@case("member_phone_number_not_found")
def _(t: Tenant) -> Any:
    return t.client.otps.sms.send(**t.ids, intermediate_session_token=t.ist())  # no phone, none given


@case("invalid_phone_number_country_code")
def _(t: Tenant) -> Any:
    return t.client.otps.sms.send(**t.ids, mfa_phone_number="+442079460123", intermediate_session_token=t.ist())


@case("invalid_mfa_default_method")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.update(**t.ids, default_mfa_method="email_otp")


@case("default_mfa_member_missing_factor")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.update(**t.ids, default_mfa_method="totp")


@case("member_search_organization_ids_empty")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.search(organization_ids=[])


@case("member_search_expected_array_of_strings")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.search(organization_ids=[t.organization_id],
                                                 query=where("member_emails", [t.email, 7]))


@case("member_search_expected_string")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.search(organization_ids=[t.organization_id],
                                                 query=where("member_email_fuzzy", None))


@case("member_search_expected_boolean")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.search(organization_ids=[t.organization_id],
                                                 query=where("member_is_breakglass", "yes"))


@case("member_search_member_email_fuzzy_too_short")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.search(organization_ids=[t.organization_id],
                                                 query=where("member_email_fuzzy", "ad"))


@case("forbidden_character_zero_width_space")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.update(**t.ids, name="Ada\u200bLovelace")


@case("member_search_filter_name_not_recognized")
def _(t: Tenant) -> Any:
    return t.client.organizations.members.search(organization_ids=[t.organization_id], query=SHOE_SIZE)


@case("action_available_only_for_active_members")
def _(t: Tenant) -> Any:
    pending = second_member(t, "pending@acme.test", create_member_as_pending=True)
    return t.client.otps.sms.send(**pending.ids, mfa_phone_number=PHONE)


# Primary authentication -------------------------------------------------------------------

@case("magic_link_not_found")
def _(t: Tenant) -> Any:
    return t.client.magic_links.authenticate(magic_links_token="CprTtwhnRNiMBiUS2jSLcWYrfuO2POeBNdo5HhW6qTM=")


@case("unable_to_auth_magic_link")
def _(t: Tenant) -> Any:
    t.magic_link()
    token = t.control.latest_message(t.email, "email")["token"]
    return t.client.magic_links.authenticate(magic_links_token=token)  # already used


@case("email_jit_provisioning_not_allowed")
def _(t: Tenant) -> Any:
    return t.client.magic_links.email.login_or_signup(organization_id=t.organization_id,
                                                      email_address="stranger@acme.test")


@case("no_match_for_provided_magic_link_url")
def _(t: Tenant) -> Any:
    return t.client.magic_links.email.login_or_signup(organization_id=t.organization_id, email_address=t.email,
                                                      login_redirect_url="https://evil.example/steal")


@case("no_default_login_redirect_url_set")
def _(t: Tenant) -> Any:
    t.control.update_project(redirect_urls=[])
    return t.client.magic_links.email.login_or_signup(organization_id=t.organization_id, email_address=t.email)


@case("no_default_signup_redirect_url_set")
def _(t: Tenant) -> Any:
    t.control.update_project(redirect_urls=[
        {"url": "http://localhost:3000/authenticate", "valid_types": [{"type": "LOGIN", "is_default": True}]},
    ])
    pending = second_member(t, "invitee@acme.test", create_member_as_pending=True)
    return t.client.magic_links.email.login_or_signup(organization_id=t.organization_id, email_address=pending.email)


@case("invalid_hash_type")
def _(t: Tenant) -> Any:
    return t.client.passwords.migrate(organization_id=t.organization_id, email_address=t.email,
                                      hash="uryyb", hash_type="rot13")


@case("invalid_hash")
def _(t: Tenant) -> Any:
    return t.client.passwords.migrate(organization_id=t.organization_id, email_address=t.email,
                                      hash="plaintext", hash_type="bcrypt")


@case("operation_restricted_by_organization_auth_methods")
def _(t: Tenant) -> Any:
    t.client.organizations.update(organization_id=t.organization_id, auth_methods="RESTRICTED",
                                  allowed_auth_methods=["password"])
    return t.magic_link()


# Intermediate sessions and MFA ------------------------------------------------------------

@case("intermediate_session_not_found")
def _(t: Tenant) -> Any:
    return t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, intermediate_session_token="no-such-ist")


@case("invalid_intermediate_session_token_for_organization")
def _(t: Tenant) -> Any:
    someone_else = second_member(t).ist()
    return t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, intermediate_session_token=someone_else)


@case("no_associated_session_passed_in")
def _(t: Tenant) -> Any:
    return t.client.otps.sms.authenticate(**t.ids, code="123456")


@case("too_many_session_arguments")
def _(t: Tenant) -> Any:
    return t.client.otps.sms.authenticate(**t.ids, code="123456", intermediate_session_token=t.ist(),
                                          session_token="also-a-token")


@case("insufficient_factors")
def _(t: Tenant) -> Any:
    t.enroll_sms()
    return t.client.totps.create(**t.ids, intermediate_session_token=t.ist())


@case("operation_restricted_by_organization_mfa_methods")
def _(t: Tenant) -> Any:
    t.client.organizations.update(organization_id=t.organization_id, mfa_methods="RESTRICTED",
                                  allowed_mfa_methods=["totp"])
    return t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, intermediate_session_token=t.ist())


@case("otp_code_not_found")
def _(t: Tenant) -> Any:
    ist = t.ist()
    t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    wrong = f"{(int(t.sms_code()) + 1) % 10**6:06d}"
    return t.client.otps.sms.authenticate(**t.ids, code=wrong, intermediate_session_token=ist)


@case("unable_to_auth_otp_code")
def _(t: Tenant) -> Any:
    ist = t.ist()
    t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    t.control.advance_clock(121)
    return t.client.otps.sms.authenticate(**t.ids, code=t.sms_code(), intermediate_session_token=ist)


@case("invalid_totp_code")
def _(t: Tenant) -> Any:
    ist = t.ist()
    t.client.totps.create(**t.ids, intermediate_session_token=ist)
    return t.client.totps.authenticate(**t.ids, code="12ab56", intermediate_session_token=ist)


@case("unable_to_authenticate_totp")
def _(t: Tenant) -> Any:
    ist = t.ist()
    created = t.client.totps.create(**t.ids, intermediate_session_token=ist)
    wrong = f"{(int(t.totp_code(created.secret)) + 1) % 10**6:06d}"
    return t.client.totps.authenticate(**t.ids, code=wrong, intermediate_session_token=ist)


@case("totp_code_already_authenticated")
def _(t: Tenant) -> Any:
    ist = t.ist()
    created = t.client.totps.create(**t.ids, intermediate_session_token=ist)
    code = t.totp_code(created.secret)
    t.client.totps.authenticate(**t.ids, code=code, intermediate_session_token=ist)
    return t.client.totps.authenticate(**t.ids, code=code, intermediate_session_token=t.ist())


@case("totp_not_found")
def _(t: Tenant) -> Any:
    return t.client.totps.authenticate(**t.ids, code="123456", intermediate_session_token=t.ist())


@case("expired_totp")
def _(t: Tenant) -> Any:
    ist = t.ist()
    created = t.client.totps.create(**t.ids, expiration_minutes=5, intermediate_session_token=ist)
    t.control.advance_clock(301)
    return t.client.totps.authenticate(**t.ids, code=t.totp_code(created.secret), intermediate_session_token=ist)


@case("pending_totp_exists")
def _(t: Tenant) -> Any:
    ist = t.ist()
    t.client.totps.create(**t.ids, intermediate_session_token=ist)
    return t.client.totps.create(**t.ids, intermediate_session_token=ist)


@case("active_totp_exists")
def _(t: Tenant) -> Any:
    _, done = t.enroll_totp()
    return t.client.totps.create(**t.ids, session_token=done.session_token)


@case("invalid_expiration")
def _(t: Tenant) -> Any:
    return t.client.totps.create(**t.ids, expiration_minutes=1, intermediate_session_token=t.ist())


@case("unable_to_authenticate_recovery_code")
def _(t: Tenant) -> Any:
    t.enroll_totp()
    return t.client.recovery_codes.recover(**t.ids, recovery_code="aaaa-bbbb-cccc", intermediate_session_token=t.ist())


@case("no_active_recovery_code_backed_factor")
def _(t: Tenant) -> Any:
    return t.client.recovery_codes.get(**t.ids)


# User locks and rate limits (lowered through the emulator-only API, so one step reaches them)

@case("user_lock_limit_reached")
def _(t: Tenant) -> Any:
    t.control.update_project(user_lock_threshold=1)
    ist = t.ist()
    created = t.client.totps.create(**t.ids, intermediate_session_token=ist)
    wrong = f"{(int(t.totp_code(created.secret)) + 1) % 10**6:06d}"
    with pytest.raises(StytchError):
        t.client.totps.authenticate(**t.ids, code=wrong, intermediate_session_token=ist)  # locks
    return t.client.totps.authenticate(**t.ids, code=t.totp_code(created.secret), intermediate_session_token=ist)


@case("too_many_requests")
def _(t: Tenant) -> Any:
    t.control.update_project(sms_sends_per_member_per_hour=1)
    ist = t.ist()
    t.client.otps.sms.send(**t.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
    return t.client.otps.sms.send(**t.ids, intermediate_session_token=ist)


# Sessions ---------------------------------------------------------------------------------

@case("session_not_found")
def _(t: Tenant) -> Any:
    return t.client.sessions.authenticate(session_token="WJtR5BCy38Szd5AfoDpf0iqFKEt4EE5JhjlWUY7l3FtY")


@case("no_session_arguments")
def _(t: Tenant) -> Any:
    return t.client.sessions.authenticate()


@case("no_session_revoke_arguments")
def _(t: Tenant) -> Any:
    return t.client.sessions.revoke()


@case("too_many_session_revoke_arguments")
def _(t: Tenant) -> Any:
    return t.client.sessions.revoke(member_id=t.member_id, member_session_id="session-test-x")


@case("invalid_session_duration_minutes")
def _(t: Tenant) -> Any:
    return t.magic_link(session_duration_minutes=1)


@case("unable_to_parse_session_jwt")
def _(t: Tenant) -> Any:
    return t.client.sessions.authenticate(session_jwt="not.a.jwt")


@case("jwt_invalid_claims")
def _(t: Tenant) -> Any:
    t.client.organizations.update(organization_id=t.organization_id, mfa_policy="OPTIONAL")
    t.control.advance_clock(3600)
    jwt = t.magic_link().session_jwt  # stamped an hour ahead of real time
    t.control.reset_clock()
    return t.client.sessions.authenticate(session_jwt=jwt)  # not valid before its nbf


@case("custom_claims_too_large")
def _(t: Tenant) -> Any:
    return t.magic_link(session_custom_claims={"k": "x" * 4097})


@case("insufficient_factors_for_session_exchange")
def _(t: Tenant) -> Any:
    t.client.organizations.update(organization_id=t.organization_id, mfa_policy="OPTIONAL")
    t.client.passwords.migrate(organization_id=t.organization_id, email_address=t.email,
                               hash="7c4a8d09ca3762af61e59520943dc26494f8941b", hash_type="sha_1")  # "123456"
    login = t.client.passwords.authenticate(organization_id=t.organization_id, email_address=t.email,
                                            password="123456")
    return t.client.sessions.exchange(organization_id=t.organization_id, session_token=login.session_token)


@pytest.mark.parametrize("error_type", sorted(CASES))
def test_sdk_raises_stytch_error(tenant: Tenant, error_type: str) -> None:
    """The SDK raises StytchError with the error type, the table's status and a request ID."""
    with pytest.raises(StytchError) as caught:
        CASES[error_type](tenant)
    details = caught.value.details
    assert (details.error_type, details.status_code) == (error_type, ERROR_STATUS[error_type]), details.error_message
    assert details.request_id.startswith("request-id-test-")
    assert details.error_url == f"https://stytch.com/docs/b2b/api/errors/{details.status_code}#{error_type}"


def test_every_error_type_has_a_case() -> None:
    """Each error type in errors.py is either triggered above or listed as unreachable."""
    assert set(CASES) == set(ERROR_STATUS) - SDK_UNREACHABLE


@pytest.mark.parametrize(("error_type", "status"), sorted(DOCUMENTED_STATUS.items()))
def test_documented_statuses(error_type: str, status: int) -> None:
    """The table keeps the statuses Stytch documents."""
    assert ERROR_STATUS[error_type] == status
