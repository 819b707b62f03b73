"""The fixed scenario, and running it on one side (the emulator, or a Stytch test project).

Every step makes its SDK calls and the side records the raw JSON of the HTTP response the
step ends with, success or error: that is what gets compared. The scenario texts no phone
and emails no inbox that could receive anything, so it runs on a real project unattended:
its only phone number is one the UK keeps for drama, its only email address is at
example.com, and the magic link it asks for goes to a URL no project registers.

Steps that need time to pass (an intermediate session's 10 minutes) move the emulator's
clock; on a real project they wait only when asked (--wait), else they are skipped.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import bcrypt
import pyotp
import requests
import stytch
from stytch.core.response_base import StytchError

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl

PASSWORD = "parity-Correct-Horse-Battery-42"
UK_PHONE = "+442079460123"  # an Ofcom drama number: valid, and it reaches no one
UNREGISTERED_URL = "https://parity.invalid/not-registered"
LOCK_ATTEMPTS = 10  # Stytch's documented default lock threshold


class Skipped(Exception):
    """This side cannot run the step (the reason is reported)."""


@dataclass
class Side:
    """One backend, reached through the official SDK, with its last HTTP response recorded."""

    name: str
    client: stytch.B2BClient
    now: Callable[[], float]
    wait: Callable[[float], None]  # let time pass, or raise Skipped
    last: tuple[int, dict[str, Any]] | None = None

    def record(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        try:
            body = response.json()
        except ValueError:
            body = {"unparsed_body": response.text[:200]}
        self.last = (response.status_code, body)


def _recording_session() -> tuple[requests.Session, list[Side]]:
    """A requests session that hands every response to the side it is given to (the SDK takes
    the session as `sync_session`; nothing inside the SDK is patched)."""
    session = requests.Session()
    holder: list[Side] = []
    session.hooks["response"].append(lambda r, *a, **k: holder[0].record(r))
    return session, holder


def emulator_side(base_url: str) -> Side:
    """The emulator at a loopback URL, with its demo credentials (and never any other)."""
    if not base_url.startswith("http://127.0.0.1:"):
        raise ValueError(f"the emulator side must be a loopback emulator, not {base_url}")
    session, holder = _recording_session()
    control = EmulatorControl(base_url)
    client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=base_url, sync_session=session)
    holder.append(Side("emulator", client, control.now, lambda seconds: control.advance_clock(seconds)))
    return holder[0]


def stytch_side(project_id: str, secret: str, wait: bool) -> Side:
    """A Stytch test project (test.stytch.com), with credentials from helpers.settings."""

    def sleep_or_skip(seconds: float) -> None:
        if not wait:
            raise Skipped(f"needs {seconds:.0f} s of waiting on a real project; run with --wait")
        time.sleep(seconds)

    session, holder = _recording_session()
    # environment="test" pins https://test.stytch.com; settings already refused live credentials.
    client = stytch.B2BClient(project_id, secret, environment="test", suppress_warnings=True,
                              sync_session=session)
    holder.append(Side("stytch", client, time.time, sleep_or_skip))
    return holder[0]


@dataclass
class Observation:
    step: str
    status_code: int | None = None
    body: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None

    @property
    def error_type(self) -> str | None:
        return self.body.get("error_type") if self.status_code and self.status_code >= 400 else None


Step = Callable[[Side, dict[str, Any]], Any]
STEPS: list[tuple[str, Step]] = []


def step(name: str) -> Callable[[Step], Step]:
    def register(function: Step) -> Step:
        STEPS.append((name, function))
        return function
    return register


def _ids(state: dict[str, Any]) -> dict[str, str]:
    return {"organization_id": state["organization_id"], "member_id": state["member_id"]}


def _login(side: Side, state: dict[str, Any], **options: Any):
    return side.client.passwords.authenticate(organization_id=state["organization_id"],
                                              email_address=state["email"], password=PASSWORD, **options)


def _wrong_code(side: Side, secret: str) -> str:
    """A 6-digit code the authenticator does not show in the accepted window (±30 s)."""
    totp, now = pyotp.TOTP(secret), side.now()
    valid = {totp.at(now + drift) for drift in (-30, 0, 30)}
    return next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in valid)


# The scenario ---------------------------------------------------------------------------------

@step("organizations.create: MFA required for all")
def _(side: Side, state: dict[str, Any]) -> Any:
    org = side.client.organizations.create(
        organization_name="Parity recorder", organization_slug=state["slug"], mfa_policy="REQUIRED_FOR_ALL",
    ).organization
    state["organization_id"] = org.organization_id


@step("passwords.migrate: a member with a password")
def _(side: Side, state: dict[str, Any]) -> Any:
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=10)).decode()
    migrated = side.client.passwords.migrate(organization_id=state["organization_id"], email_address=state["email"],
                                             hash=hashed, hash_type="bcrypt")
    state["member_id"] = migrated.member_id


@step("passwords.authenticate: first login, MFA enrollment required")
def _(side: Side, state: dict[str, Any]) -> Any:
    state["ist"] = _login(side, state).intermediate_session_token


@step("passwords.authenticate: wrong password")
def _(side: Side, state: dict[str, Any]) -> Any:
    side.client.passwords.authenticate(organization_id=state["organization_id"], email_address=state["email"],
                                       password="not-the-password")


@step("otps.sms.send: a UK number (country not enabled by default)")
def _(side: Side, state: dict[str, Any]) -> Any:
    side.client.otps.sms.send(**_ids(state), mfa_phone_number=UK_PHONE, intermediate_session_token=state["ist"])


@step("magic_links.email.login_or_signup: unregistered redirect URL")
def _(side: Side, state: dict[str, Any]) -> Any:
    side.client.magic_links.email.login_or_signup(organization_id=state["organization_id"],
                                                  email_address=state["email"], login_redirect_url=UNREGISTERED_URL)


@step("totps.create: first registration")
def _(side: Side, state: dict[str, Any]) -> Any:
    created = side.client.totps.create(**_ids(state), intermediate_session_token=state["ist"])
    state["secret"], state["recovery_codes"] = created.secret, created.recovery_codes


@step("totps.create: again while the first is pending")
def _(side: Side, state: dict[str, Any]) -> Any:
    side.client.totps.create(**_ids(state), intermediate_session_token=state["ist"])


@step("totps.authenticate: wrong code")
def _(side: Side, state: dict[str, Any]) -> Any:
    side.client.totps.authenticate(**_ids(state), code=_wrong_code(side, state["secret"]),
                                   intermediate_session_token=state["ist"])


@step("totps.authenticate: right code, enrollment completes")
def _(side: Side, state: dict[str, Any]) -> Any:
    done = side.client.totps.authenticate(**_ids(state), code=pyotp.TOTP(state["secret"]).at(side.now()),
                                          intermediate_session_token=state["ist"])
    state["session_token"] = done.session_token


@step("passwords.authenticate: returning member, member_options")
def _(side: Side, state: dict[str, Any]) -> Any:
    state["ist"] = _login(side, state).intermediate_session_token


@step("recovery_codes.recover: one recovery code")
def _(side: Side, state: dict[str, Any]) -> Any:
    side.client.recovery_codes.recover(**_ids(state), recovery_code=state["recovery_codes"][0],
                                       intermediate_session_token=state["ist"])


@step("passwords.authenticate: with a valid session, no MFA step")
def _(side: Side, state: dict[str, Any]) -> Any:
    _login(side, state, session_token=state["session_token"])


@step("totps.authenticate: intermediate session after 10 minutes")
def _(side: Side, state: dict[str, Any]) -> Any:
    ist = _login(side, state).intermediate_session_token
    side.wait(601)
    side.client.totps.authenticate(**_ids(state), code=pyotp.TOTP(state["secret"]).at(side.now() + 30),
                                   intermediate_session_token=ist)


for attempt in range(1, LOCK_ATTEMPTS + 1):
    @step(f"lockout: wrong TOTP code {attempt}/{LOCK_ATTEMPTS}, each after a new password login")
    def _(side: Side, state: dict[str, Any]) -> Any:
        ist = _login(side, state).intermediate_session_token
        side.client.totps.authenticate(**_ids(state), code=_wrong_code(side, state["secret"]),
                                       intermediate_session_token=ist)


@step("lockout: password login and the right code while locked")
def _(side: Side, state: dict[str, Any]) -> Any:
    ist = _login(side, state).intermediate_session_token
    side.client.totps.authenticate(**_ids(state), code=pyotp.TOTP(state["secret"]).at(side.now() + 30),
                                   intermediate_session_token=ist)


@step("organizations.members.get: the lock on the member")
def _(side: Side, state: dict[str, Any]) -> Any:
    side.client.organizations.members.get(**_ids(state))


def run(side: Side) -> list[Observation]:
    """Every step on this side, then delete the organization it made (recorded as a step too)."""
    run_id = uuid.uuid4().hex[:12]
    state: dict[str, Any] = {"slug": f"parity-{run_id}", "email": f"parity+{run_id}@example.com"}
    observations = []
    try:
        for name, function in STEPS:
            observations.append(_observe(side, state, name, function))
    finally:
        observations.append(_observe(side, state, "organizations.delete: clean up", _delete))
    return observations


def _delete(side: Side, state: dict[str, Any]) -> Any:
    side.client.organizations.delete(organization_id=state["organization_id"])


def _observe(side: Side, state: dict[str, Any], name: str, function: Step) -> Observation:
    side.last = None
    try:
        function(side, state)
    except Skipped as reason:
        return Observation(name, skipped=str(reason))
    except KeyError as missing:
        return Observation(name, skipped=f"an earlier step gave no {missing.args[0]}")
    except StytchError:
        pass  # recorded by the response hook; comparing errors is the point
    if side.last is None:
        return Observation(name, skipped="no HTTP response")
    status, body = side.last
    return Observation(name, status, body)
