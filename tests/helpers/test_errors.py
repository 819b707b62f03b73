"""The one table of Stytch's error types a learner meets (helpers.errors): every type in it is
one the emulator answers, every field it names is a form's field, and every type the emulator
can answer is either in it or named below as one a learner never meets."""

from __future__ import annotations

import pytest

from emulator.errors import ERROR_STATUS
from helpers import errors, forms

# What the lessons' calls never meet: the request's shape, the emulator's own guard and
# frontend door, searches, metadata and the organization settings the lessons do not teach.
NOT_FOR_LEARNERS = frozenset({
    "unauthorized_project_id_live", "route_not_found", "method_not_allowed", "project_not_found",
    "internal_server_error", "request_too_large", "forbidden_character_zero_width_space",
    "metadata_invalid_format", "metadata_too_many_keys", "metadata_too_large", "custom_claims_too_large",
    "host_not_allowed", "cross_origin_request_refused", "json_content_type_required",
    "bad_domain_for_stytch_sdk", "public_token_not_found",
    "organization_name_missing", "invalid_organization_name", "invalid_organization_external_id",
    "organization_logo_url_too_long", "organization_settings_invalid_domain",
    "organization_settings_invalid_claimed_domain", "invalid_organization_auth_method_settings",
    "invalid_organization_allowed_auth_methods", "allowed_auth_methods_required_for_restricted",
    "organization_search_filter_name_not_recognized", "organization_search_expected_array_of_strings",
    "organization_search_expected_string", "organization_search_organization_name_fuzzy_too_short",
    "organization_search_organization_slug_fuzzy_too_short",
    "member_search_organization_ids_empty", "member_search_filter_name_not_recognized",
    "member_search_expected_array_of_strings", "member_search_expected_string",
    "member_search_expected_boolean", "member_search_member_email_fuzzy_too_short",
    "invalid_hash_type", "invalid_hash", "no_session_revoke_arguments", "too_many_session_revoke_arguments",
})


def form_fields() -> set[str]:
    """The fields of every form the lessons can draw."""
    extra = {forms.StartOverForm: {"on_emulator": True}}
    return {name for cls in forms.Form.__subclasses__() for name in cls(lambda *a: None, **extra.get(cls, {})).fields}


def test_every_type_in_the_table_is_one_the_emulator_answers() -> None:
    assert set(errors.ERRORS) - set(ERROR_STATUS) == set()


def test_every_field_the_table_names_is_a_form_field() -> None:
    named = {field for entry in errors.ERRORS.values() for field in entry.fields}
    assert named - form_fields() == set()
    assert {"code", "phone_number", "email_address", "password", "recovery_code", "token"} <= named


def test_every_type_the_emulator_answers_is_advised_or_set_aside() -> None:
    """A new error type in the emulator fails this until someone says what a learner should do."""
    assert NOT_FOR_LEARNERS <= set(ERROR_STATUS)
    assert NOT_FOR_LEARNERS & set(errors.ERRORS) == set()
    assert set(ERROR_STATUS) - NOT_FOR_LEARNERS - set(errors.ERRORS) == set()


@pytest.mark.parametrize("error_type", [
    "user_lock_limit_reached", "too_many_requests", "no_match_for_provided_magic_link_url",
    "invalid_phone_number_country_code", "pending_totp_exists", "intermediate_session_not_found",
])
def test_what_the_strict_emulator_refuses_comes_with_advice(error_type: str) -> None:
    assert errors.advice(error_type) is errors.ERRORS[error_type]
    assert errors.advice(error_type).what_to_do.endswith(".")


def test_a_lock_is_shown_where_the_person_typed() -> None:
    assert errors.advice("user_lock_limit_reached").fields[0] == "code"
    assert "password" in errors.advice("too_many_requests").fields


def test_an_unknown_type_gets_the_default_advice() -> None:
    assert errors.advice("something_new") is errors.DEFAULT_ADVICE
    assert errors.advice(None) is errors.DEFAULT_ADVICE
