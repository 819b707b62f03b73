"""ipywidgets forms that collect inputs and hand them to the notebook's own handler.

The handler is a function written in the notebook: it holds the Stytch SDK call and returns
the SDK response. A form only checks the inputs locally, calls the handler, and shows what
came back. Two ways in, one code path:

* a click on the button runs the handler and shows the result in the form's Output widget;
* `form.show(submit=True)` runs it at once with the fields' current values and shows the
  result in the cell's own output. That is the headless path: papermill has no clicks and
  keeps no widget state, so whatever must survive in a saved notebook goes there.

A lesson with two paths (SMS or authenticator app) names the path once and passes it to each
form: `form.show(submit=AUTO_SUBMIT, when=USE_SMS)` draws a form of the other path as one line
saying it is skipped. `form.submitted` says whether the handler has succeeded (its result may
be None), `form.inputs` what it succeeded with (the number typed, not the parameter);
`form.require_result()` is how a later cell waits for it.

Forms hold up to people in front of a room: the button turns itself off in the browser when
pressed (helpers.action_button), a one-shot step (`once=True`: a code, a magic link, a login)
pressed again says it is done instead of asking Stytch a second time, a code form refills
itself when the form that sends the code succeeds again (`refill=`, `refill_after=`), and every
form says what to run next.
"""

from __future__ import annotations

import html
import re
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, urlsplit

import ipywidgets as widgets
import phonenumbers
from IPython.display import display
from stytch.core.response_base import StytchError

from helpers.action_button import ActionButton
from helpers.call_log import LOG
from helpers.errors import ReadableError, advice
from helpers.masking import mask
from helpers.show import error as show_error, error_html, response as show_response

MFA_METHOD_LABELS = {"sms_otp": "SMS one-time passcode", "totp": "Authenticator app (TOTP)"}
E164_HINT = "Enter the number in E.164 format, e.g. +14155550123"
RUN_NEXT = "Next: run the cell below (Shift+Enter)."
START_OVER = "Start over"
# ipywidgets' HTML gives every line a widget's height: a message that wraps needs its own.
ERROR_STYLE = "color:var(--jp-error-color1);white-space:pre-wrap;line-height:1.4"
# SMS codes a resend replaces: the refusals of a wrong, expired or used code.
SMS_CODE_REFUSALS = ("otp_code_not_found", "unable_to_auth_otp_code")


class FormNotSubmitted(ReadableError, RuntimeError):
    """A cell needs a form's result before the form succeeded."""


@dataclass
class Field:
    """One input: its label, widget, how to read it, and the red message line under it."""

    name: str
    label: str
    widget: widgets.Widget
    read: Callable[[], Any]
    secret: bool = False  # a password: never shown
    token: bool = False  # a credential: shown masked

    def __post_init__(self) -> None:
        self.message = widgets.HTML()

    def say(self, text: str) -> None:
        self.message.value = f"<span style='{ERROR_STYLE}'>{html.escape(text)}</span>" if text else ""

    def say_html(self, markup: str) -> None:
        self.message.value = f"<div style='color:var(--jp-error-color1);line-height:1.4'>{markup}</div>"

    def summary(self) -> str:
        value = self.read()
        if self.secret:
            return "•" * 8 if value else "(empty)"
        if self.token and value:
            return mask(value)
        if isinstance(value, list):
            return ", ".join(value) or "(none)"
        return str(value) if value != "" else "(empty)"

    def box(self) -> widgets.Widget:
        label = widgets.HTML(f"<b>{html.escape(self.label)}</b>",
                             layout=widgets.Layout(width="14em", min_width="10em"))
        return widgets.VBox([widgets.HBox([label, self.widget], layout=widgets.Layout(flex_flow="row wrap")),
                             self.message])


# The forms of this kernel (one notebook), so that "Start over" can retire those of the attempt
# before it.
_FORMS: "weakref.WeakSet[Form]" = weakref.WeakSet()


