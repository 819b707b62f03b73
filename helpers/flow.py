"""The MFA flow as a state machine, drawn once with Mermaid, and where this notebook is in it.

STATES and EDGES are the machine: primary authentication, then a session (OPTIONAL, not
enrolled) or the intermediate session's MFA step (enroll or verify), SMS or authenticator app,
and a member session; opting in and stepping up with a session; the exits (an expired or used
IST, a refused code, a lock or rate limit). `mermaid()` writes it as Mermaid source, and
`make flow-picture` (tools/flow_picture/render.py) renders that in Chromium to
helpers/mfa_flow.svg, which the repository keeps, marked with the source's hash: nothing is
drawn, and nothing downloaded, at run time.

Where the notebook is comes from its own SDK calls (helpers.call_log): each answer to a call a
lesson makes moves the flow (`states_after`); calls made by set-up helpers do not. `svg()`
highlights the current state, the states passed and the edges taken by adding a style rule to
the kept picture. `FlowPicture` shows it: in JupyterLab it follows every call as it happens; a
saved notebook keeps the picture as it was when its cell ran (`bundle`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from helpers.call_log import LOG, Call, CallLog

PICTURE = Path(__file__).with_name("mfa_flow.svg")
SVG_ID = "mfa-flow"  # the id Mermaid renders the picture under; its element ids start with it


@dataclass(frozen=True)
class State:
    name: str  # in captions and paths
    label: str  # in the picture (Mermaid); <br/> breaks the line
    kind: str  # "step", "session" or "exit": the node's colours


STATES: dict[str, State] = {
    "org": State("Organization's MFA policy", "Organization's MFA policy", "step"),
    "primary": State("Primary authentication", "Primary authentication<br/>magic link or password", "step"),
    "enroll": State("Enroll a first method", "Enroll a first method<br/>member_options: null", "step"),
    "verify": State("Verify the enrolled method", "Verify the enrolled method<br/>member_options set", "step"),
    "session_1": State("Member session, one factor", "Member session<br/>one factor", "session"),
    "sms_sent": State("SMS code sent", "SMS code sent<br/>valid 2 minutes", "step"),
    "totp_created": State("Authenticator app registered", "Authenticator app<br/>registered, pending", "step"),
    "session_mfa": State("Member session with MFA", "Member session<br/>with MFA", "session"),
    "stepped_up": State("Session stepped up", "Session stepped up<br/>member not enrolled", "session"),
    "ist_expired": State("IST expired or used", "IST expired or used<br/>intermediate_session_not_found", "exit"),
    "code_refused": State("Code refused", "Code refused<br/>retry, or send a new one", "exit"),
    "locked": State("Locked or rate limited", "Locked or rate limited<br/>HTTP 429: wait", "exit"),
}

# (from, to, label, dashed). The order is Mermaid's: it decides the layout.
EDGES: tuple[tuple[str, str, str, bool], ...] = (
    ("org", "primary", "mfa_policy", True),
    ("primary", "enroll", "IST, no session", False),
    ("primary", "verify", "IST, no session", False),
    ("primary", "session_1", "OPTIONAL and<br/>not enrolled", False),
    ("enroll", "sms_sent", "otps.sms.send", False),
    ("enroll", "totp_created", "totps.create", False),
    ("verify", "sms_sent", "sent at login", False),
    ("verify", "session_mfa", "app or<br/>recovery code", False),
    ("session_1", "sms_sent", "opt in, step up:<br/>with the session", False),
    ("session_1", "totp_created", "", False),
    ("sms_sent", "session_mfa", "otps.sms.<br/>authenticate", False),
    ("totp_created", "session_mfa", "totps.<br/>authenticate", False),
    ("sms_sent", "stepped_up", "step-up:<br/>no enrollment", False),
    ("sms_sent", "code_refused", "wrong or expired", True),
    ("code_refused", "locked", "again 10 times", True),
    ("ist_expired", "primary", "log in again", True),
)

_PRIMARY = ("/v1/b2b/passwords/authenticate", "/v1/b2b/magic_links/authenticate")
_MFA_DONE = ("/v1/b2b/otps/sms/authenticate", "/v1/b2b/totp/authenticate", "/v1/b2b/recovery_codes/recover")
_ERROR_STATES = {
    "intermediate_session_not_found": "ist_expired",
    "otp_code_not_found": "code_refused",
    "unable_to_auth_otp_code": "code_refused",
    "invalid_totp_code": "code_refused",
    "unable_to_authenticate_totp": "code_refused",
    "totp_code_already_authenticated": "code_refused",
    "unable_to_authenticate_recovery_code": "code_refused",
    "user_lock_limit_reached": "locked",
    "too_many_requests": "locked",
}
_COLOURS = {  # fill, stroke
    "step": ("#eef0ff", "#7b7fd1"),
    "session": ("#e8f5e9", "#2e7d32"),
    "exit": ("#fdecea", "#c0392b"),
}
_PASSED = "#fff3c4"
_CAPTION = 56  # px above the drawing
_NOW = ("#ffd54f", "#e65100")


def mermaid() -> str:
    """The machine as Mermaid source (what helpers/mfa_flow.svg is rendered from)."""
    lines = ["flowchart TD"]
    lines += [f'  {name}["{state.label}"]' for name, state in STATES.items()]
    for source, target, label, dashed in EDGES:
        arrow = "-.->" if dashed else "-->"
        lines.append(f'  {source} {arrow}|"{label}"| {target}' if label else f"  {source} {arrow} {target}")
    return "\n".join(lines) + "\n"


def source_hash() -> str:
    return hashlib.sha256(mermaid().encode()).hexdigest()


# Where the notebook is ---------------------------------------------------------------------

def states_after(call: Call) -> list[str]:
    """The states a call's answer leads through, in order ([] for a call that moves nothing)."""
    if call.status is None:
        return []
    if call.error_type:
        return [_ERROR_STATES[call.error_type]] if call.error_type in _ERROR_STATES else []
    answer = call.response
    if call.path == "/v1/b2b/magic_links/email/login_or_signup":
        return ["primary"]
    if call.path in _PRIMARY:
        if answer.get("member_authenticated"):
            return ["primary", "session_1"]
        if answer.get("mfa_required.member_options") is None:
            return ["primary", "enroll"]
        if answer.get("mfa_required.secondary_auth_initiated") == "sms_otp":
            return ["primary", "verify", "sms_sent"]
        return ["primary", "verify"]
    if call.path == "/v1/b2b/otps/sms/send":
        return ["sms_sent"]
    if call.path == "/v1/b2b/totp":
        return ["totp_created"]
    if call.path in _MFA_DONE:
        return ["session_mfa" if answer.get("member.mfa_enrolled") else "stepped_up"]
    if call.method == "PUT" and re.fullmatch(r"/v1/b2b/organizations/[^/]+", call.path):
        return ["org"]
    return []


