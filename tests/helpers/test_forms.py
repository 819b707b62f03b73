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
    assert form.status == "Done. Next: run the cell below (Shift+Enter)."
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
    message = form.fields["code"].message.value.replace("&#x27;", "'")
    # One line (the type and what to do), Stytch's message and the request id folded away.
    summary, folded = message.split("</summary>")
    assert "<code>otp_code_not_found</code>" in summary and errors.ERRORS["otp_code_not_found"].what_to_do in summary
    assert "HTTP 404: otp_code_not_found happened." in folded and "request-id-test-1" in folded
    assert "otp_code_not_found" in form.status
    assert form.result is None and not form.button.disabled
    if not submit_by_click:
        assert show.explain(error) in _texts(displayed)  # headless: in the cell output


def test_a_phone_error_goes_to_the_phone_field(displayed: list[dict]) -> None:
    form = forms.PhoneForm(Recorder(error=_stytch_error("invalid_phone_number")), value="+14155550123")
    form.show(submit=True)
    assert "<code>invalid_phone_number</code>" in form.fields["phone_number"].message.value


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
    assert f"<code>{error_type}</code>" in message and "HTTP 429" in message
    assert errors.ERRORS[error_type].what_to_do in message


def test_other_stytch_errors_go_to_the_status_line(displayed: list[dict]) -> None:
    form = forms.CodeForm(Recorder(error=_stytch_error("intermediate_session_not_found", 404)), value="123456")
    form.button.click()
    assert "<code>intermediate_session_not_found</code>" in form.status and "HTTP 404" in form.status
    assert form.fields["code"].message.value == ""


def test_a_bug_in_the_handler_is_not_hidden(displayed: list[dict]) -> None:
    form = forms.CodeForm(Recorder(error=NameError("name 'clinet' is not defined")), value="123456")
    with pytest.raises(NameError):
        form.show(submit=True)
    assert "NameError" in form.status and not form.button.disabled


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
    handler = Recorder("sent")
    form = forms.PhoneForm(handler, value="+14155550123")
    form.show(submit=True)
    handler.result, handler.error = None, _stytch_error("too_many_requests", 429)
    form.button.click()  # pressed again: a resend, refused
    assert form.submitted and form.require_result() == "sent"
    assert "too_many_requests" in form.status


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


# Forms that hold up to people ------------------------------------------------------------


def test_a_one_shot_step_pressed_again_says_it_is_done_and_calls_nothing(displayed: list[dict]) -> None:
    """A code, a magic link, a recovery code: Stytch takes each once, so a second press must
    not turn the success into a red intermediate_session_not_found."""
    handler = Recorder("enrolled")
    form = forms.CodeForm(handler, value="123456", button="Verify SMS code")
    form.show()
    form.button.click()
    form.button.click()
    assert handler.calls == [("123456",)]
    assert form.require_result() == "enrolled"
    assert form.status.startswith("Done already: Stytch accepts this step once.")
    assert '"Start over" in Step 1' in form.status and not form.button.disabled
    assert forms.TokenForm(handler).once and forms.RecoveryCodeForm(handler).once
    assert not forms.PhoneForm(handler).once  # sending again is a resend


def test_a_failed_one_shot_step_can_be_pressed_again(displayed: list[dict]) -> None:
    handler = Recorder(error=_stytch_error("otp_code_not_found", 404))
    form = forms.CodeForm(handler, value="123456")
    form.show()
    form.button.click()
    handler.error = None
    form.button.click()
    assert len(handler.calls) == 2 and form.submitted


def test_later_steps_read_what_was_typed_and_sent(displayed: list[dict]) -> None:
    handler = Recorder("sent")
    form = forms.PhoneForm(handler, value="+14155550102")  # the PHONE_NUMBER parameter
    form.show()
    form.fields["phone_number"].widget.value = "+1 415 555 0199"  # what the presenter typed
    form.button.click()
    assert form.inputs == {"phone_number": "+14155550199"}
    handler.error = _stytch_error("invalid_phone_number_country_code")
    form.fields["phone_number"].widget.value = "+44 20 7946 0958"
    form.button.click()  # refused: nothing was sent there
    assert form.inputs == {"phone_number": "+14155550199"}


def test_a_resend_refreshes_the_code_field(displayed: list[dict]) -> None:
    outbox = {"+14155550102": "111111"}
    phone_form = forms.PhoneForm(Recorder("sent"), value="+14155550102", button="Text me a code")
    phone_form.show(submit=True)
    code_form = forms.CodeForm(Recorder("enrolled"), value="111111", button="Verify SMS code",
                               refill=lambda: outbox[phone_form.inputs["phone_number"]], refill_after=phone_form)
    outbox["+14155550102"] = "222222"  # the resend's new code
    phone_form.button.click()
    assert code_form.fields["code"].widget.value == "222222"
    assert code_form.status == 'A new code was sent and is in the field. Next: press "Verify SMS code".'
    code_form.button.click()
    assert code_form.on_submit.calls == [("222222",)]
    outbox["+14155550102"] = "333333"
    phone_form.button.click()  # after the code succeeded: the field keeps what was used
    assert code_form.fields["code"].widget.value == "222222"