class Form:
    """Fields, a submit button with its status line, and an Output for results of clicks."""

    default_description = ""
    default_button = "Submit"
    default_once = False  # True: a step Stytch accepts once (a code, a magic link, a login)

    def __init__(
        self,
        on_submit: Callable[..., Any],
        *,
        description: str | None = None,
        button: str | None = None,
        once: bool | None = None,
        next_step: str = RUN_NEXT,
    ) -> None:
        self.on_submit = on_submit
        self.description = self.default_description if description is None else description
        self.button_label = button or self.default_button
        self.once = self.default_once if once is None else once
        self.next_step = next_step
        self.fields: dict[str, Field] = {}
        self.result: Any = None  # what the handler returned, the last time it succeeded
        self.submitted = False  # whether it has succeeded (its result may be None)
        self.inputs: dict[str, Any] = {}  # the values it last succeeded with, as sent
        self.retired = False  # a "Start over" came after it: its cells must run again
        self._after_success: list[Callable[[Form], None]] = []
        self.button = ActionButton(description=self.button_label)
        self.button.on_click(lambda _: self._clicked())
        self.output = widgets.Output()
        self._view: widgets.Widget | None = None
        _FORMS.add(self)

    @property
    def status(self) -> str:
        """The status line beside the button (HTML)."""
        return self.button.status

    def _say(self, markup: str) -> None:
        self.button.status = markup

    def _say_text(self, text: str) -> None:
        self._say(html.escape(text, quote=False))

    # Building ----------------------------------------------------------------------------

    def _add(self, name: str, label: str, widget: widgets.Widget,
             read: Callable[[], Any] | None = None, secret: bool = False, token: bool = False) -> None:
        self.fields[name] = Field(name, label, widget, read or (lambda: widget.value), secret, token)

    @property
    def view(self) -> widgets.Widget:
        if self._view is None:
            self._view = widgets.VBox([
                widgets.HTML(f"<p>{html.escape(self.description)}</p>"),
                *(field.box() for field in self.fields.values()),
                self.button,
                self.output,
            ])
        return self._view

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        # The widget view for live kernels, a readable summary for saved notebooks and nbval.
        bundle = self.view._repr_mimebundle_(**kwargs)
        lines = [f"Form: {self.description}" if self.description else "Form"]
        lines += [f"  {field.label}: {field.summary()}" for field in self.fields.values()]
        lines.append(f"  [{self.button_label}]")
        bundle["text/plain"] = "\n".join(lines)
        return bundle

    def when_done(self, callback: Callable[[Form], None]) -> None:
        """Call `callback(form)` after each success of this form (e.g. refill a code field)."""
        self._after_success.append(callback)

    # Inputs ------------------------------------------------------------------------------

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Normalise the raw values and check them locally: (values, {field: problem})."""
        return values, {}

    def next_after(self, error_type: str) -> str | None:
        """What to do after Stytch refused with this error type, when this form knows better
        than the general table (helpers.errors); None: the table's advice."""
        return None

    # Running -----------------------------------------------------------------------------

    def show(self, submit: bool = False, when: bool = True) -> None:
        """Display the form; with submit=True also run the handler now (the headless path).
        when=False: the form belongs to a path this run did not take; say so, draw nothing."""
        if not when:
            text = f'Skipped: "{self.button_label}" belongs to the other path.'
            display({"text/plain": text, "text/html": f"<p><i>{html.escape(text)}</i></p>"}, raw=True)
            return
        display(self)
        if submit:
            self._submit(clicked=False)

    def require_result(self) -> Any:
        """The handler's result, once it has succeeded; else FormNotSubmitted, in one line."""
        if not self.submitted:
            raise FormNotSubmitted(f'Fill in the form above and press "{self.button_label}" first.')
        return self.result

    def retire(self) -> None:
        """A "Start over" came after this form: its step belongs to the attempt before."""
        self.retired = True
        self.button.disabled = True
        self._say(f"<i>From before &ldquo;{START_OVER}&rdquo;: run the cells below it again for a fresh form.</i>")

    def _clicked(self) -> None:
        if self.retired:
            return
        try:
            if self.once and self.submitted:
                self._say_text((
                    f"Done already: Stytch accepts this step once. {self.next_step} To go again from the "
                    f'beginning: "{START_OVER}" in Step 1.'))
                return
            self.output.clear_output()
            with self.output, LOG.held():
                self._submit(clicked=True)
        finally:
            self.button.disabled = self.retired  # the browser turned it off when pressed

    def _submit(self, clicked: bool) -> None:
        for field in self.fields.values():
            field.say("")
        values, problems = self.prepare({name: field.read() for name, field in self.fields.items()})
        if problems:
            for name, problem in problems.items():
                self.fields[name].say(problem)
            self._say_text(("Nothing sent: fix the field marked in red."))
            if not clicked:
                text = "\n".join(f"{self.fields[n].label}: {p}" for n, p in problems.items())
                display({"text/plain": f"Nothing sent to Stytch.\n{text}",
                         "text/html": f"<b>Nothing sent to Stytch.</b><pre>{html.escape(text)}</pre>"},
                        raw=True)
            return
        self.button.disabled = True
        self._say("Calling Stytch…")
        try:
            result = self.on_submit(*values.values())
        except StytchError as err:
            self._report(err)
            if not clicked:
                show_error(err)
            return
        except Exception as err:
            self._say(f"<span style='{ERROR_STYLE}'>{html.escape(f'Error: {type(err).__name__}: {err}')}</span>")
            raise  # a bug in the handler: show the traceback, and fail a headless run
        finally:
            self.button.disabled = False
        self.result, self.submitted, self.inputs = result, True, values
        self._say_text((f"Done. {self.next_step}"))
        if result is not None:
            show_response(result)
        for callback in self._after_success:
            callback(self)

    def _report(self, err: StytchError) -> None:
        """One line next to the field the error is about (helpers.errors), else on the status
        line: the error type and what to do; Stytch's message and request id folded away."""
        error_type = err.details.error_type or ""
        line = error_html(err, self.next_after(error_type))
        target = next((name for name in advice(error_type).fields if name in self.fields), None)
        if target:
            self.fields[target].say_html(line)
            self._say(f"<span style='{ERROR_STYLE}'>Stytch refused the request: {html.escape(error_type)}</span>")
        else:
            self._say(f"<div style='color:var(--jp-error-color1)'>{line}</div>")


