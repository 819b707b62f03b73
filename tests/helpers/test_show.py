"""The show module masks tokens and JWTs, shorten data URLs, and keep text/plain equal in content to
the HTML view."""

from __future__ import annotations

import base64
import io
import time
from types import SimpleNamespace

import jwt
import pydantic
import qrcode
from stytch.core.response_base import StytchError, StytchErrorDetails

from helpers import errors, show

TOKEN = "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q"
IST = "SeiGwdj5lKkrEVgcEY3QNJXt6srxS3IK2Nwkar6mXD4="


def _jwt(**claims) -> str:
    now = int(time.time())
    payload = {"iss": "stytch.com/project-test-x", "aud": ["project-test-x"], "sub": "member-test-1",
               "iat": now, "nbf": now, "exp": now + 300, **claims}
    return jwt.encode(payload, "not-a-real-key-just-for-a-test-32b", algorithm="HS256", headers={"kid": "jwk-test-1"})


def _stytch_error(error_type: str, status: int = 400, message: str = "Stytch says no.") -> StytchError:
    return StytchError(StytchErrorDetails(status_code=status, request_id="request-id-test-1",
                                          error_type=error_type, error_message=message))


def test_mask_keeps_a_prefix() -> None:
    assert show.mask(TOKEN) == "mZAYn5…"
    assert show.mask(TOKEN, keep=3) == "mZA…"
    assert show.mask("") == ""


def test_response_masks_tokens_and_jwts_everywhere(displayed: list[dict]) -> None:
    session_jwt = _jwt()
    response = {
        "session_token": TOKEN,
        "session_jwt": session_jwt,
        "intermediate_session_token": IST,
        "nested": {"anything": session_jwt, "list": [session_jwt]},
        "qr_code": "data:image/png;base64," + "A" * 500,
        "empty_token": {"session_token": ""},
        "member_id": "member-test-1",
    }
    show.response(response, title="Login")
    (bundle,) = displayed
    for text in (bundle["text/plain"], bundle["text/html"]):
        assert TOKEN not in text and IST not in text and session_jwt not in text
        assert "mZAYn5…" in text and "SeiGwd…" in text and "eyJhbG…" in text
        assert "data:image/png;base64,…" in text and "AAAA" not in text
        assert "member-test-1" in text
    assert bundle["text/plain"].startswith("Login\n{")
    assert "<details><summary><b>Login</b></summary>" in bundle["text/html"]


def test_response_takes_sdk_models_and_titles_them(displayed: list[dict]) -> None:
    class AuthenticateResponse(pydantic.BaseModel):
        status_code: int
        session_token: str

    show.response(AuthenticateResponse(status_code=200, session_token=TOKEN))
    text = displayed[0]["text/plain"]
    assert text.splitlines()[0].endswith(".AuthenticateResponse")
    assert '"session_token": "mZAYn5…"' in text


def test_session_decodes_without_showing_the_jwt(displayed: list[dict]) -> None:
    factors = [
        {"type": "password", "delivery_method": "knowledge", "last_authenticated_at": "2026-01-01T00:00:00Z"},
        {"type": "otp", "delivery_method": "sms", "last_authenticated_at": "2026-01-01T00:00:05Z",
         "phone_number_factor": {"phone_id": "member-phone-test-1", "phone_number": "+14155550123"}},
        {"type": "totp", "delivery_method": "authenticator_app",
         "authenticator_app_factor": {"totp_id": "member-totp-test-1"}},
    ]
    session_jwt = _jwt(**{
        "https://stytch.com/session": {"id": "session-test-1", "authentication_factors": factors},
        "https://stytch.com/organization": {"organization_id": "organization-test-1", "slug": "acme"},
    })
    show.session(session_jwt)
    text = displayed[0]["text/plain"]
    assert session_jwt not in text and session_jwt not in displayed[0]["text/html"]
    for expected in ("kid=jwk-test-1", "alg=HS256", "stytch.com/project-test-x", "member-test-1",
                     "300 s", "organization-test-1 (slug acme)", "session-test-1",
                     "phone +14155550123", "totp_id member-totp-test-1", "knowledge"):
        assert expected in text
    assert "<table>" in displayed[0]["text/html"]


def test_factors_reads_a_member_session_model(displayed: list[dict]) -> None:
    class Session(pydantic.BaseModel):
        authentication_factors: list[dict]

    show.factors(Session(authentication_factors=[
        {"type": "magic_link", "delivery_method": "email",
         "email_factor": {"email_id": "member-email-test-1", "email_address": "ada@acme-workbook.example"}},
    ]))
    assert "email ada@acme-workbook.example" in displayed[0]["text/plain"]


