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
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import HTTPAdapter

from helpers.masking import SECRET_KEYS, masked

# The response fields worth a line in the log, as dotted paths: these when present...
KEY_FIELDS = (
    "error_type",
    "member_authenticated",
    "mfa_required.member_options",
    "mfa_required.secondary_auth_initiated",
    "member.mfa_enrolled",
)
# ...these when they hold something...
KEY_FIELDS_IF_SET = (
    "intermediate_session_token",
    "session_token",
    "session_jwt",
    "member_session.authentication_factors",
    "member.default_mfa_method",
    "member.is_locked",
    "totp_id",
    "secret",
    "recovery_codes",
    "recovery_codes_remaining",
)
# ...and the organization's MFA settings where they are the point: its own routes, and
# primary authentication, which a login UI reads them from.
ORGANIZATION_FIELDS = ("organization.mfa_policy", "organization.mfa_methods", "organization.allowed_mfa_methods")
# A Stytch ID in a path, e.g. member-test-8bba69f3-4657-4b70-a37d-3de4bfea5f87.
_ID_IN_PATH = re.compile(r"\b([a-z]+)-(?:test|live)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_ORGANIZATION_ROUTES = re.compile(r"/v1/b2b/(organizations(/[^/]+)?|passwords/authenticate|magic_links/authenticate)")
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
    def route(self) -> str:
        """The path with its IDs named: /v1/b2b/organizations/{organization_id}/members."""
        return _ID_IN_PATH.sub(lambda m: "{" + m.group(1) + "_id}", self.path)

    @property
    def summary(self) -> str:
        """`POST /v1/b2b/otps/sms/send → 200`: what happened, without timing."""
        outcome = self.status if self.status is not None else f"no answer ({self.failure})"
        extra = f" {self.error_type}" if self.error_type else ""
        return f"{self.method} {self.route} → {outcome}{extra}"


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


def _lookup(body: dict, path: str) -> tuple[bool, Any]:
    value: Any = body
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


def _key_fields(path: str, response: requests.Response | None) -> dict[str, Any]:
    if response is None:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    body = masked(body, hide=SECRET_KEYS)
    wanted = [(field, False) for field in KEY_FIELDS] + [(field, True) for field in KEY_FIELDS_IF_SET]
    if _ORGANIZATION_ROUTES.fullmatch(path):
        wanted += [(field, False) for field in ORGANIZATION_FIELDS]
    picked: dict[str, Any] = {}
    for field, only_if_set in wanted:
        present, value = _lookup(body, field)
        if not present or (only_if_set and value in ("", None, [], False)):
            continue
        if field.endswith("authentication_factors") and isinstance(value, list):
            value = _factor_summary(value)
        elif field == "recovery_codes" and isinstance(value, list):
            value = f"{len(value)} codes, hidden"
        picked[field] = value
    return picked


class CallLog:
    """The calls, oldest first, and whoever listens for new ones (live views)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._listeners: list[Callable[[Call], None]] = []
        self._held: list[Call] | None = None

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
        if self._held is not None:
            self._held.append(call)
            return
        self._tell(call)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Record as usual but tell the listeners only at the end: a form's own answer reaches
        the screen before the live views' redraws (a flow picture is tens of KiB)."""
        if self._held is not None:
            yield
            return
        self._held = []
        try:
            yield
        finally:
            held, self._held = self._held, None
            for call in held:
                self._tell(call)

    def _tell(self, call: Call) -> None:
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
        path = urlsplit(request.url or "").path
        return Call(
            method=request.method or "?",
            path=path,
            request=_request_fields(request),
            status=response.status_code if response is not None else None,
            response=_key_fields(path, response),
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


def _short_ids(text: str) -> str:
    """IDs cut to their first 8 hex digits, so a row fits the page (the text twin keeps them)."""
    return _ID_IN_PATH.sub(lambda m: m.group(0)[: len(m.group(1)) + len("-test-") + 8] + "…", text)


def _fields(label: str, fields: dict[str, Any]) -> str:
    lines = [f"{key}={_value(value)}" for key, value in fields.items()] or ["-"]
    return "\n".join(f"{label if i == 0 else '':<5} {line}" for i, line in enumerate(lines))


def as_html_table(calls: list[Call]) -> str:
    """One row a call: the call and its outcome, then what was sent and what came back. Three
    columns, so a notebook's width holds it."""
    cell = "text-align:left;vertical-align:top"
    rows = []
    for number, call in enumerate(calls, 1):
        failed = call.status is None or call.status >= 400
        outcome = html.escape(call.summary.split(" → ", 1)[1])
        if failed:
            outcome = f"<b style='color:#c0392b'>{outcome}</b>"
        details = _short_ids(_fields("sent", call.request) + "\n" + _fields("got", call.response))
        rows.append(
            f"<tr><td style='{cell}'>{number}</td>"
            f"<td style='{cell}'><code>{html.escape(f'{call.method} {call.route}')}</code><br>"
            f"{outcome} · {call.seconds * 1000:.0f} ms · {html.escape(call.caller)}</td>"
            f"<td style='{cell}'><pre style='margin:0;white-space:pre-wrap;overflow-wrap:anywhere'>"
            f"{html.escape(details)}</pre></td></tr>"
        )
    head = "".join(f"<th style='text-align:left'>{h}</th>" for h in ("#", "call", "sent and got"))
    return f"<table style='font-size:0.9em'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _title(calls: list[Call]) -> str:
    return f"API call log: {len(calls)} call{'s' * (len(calls) != 1)} to Stytch from this notebook"


def bundle(log: CallLog = LOG) -> dict[str, str]:
    """The log so far, as a collapsible table and its text twin."""
    calls = list(log.calls)
    note = ("Tokens are shortened; codes, passwords and secrets hidden. Each call names the code that made it: "
            "a cell, one of its functions, or a set-up helper.")
    return {
        "text/html": f"<details><summary><b>{html.escape(_title(calls))}</b></summary>"
                     f"<p><small>{html.escape(note)}</small></p>{as_html_table(calls)}</details>",
        "text/plain": f"{_title(calls)}\n{note}\n{as_text(calls)}",
    }