def _text(value: str, placeholder: str = "") -> widgets.Text:
    return widgets.Text(value=value, placeholder=placeholder, layout=widgets.Layout(width="24em"))


class PolicyForm(Form):
    """handler(mfa_policy: str, mfa_methods: str, allowed_mfa_methods: list[str])"""

    default_description = "Choose the organization's MFA policy and which MFA methods its members may use."
    default_button = "Update organization"

    def __init__(self, on_submit: Callable[..., Any], mfa_policy: str = "REQUIRED_FOR_ALL",
                 mfa_methods: str = "ALL_ALLOWED", allowed_mfa_methods: Iterable[str] = ("sms_otp", "totp"),
                 **options: Any) -> None:
        super().__init__(on_submit, **options)
        self._add("mfa_policy", "mfa_policy",
                  widgets.Dropdown(options=["REQUIRED_FOR_ALL", "OPTIONAL"], value=mfa_policy))
        self._add("mfa_methods", "mfa_methods",
                  widgets.Dropdown(options=["ALL_ALLOWED", "RESTRICTED"], value=mfa_methods))
        chosen = set(allowed_mfa_methods)
        boxes = {m: widgets.Checkbox(value=m in chosen, description=label, indent=False)
                 for m, label in MFA_METHOD_LABELS.items()}
        self._add("allowed_mfa_methods", "allowed_mfa_methods", widgets.HBox(list(boxes.values())),
                  read=lambda: [m for m, box in boxes.items() if box.value])

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        if values["mfa_methods"] == "RESTRICTED" and not values["allowed_mfa_methods"]:
            return values, {"allowed_mfa_methods": "RESTRICTED needs at least one allowed method: tick one."}
        return values, {}


