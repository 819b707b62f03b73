"""Every request the Stytch SDK sends from this kernel, recorded at the HTTP layer.

`get_client()` builds the SDK's `requests.Session` with a `RecordingAdapter` mounted for
http:// and https://, and hands it over as `stytch.B2BClient(..., sync_session=...)`: the same
code records on the emulator and on a real project, and nothing inside the SDK is patched.

Each `Call` keeps the method, the path, the request's fields, the status, the response's key
fields, the time taken and which code made it. Tokens and JWTs are shortened, and codes,
passwords, hashes and TOTP secrets hidden (helpers.masking) *before* anything is stored, so the
log never holds a usable secret. Not recorded: the JWKS that `sessions.authenticate_jwt` fetches
with PyJWT's own client, outside the session.
"""

from __future__ import annotations

import html
import json
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import HTTPAdapter

from helpers.masking import SECRET_KEYS, masked

# The response fields worth a line in the log, as dotted paths.
KEY_FIELDS = (
    "error_type",
    "member_authenticated",
    "intermediate_session_token",
    "session_token",
    "session_jwt",
    "mfa_required.member_options",
    "mfa_required.secondary_auth_initiated",
    "member_session.authentication_factors",
    "member.mfa_enrolled",
    "member.default_mfa_method",
    "member.is_locked",
    "organization.mfa_policy",
    "organization.mfa_methods",
    "organization.allowed_mfa_methods",
    "totp_id",
    "secret",
    "recovery_codes",
    "recovery_codes_remaining",
)
# Frames of these modules are plumbing: the caller is the first frame outside them.
_PLUMBING = ("requests", "urllib3", "stytch", "http", "helpers.call_log", "helpers.forms",
             "ipywidgets", "traitlets", "comm", "ipykernel", "IPython", "asyncio", "threading")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    request: dict[str, Any]  # masked
    status: int | None  # None: no answer (the connection failed)
    response: dict[str, Any]  # the KEY_FIELDS present in the answer, masked
    seconds: float
    caller: str  # "cell", "send_sms()" (a function in the notebook), "fixtures.member"
    setup: bool = False  # made by a helper (fixtures, checks), not by the lesson's own code
    failure: str = ""  # why there was no answer

    @property
    def error_type(self) -> str | None:
        return self.response.get("error_type")

    @property
    def summary(self) -> str:
        """`POST /v1/b2b/otps/sms/send → 200`: what happened, without timing."""
        outcome = self.status if self.status is not None else f"no answer ({self.failure})"
        extra = f" {self.error_type}" if self.error_type else ""
        return f"{self.method} {self.path} → {outcome}{extra}"


def _caller() -> tuple[str, bool]:
    """Who made the request: (label, made by a helper)."""
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not any(module == p or module.startswith(p + ".") for p in _PLUMBING):
            function = frame.f_code.co_name
            if module == "__main__":  # a notebook cell, or a function defined in one
                return ("cell" if function == "<module>" else f"{function}()"), False
            return f"{module.removeprefix('helpers.')}.{function}", module.startswith("helpers.")
        frame = frame.f_back
    return "?", False


def _request_fields(request: requests.PreparedRequest) -> dict[str, Any]:
    fields: dict[str, Any] = dict(parse_qsl(urlsplit(request.url or "").query))
    body = request.body
    if body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        try:
            data = json.loads(text)
        except ValueError:
            data = {"body": f"({len(text)} characters, not JSON)"}
        fields.update(data if isinstance(data, dict) else {"body": data})
    return masked(fields, hide=SECRET_KEYS)


def _factor_summary(factors: list[dict]) -> list[str]:
    return [f"{f.get('type')} ({f.get('delivery_method')})" for f in factors if isinstance(f, dict)]


def _key_fields(response: requests.Response | None) -> dict[str, Any]:
    if response is None:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    body = masked(body, hide=SECRET_KEYS)
    picked: dict[str, Any] = {}
    for path in KEY_FIELDS:
        value: Any = body
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                break
            value = value[part]
        else:
            if path.endswith("authentication_factors") and isinstance(value, list):
                value = _factor_summary(value)
            elif path == "recovery_codes" and isinstance(value, list):
                value = f"{len(value)} codes, hidden"
            picked[path] = value
    return picked