def test_without_an_outbox_a_resend_asks_for_the_code(displayed: list[dict]) -> None:
    phone_form = forms.PhoneForm(Recorder("sent"), value="+14155550102")
    code_form = forms.CodeForm(Recorder(), value="", refill=None, refill_after=phone_form, button="Verify")
    phone_form.button.click()
    assert code_form.status == 'A new code was sent: type it here, then press "Verify".'


@pytest.mark.parametrize(("error_type", "next_step"), [
    ("unable_to_auth_otp_code", 'Press "Text me a code" for a new code (it fills in here), then "Verify SMS code".'),
    ("otp_code_not_found", 'Check the digits against the newest SMS, or press "Text me a code" for a new code'),
])
def test_an_expired_or_wrong_sms_code_names_the_button_to_press(displayed: list[dict], error_type: str,
                                                                 next_step: str) -> None:
    phone_form = forms.PhoneForm(Recorder("sent"), value="+14155550102", button="Text me a code")
    code_form = forms.CodeForm(Recorder(error=_stytch_error(error_type, 401)), value="123456",
                               button="Verify SMS code", refill=lambda: "654321", refill_after=phone_form)
    code_form.button.click()
    assert next_step in code_form.fields["code"].message.value.replace("&quot;", '"')


def test_a_refused_totp_code_asks_for_the_current_code_not_the_device_clock() -> None:
    what_to_do = errors.ERRORS["unable_to_authenticate_totp"].what_to_do
    assert "clock" not in what_to_do
    assert "Type the code the authenticator app shows now, or wait for its next one" in what_to_do


def test_the_mistyped_number_hint_names_the_way_out() -> None:
    what_to_do = errors.ERRORS["duplicate_member_phone_number_for_member"].what_to_do
    assert "organizations.members.delete_mfa_phone_number" in what_to_do
    assert '"Remove the phone number"' in what_to_do


def test_start_over_resets_then_retires_the_attempts_forms(displayed: list[dict]) -> None:
    reset = Recorder(None)
    code_form = forms.CodeForm(Recorder("enrolled"), value="123456")
    code_form.show(submit=True)
    start_over = forms.StartOverForm(reset, on_emulator=True)
    start_over.button.click()
    assert reset.calls == [()]
    assert "of this cell and choose Run \u25b8 Run Selected Cell and All Below" in start_over.status
    assert code_form.retired and code_form.button.disabled
    code_form.button.click()  # a stale form calls nothing
    assert code_form.on_submit.calls == [("123456",)]
    start_over.button.click()  # it may be pressed again
    assert reset.calls == [(), ()] and not start_over.retired


def test_start_over_on_a_real_project_says_what_to_do_and_calls_nothing(displayed: list[dict]) -> None:
    reset = Recorder(None)
    start_over = forms.StartOverForm(reset, on_emulator=False)
    start_over.button.click()
    assert reset.calls == []
    assert start_over.status.startswith("Emulator only. On a real Stytch project, click the prompt")


def test_every_form_says_what_to_run_next(displayed: list[dict]) -> None:
    form = forms.ActionForm(Recorder(None), button="Remove the phone number",
                            next_step='Next: correct the number above and press "Text me a code".')
    form.button.click()
    assert form.status == 'Done. Next: correct the number above and press "Text me a code".'


def test_the_button_turns_itself_off_in_the_browser_before_it_tells_the_kernel() -> None:
    """The browser's half (proved with a real double click in tests/browser/test_presenter.py):
    the click handler disables the button before it sends the click."""
    esm = forms.ActionButton._esm
    handler = esm[esm.index('addEventListener("click"'):]
    assert handler.index("button.disabled = true") < handler.index("model.send(")
    # Off, or the second click of a double click (the step may already be done when it comes).
    assert "if (button.disabled || event.detail > 1) return;" in handler


def test_a_pressed_button_shows_its_answer_before_the_live_views_redraw(
        displayed: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    """The flow picture listens to the call log; its redraw waits until the form has said Done,
    so a presenter sees the answer first."""
    from helpers.call_log import LOG, Call

    seen_by_listener: list[str] = []
    monkeypatch.setattr(LOG, "_listeners", [])  # this kernel-wide log: only this test's listener
    LOG.listen(lambda _call: seen_by_listener.append(form.status))

    def send(phone_number: str) -> str:
        LOG.add(Call("POST", "/v1/b2b/otps/sms/send", {}, 200, {}, 0.01, "send_sms()"))
        return "sent"

    form = forms.PhoneForm(send, value="+14155550123")
    form.show()
    form.button.click()
    assert len(seen_by_listener) == 1 and "Done" in seen_by_listener[0]
