"""Plausible wrong answers to each exercise, as a learner (or the guide's samples) would write
them, each with a case its check must fail on."""

from __future__ import annotations

from datetime import timedelta

import phonenumbers


# 01 configure_organization
def settings_always_all_allowed(required, methods):
    return {"mfa_policy": "REQUIRED_FOR_ALL" if required else "OPTIONAL", "mfa_methods": "ALL_ALLOWED",
            "allowed_mfa_methods": list(methods)}


def settings_from_the_guides_sample(required, methods):
    # The guide's sample puts REQUIRED_FOR_ALL in mfa_methods.
    return {"mfa_methods": "REQUIRED_FOR_ALL" if required else "ALL_ALLOWED", "allowed_mfa_methods": list(methods)}


def settings_without_the_policy(required, methods):
    return {"mfa_methods": "RESTRICTED", "allowed_mfa_methods": list(methods)}


def offer_both_always(organization):
    return ["sms_otp", "totp"]  # offers SMS when RESTRICTED to TOTP


def offer_allowed_list_always(organization):
    return list(organization.allowed_mfa_methods)


def next_login_from_policy_only(organization, member):
    return organization.mfa_policy == "REQUIRED_FOR_ALL"


# 02 first_time_enrollment
def next_step_none_means_verify(primary):
    if primary.member_authenticated:
        return "session"
    options = primary.mfa_required.member_options
    if options is None:
        return "verify_sms"  # treats member_options is None as "verify"
    return "verify_totp" if options.totp_registration_id else "verify_sms"


def next_step_ignores_the_default(primary):
    if primary.member_authenticated:
        return "session"
    options = primary.mfa_required.member_options
    if options is None:
        return "enroll"
    return "verify_sms" if options.mfa_phone_number else "verify_totp"


def send_what_was_typed(client, pending, phone_input):
    return client.otps.sms.send(organization_id=pending["organization_id"], member_id=pending["member_id"],
                                mfa_phone_number=phone_input,
                                intermediate_session_token=pending["intermediate_session_token"])


def send_parsed_without_a_region(client, pending, phone_input):
    number = phonenumbers.format_number(phonenumbers.parse(phone_input), phonenumbers.PhoneNumberFormat.E164)
    return client.otps.sms.send(organization_id=pending["organization_id"], member_id=pending["member_id"],
                                mfa_phone_number=number,
                                intermediate_session_token=pending["intermediate_session_token"])


# 03 returning_login
def prompt_from_the_guides_sample(primary):
    options = primary.mfa_required.member_options
    methods = []
    if options.mfa_phone:  # the guide's field name; the SDK's is mfa_phone_number
        methods.append("sms_otp")
    if options.totp_registration_id:
        methods.append("totp")
    return {"methods": methods, "sms_sent": primary.mfa_required.secondary_auth_initiated == "sms_otp"}


def prompt_forgets_secondary_auth_initiated(primary):
    options = primary.mfa_required.member_options
    methods = [m for m, value in (("sms_otp", options.mfa_phone_number), ("totp", options.totp_registration_id))
               if value]
    return {"methods": methods, "sms_sent": bool(options.mfa_phone_number)}


def prompt_tests_for_none(primary):
    options = primary.mfa_required.member_options
    methods = [m for m, value in (("sms_otp", options.mfa_phone_number), ("totp", options.totp_registration_id))
               if value is not None]  # an absent factor is "", not None
    return {"methods": methods, "sms_sent": primary.mfa_required.secondary_auth_initiated == "sms_otp"}


def resend_to_the_masked_number(client, primary):
    return client.otps.sms.send(organization_id=primary.organization_id, member_id=primary.member_id,
                                mfa_phone_number=primary.mfa_required.member_options.mfa_phone_number,
                                intermediate_session_token=primary.intermediate_session_token)


def recover_without_the_ist(client, pending, recovery_code):
    return client.recovery_codes.recover(organization_id=pending["organization_id"],
                                         member_id=pending["member_id"], recovery_code=recovery_code)


def recover_swallowing_errors(client, pending, recovery_code):
    try:
        return client.recovery_codes.recover(organization_id=pending["organization_id"],
                                             member_id=pending["member_id"], recovery_code=recovery_code,
                                             intermediate_session_token=pending["intermediate_session_token"])
    except Exception:
        return None


# 04 optional_enrollment
def opt_in_without_enrolling(client, session_jwt, method, code):
    member_session = client.sessions.authenticate_jwt(session_jwt=session_jwt).member_session
    authenticate = client.totps.authenticate if method == "totp" else client.otps.sms.authenticate
    return authenticate(organization_id=member_session.organization_id, member_id=member_session.member_id,
                        code=code, session_jwt=session_jwt)  # no set_mfa_enrollment: a step-up