class MethodForm(Form):
    """handler(method: str) with "sms_otp" or "totp"."""

    default_description = "Choose how this member will do MFA."
    default_button = "Choose"

    def __init__(self, on_submit: Callable[..., Any], allowed: Iterable[str] = ("sms_otp", "totp"),
                 value: str = "sms_otp", **options: Any) -> None:
        super().__init__(on_submit, **options)
        allowed = [m for m in allowed if m in MFA_METHOD_LABELS]
        if not allowed:
            raise ValueError("MethodForm needs at least one of sms_otp, totp in `allowed`.")
        self._add("method", "MFA method", widgets.RadioButtons(
            options=[(MFA_METHOD_LABELS[m], m) for m in allowed],
            value=value if value in allowed else allowed[0],
        ))


class EmailForm(Form):
    """handler(email_address: str)"""

    default_description = "The member's email address."
    default_button = "Submit"

    def __init__(self, on_submit: Callable[..., Any], value: str = "", **options: Any) -> None:
        super().__init__(on_submit, **options)
        self._add("email_address", "Email address", _text(value, "ada@acme-workbook.example"))

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        values = {"email_address": values["email_address"].strip()}
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["email_address"]):
            return values, {"email_address": "Enter an email address, e.g. ada@acme-workbook.example"}
        return values, {}


class PasswordForm(Form):
    """handler(email_address: str, password: str)"""

    default_description = "Log in with email and password (the primary factor)."
    default_button = "Log in"

    def __init__(self, on_submit: Callable[..., Any], email_address: str = "", password: str = "",
                 **options: Any) -> None:
        super().__init__(on_submit, **options)
        self._add("email_address", "Email address", _text(email_address, "ada@acme-workbook.example"))
        self._add("password", "Password",
                  widgets.Password(value=password, layout=widgets.Layout(width="24em")), secret=True)

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        values = {"email_address": values["email_address"].strip(), "password": values["password"]}
        problems = {}
        if "@" not in values["email_address"]:
            problems["email_address"] = "Enter the member's email address."
        if not values["password"]:
            problems["password"] = "Enter the password."
        return values, problems


class PhoneForm(Form):
    """handler(phone_number: str), called with the number in E.164 form."""

    default_description = "The phone number that will receive the one-time passcode."
    default_button = "Send code"

    def __init__(self, on_submit: Callable[..., Any], value: str = "", **options: Any) -> None:
        super().__init__(on_submit, **options)
        self._add("phone_number", "Phone number", _text(value, "+14155550123"))

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        raw = values["phone_number"].strip()
        try:
            parsed = phonenumbers.parse(raw, None) if raw.startswith("+") else None
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            return {"phone_number": raw}, {"phone_number": E164_HINT}
        return {"phone_number": phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)}, {}


class CodeForm(Form):
    """handler(code: str), a 6-digit SMS or TOTP code. Stytch takes a code once: once=True.

    refill: where the newest code comes from (emulator only: its outbox; None on a real
    project, where the person types the code from the phone). refill_after: the form(s) that
    send a code (send, resend): each success of one of them puts the newest code in the field,
    and a refused code names that form's button as the thing to press next."""

    default_description = "The 6-digit code."
    default_button = "Verify"
    default_once = True

    def __init__(self, on_submit: Callable[..., Any], value: str = "", label: str = "Code",
                 refill: Callable[[], str] | None = None, refill_after: Form | Iterable[Form] = (),
                 **options: Any) -> None:
        super().__init__(on_submit, **options)
        self._add("code", label, _text(value, "123456"))
        self.refill = refill
        senders = [refill_after] if isinstance(refill_after, Form) else list(refill_after)
        self.resend_button = senders[-1].button_label if senders else None
        for sender in senders:
            sender.when_done(lambda _sender: self.fill_newest())

    def fill_newest(self) -> None:
        """A new code was sent: put it in the field (when `refill` can read it) and say so."""
        if self.retired or (self.once and self.submitted):
            return
        field = self.fields["code"]
        field.say("")
        if self.refill is None:
            self._say_text((f'A new code was sent: type it here, then press "{self.button_label}".'))
            return
        try:
            field.widget.value = self.refill()
        except ReadableError as err:
            field.say(str(err))
            return
        self._say_text((f'A new code was sent and is in the field. Next: press "{self.button_label}".'))

    def next_after(self, error_type: str) -> str | None:
        if error_type in SMS_CODE_REFUSALS and self.resend_button:
            fill = "it fills in here" if self.refill else "type it here"
            wrong = "Check the digits against the newest SMS, or press" if error_type == "otp_code_not_found" \
                else "Press"
            return f'{wrong} "{self.resend_button}" for a new code ({fill}), then "{self.button_label}".'
        return None

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        code = "".join(values["code"].split())  # people type "123 456"
        if not re.fullmatch(r"\d{6}", code):
            return {"code": code}, {"code": "Enter the 6 digits of the code."}
        return {"code": code}, {}


