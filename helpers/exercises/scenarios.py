"""The organizations, members and logins the checks set up, on any backend, so that a learner's
function meets real responses. Set-up steps, not lessons: they may call the SDK themselves.

Every check uses organizations and emails of its own (and phone numbers of its own where it
texts), so checks running beside a lesson, or beside each other, never share a member.
"""

from __future__ import annotations

import hashlib
from typing import Any

from stytch.b2b.models.organizations import Member, Organization

from helpers import fixtures
from helpers.exercises.backends import CheckBackend

PASSWORD = fixtures.PASSWORD
DOMAIN = "checks.acme-workbook.example"


def organization(backend: CheckBackend, slug: str, **settings: Any) -> Organization:
    """The organization with this slug (its name says it belongs to the checks), with
    `settings` applied where they differ."""
    return fixtures.organization(backend.client, slug, f"Workbook checks ({slug})", **settings)


def required_organization(backend: CheckBackend, slug: str) -> Organization:
    return organization(backend, slug, mfa_policy="REQUIRED_FOR_ALL", mfa_methods="ALL_ALLOWED",
                        allowed_mfa_methods=["sms_otp", "totp"])


def optional_organization(backend: CheckBackend, slug: str) -> Organization:
    return organization(backend, slug, mfa_policy="OPTIONAL", mfa_methods="ALL_ALLOWED",
                        allowed_mfa_methods=["sms_otp", "totp"])


def email(name: str) -> str:
    return f"{name}@{DOMAIN}"


def new_member(backend: CheckBackend, organization_id: str, email_address: str) -> Member:
    """A member with a password and nothing else (recreated if it existed)."""
    fixtures.member(backend.client, organization_id, email_address, fresh=True)
    if not backend.is_emulator:
        return fixtures.give_password(backend.client, organization_id, email_address, PASSWORD)
    # bcrypt costs a tenth of a second to set and again at each login, and a check sets up
    # dozens of members: the emulator also migrates a SHA-512 digest, checked in microseconds.
    return backend.client.passwords.migrate(
        email_address=email_address, hash=hashlib.sha512(PASSWORD.encode()).hexdigest(),
        hash_type="sha_512", organization_id=organization_id,
    ).member


def log_in(backend: CheckBackend, organization_id: str, email_address: str) -> Any:
    """Primary authentication with the member's password: passwords.AuthenticateResponse."""
    return backend.client.passwords.authenticate(
        organization_id=organization_id, email_address=email_address, password=PASSWORD,
    )


def pending(primary: Any) -> dict[str, str]:
    """What an app keeps in its server-side session after primary authentication, for the MFA
    routes that follow (the guide's session["intermediate_session_token"], and the IDs its
    samples read but never store)."""
    return {
        "intermediate_session_token": primary.intermediate_session_token,
        "organization_id": primary.organization_id,
        "member_id": primary.member_id,
    }


def proof(login: Any) -> dict[str, str]:
    """The argument that proves the primary factor to an MFA call: the IST, or the session."""
    if login.member_authenticated:
        return {"session_token": login.session_token}
    return {"intermediate_session_token": login.intermediate_session_token}


def enrolled_by_sms(backend: CheckBackend, organization_id: str, email_address: str, phone_number: str) -> Member:
    """A member with a password whose MFA phone an administrator set (enrolled, default SMS)."""
    new_member(backend, organization_id, email_address)
    member = backend.client.organizations.members.get(
        organization_id=organization_id, email_address=email_address).member
    return backend.client.organizations.members.update(
        organization_id=organization_id, member_id=member.member_id,
        mfa_phone_number=phone_number, mfa_enrolled=True,
    ).member


def enrolled_by_totp(backend: CheckBackend, organization_id: str, email_address: str) -> tuple[Member, str]:
    """A member with a password who registered an authenticator app: (member, TOTP secret).
    Under REQUIRED_FOR_ALL it is their MFA; under OPTIONAL they opted in with it."""
    member = new_member(backend, organization_id, email_address)
    login = log_in(backend, organization_id, email_address)
    created = backend.client.totps.create(organization_id=organization_id, member_id=member.member_id, **proof(login))
    done = backend.client.totps.authenticate(
        organization_id=organization_id, member_id=member.member_id,
        code=backend.totp_code(created.secret), set_mfa_enrollment="enroll", **proof(login),
    )
    return done.member, created.secret


def enrolled_by_sms_code(backend: CheckBackend, organization_id: str, email_address: str,
                         phone_number: str) -> tuple[Member, str]:
    """A member who enrolled their phone with a texted code (emulator only: it reads the code
    from the outbox), so the phone is verified and SMS is their default: (member, session token)."""
    member = new_member(backend, organization_id, email_address)
    login = log_in(backend, organization_id, email_address)
    backend.client.otps.sms.send(organization_id=organization_id, member_id=member.member_id,
                                 mfa_phone_number=phone_number, **proof(login))
    done = backend.client.otps.sms.authenticate(
        organization_id=organization_id, member_id=member.member_id,
        code=backend.latest_sms_code(phone_number), set_mfa_enrollment="enroll", **proof(login),
    )
    return done.member, done.session_token


def add_totp(backend: CheckBackend, member: Member, session_token: str) -> tuple[Member, str]:
    """A second method: an authenticator app registered with a session that holds the first;
    the default method stays as it was. (member, TOTP secret)."""
    ids = {"organization_id": member.organization_id, "member_id": member.member_id}
    created = backend.client.totps.create(**ids, session_token=session_token)
    done = backend.client.totps.authenticate(**ids, code=backend.totp_code(created.secret),
                                             session_token=session_token)
    return done.member, created.secret


def add_phone(backend: CheckBackend, member: Member, phone_number: str) -> Member:
    """An administrator adds an MFA phone to a member; their default method stays as it was."""
    return backend.client.organizations.members.update(
        organization_id=member.organization_id, member_id=member.member_id, mfa_phone_number=phone_number,
    ).member


def app_then_phone(backend: CheckBackend, organization_id: str, email_address: str, phone_number: str) -> None:
    """A member with both methods whose default is the authenticator app (enrolled first)."""
    member, _ = enrolled_by_totp(backend, organization_id, email_address)
    add_phone(backend, member, phone_number)


def phone_then_app(backend: CheckBackend, organization_id: str, email_address: str, phone_number: str) -> None:
    """A member with both methods whose default is SMS (a verified phone, enrolled first)."""
    member, session_token = enrolled_by_sms_code(backend, organization_id, email_address, phone_number)
    add_totp(backend, member, session_token)