def opt_in_with_totp_only(client, session_jwt, method, code):
    member_session = client.sessions.authenticate_jwt(session_jwt=session_jwt).member_session
    return client.totps.authenticate(organization_id=member_session.organization_id,
                                     member_id=member_session.member_id, code=code, session_jwt=session_jwt,
                                     set_mfa_enrollment="enroll")


def step_up_any_factor_counts(client, session_jwt, now, max_age=timedelta(minutes=5)):
    factors = client.sessions.authenticate_jwt(session_jwt=session_jwt).member_session.authentication_factors
    return not any(now - f.last_authenticated_at <= max_age for f in factors)


def step_up_ignores_age(client, session_jwt, now, max_age=timedelta(minutes=5)):
    factors = client.sessions.authenticate_jwt(session_jwt=session_jwt).member_session.authentication_factors
    return not any(f.type in ("otp", "totp", "recovery_codes") for f in factors)


def step_up_counts_sms_only(client, session_jwt, now, max_age=timedelta(minutes=5)):
    factors = client.sessions.authenticate_jwt(session_jwt=session_jwt).member_session.authentication_factors
    return not any(f.type == "otp" and now - f.last_authenticated_at <= max_age for f in factors)


# drills: error_handling
def errors_by_http_status(err):
    return {400: ("This method is not allowed here.", "other_method"), 401: ("Wrong code, try again.", "retry"),
            404: ("Wrong code, try again.", "retry"), 429: ("Too many attempts, wait a bit.", "wait")}[
        err.details.status_code]


def errors_expired_code_is_a_retry(err):
    from helpers.exercises.error_handling import handle_mfa_error
    message, action = handle_mfa_error(err)
    return (message, "retry") if err.details.error_type == "unable_to_auth_otp_code" else (message, action)


def errors_shows_stytchs_message(err):
    from helpers.exercises.error_handling import handle_mfa_error
    return err.details.error_message, handle_mfa_error(err)[1]


# exercise id -> [(wrong answer, a case it must fail)]
WRONG_ANSWERS = {
    "configure_organization.q1": [
        (settings_always_all_allowed, "SMS only, required for every member"),
        (settings_from_the_guides_sample, "SMS only, required for every member"),
        (settings_without_the_policy, "authenticator app only, optional"),
    ],
    "configure_organization.q2": [
        (offer_both_always, "RESTRICTED to totp"),
        (offer_allowed_list_always, "ALL_ALLOWED, with allowed_mfa_methods still ['totp'] from an earlier setting"),
    ],
    "configure_organization.q3": [
        (next_login_from_policy_only, "OPTIONAL organization, member enrolled in MFA"),
    ],
    "first_time_enrollment.q1": [
        (next_step_none_means_verify, "REQUIRED_FOR_ALL organization, brand-new member"),
        (next_step_ignores_the_default, "member with a phone and an app, default totp"),
    ],
    "first_time_enrollment.q2": [
        (send_what_was_typed, "the member typed '(415) 555-0212'"),
        (send_parsed_without_a_region, "the member typed '415.555.0213'"),
    ],
    "returning_login.q1": [
        (prompt_from_the_guides_sample, "member enrolled with an authenticator app"),
        (prompt_forgets_secondary_auth_initiated, "member with a phone and an app, default totp"),
        (prompt_tests_for_none, "member enrolled by SMS"),
    ],
    "returning_login.q2": [
        (resend_to_the_masked_number, "member enrolled by SMS asks for another code"),
    ],
    "returning_login.q3": [
        (recover_without_the_ist, "a recovery code not used before"),
        (recover_swallowing_errors, "a recovery code already used"),
    ],
    "optional_enrollment.q1": [
        (opt_in_without_enrolling, "opt in with an authenticator app"),
        (opt_in_with_totp_only, "opt in with a texted code"),
    ],
    "optional_enrollment.q2": [
        (step_up_any_factor_counts, "a session from a password alone"),
        (step_up_ignores_age, "the same session ten minutes later"),
        (step_up_counts_sms_only, "an authenticator app code one minute ago"),
    ],
    "error_handling.q1": [
        (errors_by_http_status, "wrong codes until the member is locked"),
        (errors_by_http_status, "the login step expired (10 minutes)"),
        (errors_expired_code_is_a_retry, "an SMS code after 2 minutes"),
        (errors_shows_stytchs_message, "a wrong authenticator code"),
    ],
}
