"""Get-or-create the organizations and members a notebook needs, so every notebook stands
alone: fresh kernel, any order, fresh or used backend state.

These are set-up steps, not the lesson, so they may call the SDK themselves. The calls a
lesson is about stay in the notebooks.
"""

from __future__ import annotations

from typing import Any

import bcrypt
import stytch
from stytch.b2b.models.organizations import Member, Organization
from stytch.core.response_base import StytchError

from helpers.authenticator import Authenticator

# Each lesson works in an organization of its own, with phone numbers of its own (in its
# parameters cell), so no lesson changes what another reads: they can run side by side, and a
# presenter's experiments in one never break the next. Phone numbers are valid-looking
# fictional 555-01xx numbers.
ORG_SLUG_REQUIRED = "acme-mfa-required"  # 01 configures it
ORG_NAME_REQUIRED = "Acme (MFA required)"
ORG_SLUG_ENROLLMENT = "acme-first-enrollment"  # 02
ORG_NAME_ENROLLMENT = "Acme (first-time enrollment)"
ORG_SLUG_RETURNING = "acme-returning-login"  # 03
ORG_NAME_RETURNING = "Acme (returning login)"
ORG_SLUG_OPTIONAL = "acme-mfa-optional"  # 04
ORG_NAME_OPTIONAL = "Acme (MFA optional)"
PHONE_NUMBER = "+14155550123"
PASSWORD = "correct-horse-battery-staple-42"  # demo members only; the emulator checks it like Stytch


def _not_found(err: StytchError) -> bool:
    return err.details.status_code == 404


def organization(client: stytch.B2BClient, slug: str, name: str, **settings: Any) -> Organization:
    """The organization with this slug, created if missing, with `settings` applied
    (e.g. mfa_policy="REQUIRED_FOR_ALL") where they differ."""
    try:
        org = client.organizations.get(organization_id=slug).organization
    except StytchError as err:
        if not _not_found(err):
            raise
        # Created bare, then updated: Stytch picks some defaults (email_invites) differently
        # when a create call carries settings, and the result must not depend on which
        # notebook happened to create the organization.
        org = client.organizations.create(organization_name=name, organization_slug=slug).organization
    changes = {key: value for key, value in settings.items() if getattr(org, key) != value}
    if changes:
        org = client.organizations.update(organization_id=org.organization_id, **changes).organization
    return org


def member(client: stytch.B2BClient, organization_id: str, email_address: str, fresh: bool = False) -> Member:
    """The member with this email, created if missing. fresh=True deletes it first, so it
    starts with no password, phone or TOTP (first-time enrollment)."""
    try:
        existing = client.organizations.members.get(
            organization_id=organization_id, email_address=email_address
        ).member
    except StytchError as err:
        if not _not_found(err):
            raise
        existing = None
    if existing and fresh:
        client.organizations.members.delete(organization_id=organization_id, member_id=existing.member_id)
        existing = None
    if existing:
        return existing
    return client.organizations.members.create(organization_id=organization_id, email_address=email_address).member


def forget_members(client: stytch.B2BClient, organization_id: str, *email_addresses: str) -> None:
    """Delete these members where they exist (a lesson's "Start over"): with them go their
    phone, TOTP registrations and sessions, and the lesson's set-up creates them again, new."""
    for email_address in email_addresses:
        try:
            found = client.organizations.members.get(organization_id=organization_id, email_address=email_address)
        except StytchError as err:
            if not _not_found(err):
                raise
            continue
        client.organizations.members.delete(organization_id=organization_id, member_id=found.member.member_id)


def give_password(client: stytch.B2BClient, organization_id: str, email_address: str, password: str) -> Member:
    """Set a member's password without an email round trip: passwords.migrate with a bcrypt
    hash (works on a real test project too; it marks the email verified). Cost 4, bcrypt's
    lowest: these are demo passwords, the lessons do not teach hashing, and each check at
    login pays the cost again."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    return client.passwords.migrate(
        email_address=email_address, hash=hashed, hash_type="bcrypt", organization_id=organization_id
    ).member


def enrolled_member(
    client: stytch.B2BClient,
    organization_id: str,
    email_address: str,
    method: str,
    phone_number: str | None = None,
    password: str = PASSWORD,
) -> tuple[Member, str | None]:
    """A fresh member with a password, already enrolled in MFA, for returning-login lessons.

    "sms_otp": an administrator sets the member's phone and MFA enrollment; returns
    (member, None). "totp": the member logs in with the password and registers a TOTP;
    returns (member, TOTP secret) so an Authenticator can make codes."""
    if method not in ("sms_otp", "totp"):
        raise ValueError(f'method must be "sms_otp" or "totp", not {method!r}.')
    if method == "sms_otp" and not phone_number:
        raise ValueError('enrolled_member(method="sms_otp") needs phone_number.')
    fresh = member(client, organization_id, email_address, fresh=True)
    give_password(client, organization_id, email_address, password)
    if method == "sms_otp":
        updated = client.organizations.members.update(
            organization_id=organization_id, member_id=fresh.member_id,
            mfa_phone_number=phone_number, mfa_enrolled=True,
        ).member
        return updated, None
    login = client.passwords.authenticate(
        organization_id=organization_id, email_address=email_address, password=password
    )
    # Under REQUIRED_FOR_ALL the login stops at an intermediate session; under OPTIONAL it
    # yields a session. Either proves the primary factor to the TOTP calls.
    proof = ({"session_token": login.session_token} if login.member_authenticated
             else {"intermediate_session_token": login.intermediate_session_token})
    created = client.totps.create(organization_id=organization_id, member_id=fresh.member_id, **proof)
    done = client.totps.authenticate(
        organization_id=organization_id, member_id=fresh.member_id,
        code=Authenticator(created.secret).code(), set_mfa_enrollment="enroll", **proof,
    )
    return done.member, created.secret
