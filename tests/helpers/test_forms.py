"""Forms check inputs locally, run the notebook's handler the same way for clicks and
headless runs, and turn Stytch errors into explanations next to the right field."""

from __future__ import annotations

import pytest
from stytch.core.response_base import StytchError, StytchErrorDetails

from helpers import errors, forms, show


class Recorder:
    """A handler that remembers its calls and returns (or raises) what it is told."""

    def __init__(self, result: object = "ok", error: Exception | None = None) -> None:
        self.calls: list[tuple] = []
        self.result, self.error = result, error

    def __call__(self, *args: object) -> object:
        self.calls.append(args)
        if self.error:
            raise self.error
        return self.result


def _stytch_error(error_type: str, status: int = 400) -> StytchError:
    return StytchError(StytchErrorDetails(status_code=status, request_id="request-id-test-1",
                                          error_type=error_type, error_message=f"{error_type} happened."))


def _texts(displayed: list[dict]) -> str:
    return "\n".join(bundle["text/plain"] for bundle in displayed)


def test_phone_form_rejects_a_number_without_country_code(displayed: list[dict]) -> None:
    handler = Recorder()
    form = forms.PhoneForm(handler, value="4155550123")
    form.show(submit=True)
    assert handler.calls == []
    assert "Enter the number in E.164 format, e.g. +14155550123" in form.fields["phone_number"].message.value
    assert "Enter the number in E.164 format" in _texts(displayed)  # headless: in the cell output
    assert form.result is None


@pytest.mark.parametrize("number", ["+1415555012", "+999123", "+1 (415) abc"])
def test_phone_form_rejects_invalid_numbers(displayed: list[dict], number: str) -> None:
    handler = Recorder()
    forms.PhoneForm(handler, value=number).show(submit=True)
    assert handler.calls == []


def test_phone_form_passes_e164_to_the_handler(displayed: list[dict]) -> None:
    handler = Recorder()
    forms.PhoneForm(handler, value=" +1 415 555 0123 ").show(submit=True)
    assert handler.calls == [("+14155550123",)]


@pytest.mark.parametrize(("typed", "sent"), [("123456", "123456"), (" 123 456 ", "123456")])
def test_code_form_accepts_six_digits(displayed: list[dict], typed: str, sent: str) -> None:
    handler = Recorder()
    forms.CodeForm(handler, value=typed).show(submit=True)
    assert handler.calls == [(sent,)]


@pytest.mark.parametrize("typed", ["12345", "1234567", "12a456", ""])
def test_code_form_rejects_anything_else(displayed: list[dict], typed: str) -> None:
    handler = Recorder()
    form = forms.CodeForm(handler, value=typed, label="SMS code")
    form.show(submit=True)
    assert handler.calls == []
    assert "6 digits" in form.fields["code"].message.value
    assert "SMS code: Enter the 6 digits" in _texts(displayed)


def test_recovery_code_form_checks_the_format(displayed: list[dict]) -> None:
    handler = Recorder()
    forms.RecoveryCodeForm(handler, value="abcd-1234").show(submit=True)
    forms.RecoveryCodeForm(handler, value=" ABCD-1234-EF56 ").show(submit=True)
    assert handler.calls == [("abcd-1234-ef56",)]


def test_token_form_takes_a_token_or_a_whole_link(displayed: list[dict]) -> None:
    handler = Recorder()
    forms.TokenForm(handler, value="http://localhost:3000/authenticate?stytch_token_type=x&token=abc%3D").show(submit=True)
    forms.TokenForm(handler, value="  def  ").show(submit=True)
    forms.TokenForm(handler, value="").show(submit=True)
    assert handler.calls == [("abc=",), ("def",)]


def test_email_and_password_forms(displayed: list[dict]) -> None:
    handler = Recorder()
    forms.EmailForm(handler, value="not an email").show(submit=True)
    forms.EmailForm(handler, value="ada@acme-workbook.example").show(submit=True)
    forms.PasswordForm(handler, email_address="ada@acme-workbook.example", password="").show(submit=True)
    forms.PasswordForm(handler, email_address="ada@acme-workbook.example", password="pw").show(submit=True)
    assert handler.calls == [("ada@acme-workbook.example",), ("ada@acme-workbook.example", "pw")]