@dataclass(frozen=True)
class Journey:
    states: tuple[str, ...]  # the states passed, oldest first, no state twice in a row
    last_call: Call | None  # the call that led to the current state

    @property
    def now(self) -> str | None:
        return self.states[-1] if self.states else None

    @property
    def edges_taken(self) -> set[tuple[str, str]]:
        known = {(source, target) for source, target, _, _ in EDGES}
        return {pair for pair in zip(self.states, self.states[1:]) if pair in known}

    @property
    def caption(self) -> str:
        if self.now is None:
            return "Not started: the picture follows the SDK calls this notebook makes."
        name = STATES[self.now].name
        return f"Now: {name}, after {self.last_call.summary}" if self.last_call else f"Now: {name}"


def journey(calls: list[Call]) -> Journey:
    """Where the lesson's own calls (not the set-up helpers') have led."""
    states: list[str] = []
    last = None
    for call in calls:
        if call.setup:
            continue
        entered = states_after(call)
        if entered:
            last = call
        for state in entered:
            if not states or states[-1] != state:
                states.append(state)
    return Journey(tuple(states), last)


# The picture -------------------------------------------------------------------------------

@cache
def _kept_picture() -> str:
    return PICTURE.read_text()


def _node(state: str) -> str:
    return f'#{SVG_ID} g[id^="{SVG_ID}-flowchart-{state}-"] > rect'


