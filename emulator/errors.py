"""Stytch's error shape, and the one table that maps each error type to its HTTP status.

Statuses marked [INFER] are guesses where no Stytch source states the code (see
../shared/reference/stytch-b2b-mfa-api.md §5.2); correcting one is a one-line edit here.
"""

from __future__ import annotations

ERROR_STATUS: dict[str, int] = {
    # Request shape and credentials.
    "bad_request": 400,
    "unauthorized_credentials": 401,
    "unauthorized_project_id_live": 401,  # [INFER] live IDs are refused by the emulator
    "route_not_found": 404,
    "method_not_allowed": 405,
    "project_not_found": 404,
    "internal_server_error": 500,
    "request_too_large": 413,  # [INFER] the emulator's body limit (README); Stytch documents none
    "forbidden_character_zero_width_space": 400,  # [INFER] type from Stytch's error list
    "metadata_invalid_format": 400,  # [INFER] type from Stytch's error list
    "metadata_too_many_keys": 400,  # [INFER] 20 top-level keys (Stytch's metadata docs)
    "metadata_too_large": 400,  # [INFER] 4 KB (Stytch's metadata docs)
    "custom_claims_too_large": 400,  # [INFER] 4 KB (SDK docstrings)
    # The emulator-only API's guard (emulator/api/gate.py); Stytch has no such routes.
    "host_not_allowed": 403,  # Host is not the emulator's loopback address (DNS rebinding)
    "cross_origin_request_refused": 403,  # Origin is another web page
    "json_content_type_required": 415,  # a state change without Content-Type: application/json
    # The frontend SDK's door (/sdk/v1): types from Stytch's browser SDK error list.
    "bad_domain_for_stytch_sdk": 403,  # [INFER] a page origin the project does not allow
    "public_token_not_found": 404,  # [INFER] a public token that is not the project's
    # Organizations.
    "organization_not_found": 404,
    "organization_name_missing": 400,
    "invalid_organization_name": 400,
    "invalid_organization_slug": 400,
    "organization_slug_already_used": 400,  # [INFER]
    "invalid_organization_mfa_policy": 400,  # [INFER]
    "invalid_organization_mfa_factor_setting": 400,  # [INFER]
    "invalid_organization_allowed_mfa_methods": 400,  # [INFER]
    "invalid_organization_auth_method_settings": 400,  # [INFER]
    "invalid_organization_allowed_auth_methods": 400,  # [INFER]
    "invalid_organization_external_id": 400,  # [INFER]
    "organization_logo_url_too_long": 400,  # [INFER]
    "organization_settings_invalid_domain": 400,  # [INFER]
    "organization_settings_invalid_claimed_domain": 400,  # [INFER]
    "allowed_mfa_methods_required_for_restricted": 400,
    "allowed_auth_methods_required_for_restricted": 400,
    "organization_search_filter_name_not_recognized": 400,  # [INFER]
    "organization_search_expected_array_of_strings": 400,  # [INFER]
    "organization_search_expected_string": 400,  # [INFER]
    "organization_search_organization_name_fuzzy_too_short": 400,  # [INFER]
    "organization_search_organization_slug_fuzzy_too_short": 400,  # [INFER]
    # Members.
    "member_not_found": 404,
    "invalid_email": 400,
    "duplicate_member_email": 400,  # [INFER]
    "invalid_phone_number": 400,
    "invalid_phone_number_country_code": 400,  # [INFER] type: otps.sms.send docstring, SDK error lists
    "duplicate_member_phone_number_for_member": 400,  # [INFER]
    "member_phone_number_not_found": 404,  # [INFER]
    "invalid_mfa_default_method": 400,  # [INFER]
    "default_mfa_member_missing_factor": 400,  # [INFER]
    "member_search_organization_ids_empty": 400,  # [INFER]
    "member_search_filter_name_not_recognized": 400,  # [INFER]
    "member_search_expected_array_of_strings": 400,  # [INFER]
    "member_search_expected_string": 400,  # [INFER]
    "member_search_expected_boolean": 400,  # [INFER]
    "member_search_member_email_fuzzy_too_short": 400,  # [INFER]
    "action_available_only_for_active_members": 400,
    # Primary authentication.
    "magic_link_not_found": 404,
    "unable_to_auth_magic_link": 401,
    "email_jit_provisioning_not_allowed": 403,  # [INFER]
    "invalid_hash_type": 400,  # [INFER]
    "invalid_hash": 400,  # [INFER]
    "operation_restricted_by_organization_auth_methods": 403,  # [INFER]
    "no_match_for_provided_magic_link_url": 400,  # [INFER] type: Stytch's SDK error lists
    "no_default_login_redirect_url_set": 400,  # [INFER] type: Stytch's SDK error lists
    "no_default_signup_redirect_url_set": 400,  # [INFER] type: Stytch's SDK error lists
    # Intermediate sessions and MFA.
    "intermediate_session_not_found": 404,
    "invalid_intermediate_session_token_for_organization": 400,  # [INFER]
    "no_associated_session_passed_in": 400,  # [INFER]
    "too_many_session_arguments": 400,  # [INFER]
    "insufficient_factors": 403,  # [INFER] Stytch's anti-bypass rule for adding a factor
    "operation_restricted_by_organization_mfa_methods": 400,  # [INFER] absent from the B2B 403 page
    "otp_code_not_found": 404,
    "unable_to_auth_otp_code": 401,
    "invalid_totp_code": 400,  # [INFER]
    "unable_to_authenticate_totp": 401,  # [INFER]
    "totp_code_already_authenticated": 401,  # [INFER]
    "totp_not_found": 404,  # [INFER]
    "expired_totp": 401,  # [INFER]
    "active_totp_exists": 400,
    "pending_totp_exists": 400,  # [INFER] type: Stytch's SDK error lists; when it fires is our choice
    "invalid_expiration": 400,  # [INFER]
    "unable_to_authenticate_recovery_code": 401,  # [INFER]
    "no_active_recovery_code_backed_factor": 400,  # [INFER]
    # User locks and rate limits (Stytch's 429 error page).
    "user_lock_limit_reached": 429,
    "too_many_requests": 429,
    # Sessions.
    "session_not_found": 404,
    "no_session_arguments": 400,  # [INFER]
    "no_session_revoke_arguments": 400,  # [INFER]
    "too_many_session_revoke_arguments": 400,  # [INFER]
    "invalid_session_duration_minutes": 400,  # [INFER]
    "unable_to_parse_session_jwt": 400,  # [INFER]
    "jwt_invalid_audience": 400,  # [INFER]
    "jwt_invalid_issuer": 400,  # [INFER]
    "jwt_invalid_claims": 400,  # [INFER] a claim missing, or nbf/iat after the emulator's now
    "insufficient_factors_for_session_exchange": 400,  # [INFER]
}

_DOCS = "https://stytch.com/docs/b2b/api/errors"


class StytchAPIError(Exception):
    """Raised anywhere in the emulator; the app turns it into Stytch's error body."""

    def __init__(self, error_type: str, message: str) -> None:
        if error_type not in ERROR_STATUS:
            raise KeyError(f"error type {error_type!r} is missing from ERROR_STATUS")
        super().__init__(message)
        self.error_type = error_type
        self.error_message = message

    @property
    def status_code(self) -> int:
        return ERROR_STATUS[self.error_type]

    def body(self, request_id: str) -> dict:
        return {
            "status_code": self.status_code,
            "request_id": request_id,
            "error_type": self.error_type,
            "error_message": self.error_message,
            "error_url": f"{_DOCS}/{self.status_code}#{self.error_type}",
        }