def test_password_is_never_displayed(displayed: list[dict]) -> None:
    forms.PasswordForm(Recorder(None), email_address="ada@acme-workbook.example", password="hunter2").show()
    assert "hunter2" not in _texts(displayed)
    assert "Password: ••••••••" in _texts(displayed)


def test_policy_form_needs_a_method_when_restricted(displayed: list[dict]) -> None:
    handler = Recorder()
    form = forms.PolicyForm(handler, mfa_methods="RESTRICTED", allowed_mfa_methods=())
    form.show(submit=True)
    assert handler.calls == []
    assert "RESTRICTED needs at least one allowed method" in form.fields["allowed_mfa_methods"].message.value


def test_policy_form_calls_the_handler_with_the_three_settings(displayed: list[dict]) -> None:
    handler = Recorder()
    forms.PolicyForm(handler, mfa_policy="OPTIONAL", mfa_methods="RESTRICTED",
                     allowed_mfa_methods=["totp"]).show(submit=True)
    forms.PolicyForm(handler).show(submit=True)
    assert handler.calls == [("OPTIONAL", "RESTRICTED", ["totp"]), ("REQUIRED_FOR_ALL", "ALL_ALLOWED", ["sms_otp", "totp"])]


def test_method_form_offers_only_allowed_methods(displayed: list[dict]) -> None:
    handler = Recorder()
    form = forms.MethodForm(handler, allowed=["totp"], value="sms_otp")
    assert form.fields["method"].widget.options == (("Authenticator app (TOTP)", "totp"),)
    form.show(submit=True)
    assert handler.calls == [("totp",)]
    both = forms.MethodForm(handler)
    assert [label for label, _ in both.fields["method"].widget.options] == [
        "SMS one-time passcode", "Authenticator app (TOTP)"]


def test_action_form_calls_a_handler_without_arguments(displayed: list[dict]) -> None:
    handler = Recorder()
    form = forms.ActionForm(handler, button="Set up")
    form.show(submit=True)
    assert handler.calls == [()] and form.button.description == "Set up"


def test_success_stores_and_shows_the_result(displayed: list[dict]) -> None:
    form = forms.CodeForm(Recorder({"session_token": "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q"}), value="123456")
    form.show(submit=True)
    assert form.require_result() == {"session_token": "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q"}
    assert form.status.value == "Done"
    text = _texts(displayed)
    assert text.startswith("Form: The 6-digit code.\n  Code: 123456\n  [Verify]")
    assert '"session_token": "mZAYn5…"' in text


def test_a_none_result_is_not_shown(displayed: list[dict]) -> None:
    form = forms.ActionForm(Recorder(None))
    form.show(submit=True)
    assert len(displayed) == 1  # the form only


def test_require_result_says_what_to_do_before_a_submit() -> None:
    form = forms.CodeForm(Recorder(), button="Verify")
    with pytest.raises(forms.FormNotSubmitted, match='Fill in the form above and press "Verify" first.'):
        form.require_result()
    assert isinstance(forms.FormNotSubmitted("x"), RuntimeError)


@pytest.mark.parametrize("submit_by_click", [False, True])
def test_a_stytch_error_is_explained_next_to_its_field(displayed: list[dict], submit_by_click: bool) -> None:
    error = _stytch_error("otp_code_not_found", 404)
    form = forms.CodeForm(Recorder(error=error), value="123456")
    if submit_by_click:
        form.show()
        form.button.click()  # no exception escapes
    else:
        form.show(submit=True)  # no exception escapes
    assert show.explain(error) in form.fields["code"].message.value.replace("&#x27;", "'")
    assert "otp_code_not_found" in form.status.value
    assert form.result is None and not form.button.disabled
    if not submit_by_click:
        assert show.explain(error) in _texts(displayed)  # headless: in the cell output


def test_a_phone_error_goes_to_the_phone_field(displayed: list[dict]) -> None:
    form = forms.PhoneForm(Recorder(error=_stytch_error("invalid_phone_number")), value="+14155550123")
    form.show(submit=True)
    assert "invalid_phone_number (HTTP 400)" in form.fields["phone_number"].message.value