class CallLog:
    """The calls, oldest first, and whoever listens for new ones (live views)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._listeners: list[Callable[[Call], None]] = []

    def attach(self, session: requests.Session) -> requests.Session:
        """Record every request `session` sends, over http and https alike."""
        adapter = RecordingAdapter(self)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    def listen(self, callback: Callable[[Call], None]) -> None:
        self._listeners.append(callback)

    def add(self, call: Call) -> None:
        self.calls.append(call)
        for callback in list(self._listeners):
            callback(call)

    def lesson_calls(self) -> list[Call]:
        """The calls the notebook's own code made (not its set-up helpers)."""
        return [call for call in self.calls if not call.setup]


class RecordingAdapter(HTTPAdapter):
    """requests' own adapter, timing each request and adding it to a CallLog."""

    def __init__(self, log: CallLog) -> None:
        super().__init__()
        self.log = log

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        caller, setup = _caller()
        started = time.perf_counter()
        try:
            response = super().send(request, *args, **kwargs)
            response.content  # read the body inside the timing (requests would, right after)
        except requests.RequestException as err:
            self.log.add(self._call(request, None, started, caller, setup, failure=type(err).__name__))
            raise
        self.log.add(self._call(request, response, started, caller, setup))
        return response

    @staticmethod
    def _call(request: requests.PreparedRequest, response: requests.Response | None, started: float,
              caller: str, setup: bool, failure: str = "") -> Call:
        return Call(
            method=request.method or "?",
            path=urlsplit(request.url or "").path,
            request=_request_fields(request),
            status=response.status_code if response is not None else None,
            response=_key_fields(response),
            seconds=time.perf_counter() - started,
            caller=caller,
            setup=setup,
            failure=failure,
        )


LOG = CallLog()  # this kernel's: helpers.client.get_client() attaches it


# Showing the log ------------------------------------------------------------------------------

def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _pairs(fields: dict[str, Any]) -> str:
    return ", ".join(f"{key}={_value(value)}" for key, value in fields.items()) or "-"


def as_text(calls: list[Call]) -> str:
    lines = []
    for number, call in enumerate(calls, 1):
        lines.append(f"{number:>3}. {call.summary}, {call.seconds * 1000:.0f} ms  [{call.caller}]")
        lines.append(f"       sent: {_pairs(call.request)}")
        lines.append(f"       got:  {_pairs(call.response)}")
    return "\n".join(lines)


def _cell(text: str, style: str = "") -> str:
    return f"<td style='text-align:left;vertical-align:top;{style}'>{html.escape(text)}</td>"


def as_html_table(calls: list[Call]) -> str:
    rows = []
    for number, call in enumerate(calls, 1):
        failed = call.status is None or call.status >= 400
        status = str(call.status) if call.status is not None else f"no answer ({call.failure})"
        rows.append(
            "<tr>" + _cell(str(number))
            + _cell(f"{call.method} {call.path}", "font-family:monospace;white-space:nowrap")
            + _cell("\n".join(f"{k}={_value(v)}" for k, v in call.request.items()) or "-",
                    "font-family:monospace;white-space:pre-wrap;max-width:28em")
            + _cell(status + (f" {call.error_type}" if call.error_type else ""),
                    "color:var(--jp-error-color1,#c0392b)" if failed else "")
            + _cell("\n".join(f"{k}={_value(v)}" for k, v in call.response.items()) or "-",
                    "font-family:monospace;white-space:pre-wrap;max-width:28em")
            + _cell(f"{call.seconds * 1000:.0f} ms", "white-space:nowrap")
            + _cell(call.caller, "white-space:nowrap") + "</tr>"
        )
    head = "".join(f"<th style='text-align:left'>{h}</th>"
                   for h in ("#", "call", "sent", "status", "got", "time", "from"))
    return f"<table style='font-size:0.9em'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _title(calls: list[Call]) -> str:
    return f"API call log: {len(calls)} call{'s' * (len(calls) != 1)} to Stytch from this notebook"


def bundle(log: CallLog = LOG) -> dict[str, str]:
    """The log so far, as a collapsible table and its text twin."""
    calls = list(log.calls)
    note = "Tokens are shortened; codes, passwords and secrets hidden. [from] is the code that made the call."
    return {
        "text/html": f"<details><summary><b>{html.escape(_title(calls))}</b></summary>"
                     f"<p><small>{html.escape(note)}</small></p>{as_html_table(calls)}</details>",
        "text/plain": f"{_title(calls)}\n{note}\n{as_text(calls)}",
    }