def _edge(source: str, target: str) -> str:
    return f'#{SVG_ID} path[id^="{SVG_ID}-L_{source}_{target}_"]'


def svg(now: Journey) -> str:
    """The kept picture, coloured by kind, with the journey highlighted and its caption on top."""
    # !important: Mermaid's own rules for its "neo" look are more specific.
    rules = [f"{_node(name)}{{fill:{_COLOURS[state.kind][0]}!important;stroke:{_COLOURS[state.kind][1]}!important}}"
             for name, state in STATES.items()]
    rules += [f"{_node(name)}{{fill:{_PASSED}!important}}" for name in sorted(set(now.states))]
    rules += [f"{_edge(*pair)}{{stroke:{_NOW[1]}!important;stroke-width:3px!important}}"
              for pair in sorted(now.edges_taken)]
    if now.now:
        rules.append(f"{_node(now.now)}{{fill:{_NOW[0]}!important;stroke:{_NOW[1]}!important;"
                     "stroke-width:4px!important}")
    picture = _kept_picture()
    root = re.search(r"<svg[^>]*>", picture).group(0)
    x, y, width, height = (float(v) for v in re.search(r'viewBox="([^"]+)"', root).group(1).split())
    # Room above the drawing for the caption: where the notebook is, and the call that led there.
    grown = re.sub(r'viewBox="[^"]+"', f'viewBox="{x} {y - _CAPTION} {width} {height + _CAPTION}"', root)
    grown = re.sub(r' height="[\d.]+"', f' height="{height + _CAPTION:.0f}"', grown)
    headline, _, detail = now.caption.partition(", after ")
    caption = (f'<text x="{x + 8}" y="{y - _CAPTION + 22}" font-family="sans-serif" fill="#333">'
               f'<tspan font-size="18" font-weight="bold">{html.escape(headline)}</tspan>'
               + (f'<tspan x="{x + 8}" dy="22" font-size="14">after {html.escape(detail)}</tspan>' if detail else "")
               + "</text>")
    return picture.replace(root, grown, 1).replace("</svg>", f"<style>{''.join(rules)}</style>{caption}</svg>")


def as_text(now: Journey) -> str:
    path = " → ".join(STATES[state].name for state in now.states) or "-"
    return f"MFA flow picture. {now.caption}\nPath so far: {path}"


class FlowPicture:
    """The flow picture, redrawn after every call (a widget in JupyterLab: right-click its
    output, "Create New View for Output", to keep it beside the notebook)."""

    def __init__(self, log: CallLog = LOG) -> None:
        self.log = log
        # Whole in view: no wider than the output, no taller than most of the window.
        self.image = widgets.Image(format="svg+xml", layout=widgets.Layout(
            width="auto", height="auto", max_width="100%", max_height="85vh"))
        self.now = journey(log.calls)
        self.image.value = svg(self.now).encode()
        log.listen(lambda _call: self.redraw())

    def redraw(self) -> None:
        """Draw again if the calls moved the flow (most set-up calls do not)."""
        now = journey(self.log.calls)
        if now != self.now:
            self.now = now
            self.image.value = svg(now).encode()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return {**self.image._repr_mimebundle_(**kwargs), **bundle(self.now)}


def bundle(now: Journey) -> dict[str, str]:
    """The picture for a saved notebook: an <img> of the SVG in HTML, which JupyterLab shows in a
    notebook it does not trust (it shows image/svg+xml only in trusted ones), and its text twin."""
    encoded = base64.b64encode(svg(now).encode()).decode()
    return {
        "text/html": f'<img alt="{html.escape(as_text(now))}" src="data:image/svg+xml;base64,{encoded}">',
        "text/plain": as_text(now),
    }