class RecoveryCodeForm(Form):
    """handler(recovery_code: str), in Stytch's xxxx-xxxx-xxxx form."""

    default_description = "One of the member's recovery codes (each works once)."
    default_button = "Recover"
    default_once = True

    def __init__(self, on_submit: Callable[..., Any], value: str = "", **options: Any) -> None:
        super().__init__(on_submit, **options)
        self._add("recovery_code", "Recovery code", _text(value, "xxxx-xxxx-xxxx"))

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        code = values["recovery_code"].strip().lower()
        if not re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", code):
            return {"recovery_code": code}, {"recovery_code": "A recovery code looks like xxxx-xxxx-xxxx."}
        return {"recovery_code": code}, {}


class TokenForm(Form):
    """handler(token: str); a pasted magic link URL is accepted too (its token= is used)."""

    default_description = "The token from the magic link (or paste the whole link)."
    default_button = "Authenticate"
    default_once = True  # a magic link works once

    def __init__(self, on_submit: Callable[..., Any], value: str = "", label: str = "Magic link token",
                 **options: Any) -> None:
        super().__init__(on_submit, **options)
        self._add("token", label, _text(value), token=True)

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        token = values["token"].strip()
        if "token=" in token:
            token = parse_qs(urlsplit(token).query).get("token", [token])[0]
        if not token:
            return {"token": token}, {"token": "Paste the token (or the link) from the email."}
        return {"token": token}, {}


class ActionForm(Form):
    """handler() with no inputs: a button only."""

    default_button = "Run"

    def __init__(self, on_submit: Callable[..., Any], button: str = "Run", **options: Any) -> None:
        super().__init__(on_submit, button=button, **options)


class StartOverForm(Form):
    """handler() resets the lesson's member (emulator only). After it, every other form of
    this notebook belongs to the attempt before: they are retired, and the lesson runs again
    from this form's cell, which sits above the lesson's set-up. On a real Stytch project it
    says how to start over and calls nothing."""

    def __init__(self, on_submit: Callable[..., Any], on_emulator: bool, **options: Any) -> None:
        # The cell a presenter just pressed in: the one they will click, so it is the one to name.
        self.rerun = ("click the prompt ([ ]:) of this cell and choose "
                      "Run \u25b8 Run Selected Cell and All Below")
        options.setdefault("description", "Emulator only: go again from the beginning with this lesson's "
                                          "member as new, without running cells one by one.")
        super().__init__(on_submit, button=START_OVER, next_step=f"Next: {self.rerun}.", **options)
        self.on_emulator = on_emulator
        self.real_project_note = (f"Emulator only. On a real Stytch project, {self.rerun}: "
                                  "the set-up below it deletes and re-creates the member.")
        self.when_done(lambda _: [form.retire() for form in list(_FORMS) if form is not self])

    def _submit(self, clicked: bool) -> None:
        if not self.on_emulator:
            self._say_text((self.real_project_note))
            return
        super()._submit(clicked)