def test_totp_shows_the_qr_code_and_the_secret(displayed: list[dict]) -> None:
    buffer = io.BytesIO()
    qrcode.make("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP").save(buffer, format="PNG")
    qr = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    show.totp(SimpleNamespace(qr_code=qr, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))
    bundle = displayed[0]
    assert "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in bundle["text/plain"]
    assert "authenticator app" in bundle["text/plain"]
    assert '<img alt="TOTP QR code"' in bundle["text/html"] and "data:image/png;base64,iVBOR" in bundle["text/html"]


def test_explain_gives_type_status_message_and_a_hint() -> None:
    text = show.explain(_stytch_error("otp_code_not_found", 404, "The passcode is incorrect."))
    assert text.startswith("otp_code_not_found (HTTP 404): The passcode is incorrect.")
    assert "What to do: " + errors.ERRORS["otp_code_not_found"].what_to_do in text


def test_explain_has_a_default_hint_and_handles_other_exceptions() -> None:
    assert errors.DEFAULT_ADVICE.what_to_do in show.explain(_stytch_error("something_new"))
    assert show.explain(ValueError("bad")) == "ValueError: bad"


def test_error_displays_the_explanation(displayed: list[dict]) -> None:
    show.error(_stytch_error("allowed_mfa_methods_required_for_restricted"))
    assert displayed[0]["text/plain"].startswith("Stytch refused the request\nallowed_mfa_methods_required_for_restricted")


def _session_jwt(*factors: dict) -> str:
    return _jwt(**{"https://stytch.com/session": {"id": "session-test-1", "authentication_factors": list(factors)}})


PASSWORD_FACTOR = {"type": "password", "delivery_method": "knowledge", "last_authenticated_at": "2026-01-01T00:00:00Z"}
SMS_FACTOR = {"type": "otp", "delivery_method": "sms", "last_authenticated_at": "2026-01-01T00:01:00Z",
              "phone_number_factor": {"phone_id": "member-phone-test-1", "phone_number": "+14155550123"}}


def test_session_shows_the_factors_before_and_after_side_by_side(displayed: list[dict]) -> None:
    before, after = _session_jwt(PASSWORD_FACTOR), _session_jwt(PASSWORD_FACTOR, SMS_FACTOR)
    show.session(after, before=before, labels=("Before step-up", "After step-up"))
    bundle = displayed[0]
    assert before not in bundle["text/plain"] + bundle["text/html"] and after not in bundle["text/html"]
    assert "display:flex" in bundle["text/html"] and bundle["text/html"].count("<table>") == 3  # facts, before, after
    text = bundle["text/plain"]
    assert "Authentication factors, before and after\n  Before step-up\n" in text
    before_part, after_part = text.split("  After step-up\n")
    assert "password" in before_part and "otp" not in before_part.split("Before step-up")[1]
    rows = {line.split()[0] if not line.strip().startswith("new") else "new " + line.split()[1]
            for line in after_part.splitlines()[1:]}
    assert rows == {"password", "new otp"}  # the step-up factor is marked, the password is not


def test_before_without_a_session_says_so(displayed: list[dict]) -> None:
    """Primary authentication that stopped at MFA returned an IST, not a session."""
    primary = SimpleNamespace(session_jwt="", member_session=None, intermediate_session_token=IST)
    show.session(_session_jwt(PASSWORD_FACTOR, SMS_FACTOR), before=primary)
    text = displayed[0]["text/plain"]
    assert "  Before MFA\n    " + show.NO_SESSION in text
    assert IST not in text + displayed[0]["text/html"]
    assert sum(line.strip().startswith("new") for line in text.splitlines()) == 2  # both factors are new


def test_before_can_be_a_response_with_a_member_session(displayed: list[dict]) -> None:
    class Session(pydantic.BaseModel):
        authentication_factors: list[dict]

    login = SimpleNamespace(session_jwt="", member_session=Session(authentication_factors=[PASSWORD_FACTOR]))
    show.session(_session_jwt(PASSWORD_FACTOR, SMS_FACTOR), before=login)
    after_part = displayed[0]["text/plain"].split("  After MFA\n")[1]
    assert [line.split()[0] for line in after_part.splitlines()[1:]] == ["password", "new"]


def test_a_factor_already_there_is_not_new_even_without_details(displayed: list[dict]) -> None:
    """Passwords have no detail column; a re-used password is still the same factor."""
    again = dict(PASSWORD_FACTOR, last_authenticated_at="2026-01-01T00:05:00Z")
    show.session(_session_jwt(again), before=_session_jwt(PASSWORD_FACTOR))
    after_part = displayed[0]["text/plain"].split("  After MFA\n")[1]
    assert [line.split()[0] for line in after_part.splitlines()] == ["type", "password"]
    assert "detail" not in after_part