@pytest.mark.parametrize(("make_form", "field"), [
    (lambda handler: forms.CodeForm(handler, value="123456"), "code"),
    (lambda handler: forms.PhoneForm(handler, value="+14155550123"), "phone_number"),
    (lambda handler: forms.RecoveryCodeForm(handler, value="abcd-efgh-ijkl"), "recovery_code"),
    (lambda handler: forms.PasswordForm(handler, email_address="ada@acme.test", password="x"), "email_address"),
])
@pytest.mark.parametrize("error_type", ["user_lock_limit_reached", "too_many_requests"])
def test_a_lock_or_a_rate_limit_is_explained_where_the_person_typed(
    displayed: list[dict], make_form, field: str, error_type: str
) -> None:
    """Emulated Stytch limits (429) come with a hint of their own, next to the field in use."""
    error = _stytch_error(error_type, 429)
    form = make_form(Recorder(error=error))
    form.show(submit=True)
    message = form.fields[field].message.value.replace("&#x27;", "'")
    assert f"{error_type} (HTTP 429)" in message
    assert errors.ERRORS[error_type].what_to_do in message


def test_other_stytch_errors_go_to_the_status_line(displayed: list[dict]) -> None:
    form = forms.CodeForm(Recorder(error=_stytch_error("intermediate_session_not_found", 404)), value="123456")
    form.button.click()
    assert "intermediate_session_not_found (HTTP 404)" in form.status.value
    assert form.fields["code"].message.value == ""


def test_a_bug_in_the_handler_is_not_hidden(displayed: list[dict]) -> None:
    form = forms.CodeForm(Recorder(error=NameError("name 'clinet' is not defined")), value="123456")
    with pytest.raises(NameError):
        form.show(submit=True)
    assert "NameError" in form.status.value and not form.button.disabled


def test_a_click_runs_the_same_handler(displayed: list[dict]) -> None:
    handler = Recorder("result")
    form = forms.PhoneForm(handler, value="+14155550123")
    form.show()
    assert handler.calls == []
    form.button.click()
    assert handler.calls == [("+14155550123",)] and form.result == "result"


def test_a_token_is_shown_masked_in_the_form(displayed: list[dict]) -> None:
    token = "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q"
    forms.TokenForm(Recorder(None), value=token).show()
    assert token not in _texts(displayed) and "Magic link token: mZAYn5…" in _texts(displayed)


def test_a_handler_that_returns_none_still_counts_as_submitted(displayed: list[dict]) -> None:
    """An action whose SDK call returns nothing worth showing is done all the same: a later
    cell's require_result() must not send the reader back to the button."""
    form = forms.ActionForm(Recorder(None), button="Check the connection")
    assert not form.submitted
    form.show(submit=True)
    assert form.submitted and form.require_result() is None


def test_a_refused_submit_after_a_success_keeps_the_success(displayed: list[dict]) -> None:
    handler = Recorder("enrolled")
    form = forms.CodeForm(handler, value="123456")
    form.show(submit=True)
    handler.result, handler.error = None, _stytch_error("intermediate_session_not_found", 404)
    form.button.click()  # pressed again: Stytch refuses the used IST
    assert form.submitted and form.require_result() == "enrolled"
    assert "intermediate_session_not_found" in form.status.value


def test_a_refused_submit_is_not_submitted(displayed: list[dict]) -> None:
    form = forms.CodeForm(Recorder(error=_stytch_error("otp_code_not_found", 404)), value="123456")
    form.show(submit=True)
    assert not form.submitted
    with pytest.raises(forms.FormNotSubmitted):
        form.require_result()


@pytest.mark.parametrize("submit", [True, False])
def test_a_form_of_the_other_path_says_it_is_skipped(displayed: list[dict], submit: bool) -> None:
    handler = Recorder()
    form = forms.PhoneForm(handler, value="+14155550123", button="Text me a code")
    form.show(submit=submit, when=False)
    assert handler.calls == [] and not form.submitted
    assert _texts(displayed) == 'Skipped: "Text me a code" belongs to the other path.'
