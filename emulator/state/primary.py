"""Primary authentication, one operation per Stytch call: a magic link sent, a password, a
magic link's token, or an existing session moved into another organization. Each completes with the MFA decision
(a session, or an intermediate session with `mfa_required`) and returns the response record
the door answers with; like the MFA operations they take plain values and run in one
transaction."""

from __future__ import annotations

from emulator.errors import StytchAPIError
from emulator.state import (
    Context,
    authentication,
    factors,
    locks,
    magic_links,
    members,
    organizations,
    passwords,
    sessions,
)
from emulator.state.authentication import SessionOptions, Tokens
from emulator.store import Record


def authenticate_password(
    ctx: Context,
    organization_id: str,
    email_address: str,
    password: str,
    tokens: Tokens = Tokens(),
    session: SessionOptions = SessionOptions(),
) -> Record:
    """passwords.authenticate. A wrong password for a member counts toward their lock."""
    minutes = authentication.session_minutes(session.duration_minutes)
    attempt = passwords.attempt(ctx, organization_id, email_address, password)  # bcrypt, no lock held
    with locks.transaction(ctx):
        org = organizations.get(ctx, organization_id)
        member = members.find_by_email(ctx, org["organization_id"], email_address)
        if member:
            locks.check_unlocked(ctx, member)
        try:
            passwords.check(ctx, member, attempt)
        except StytchAPIError as error:
            if member is None:
                raise
            locks.fail(ctx, member, error)
        magic_links.check_auth_method(org, "password")
        result = authentication.complete_primary(ctx, org, member, factors.password(ctx.clock.now()), tokens,
                                                 minutes, session.custom_claims)
        return {"organization_id": org["organization_id"], **members.payload(ctx, org, member), **result}


def login_or_signup(
    ctx: Context,
    organization_id: str,
    email_address: str,
    login_redirect_url: str | None = None,
    signup_redirect_url: str | None = None,
    login_expiration_minutes: int | None = None,
    signup_expiration_minutes: int | None = None,
) -> Record:
    """magic_links.email.login_or_signup: email a login link (an active member) or a sign-up
    link (a new or pending one) to a registered redirect URL."""
    with ctx.store.transaction():
        org, member, created = magic_links.login_or_signup(
            ctx, organization_id, email_address, login_redirect_url, signup_redirect_url,
            login_expiration_minutes, signup_expiration_minutes,
        )
        return {"member_created": created, **members.payload(ctx, org, member)}


def authenticate_magic_link(
    ctx: Context,
    magic_links_token: str,
    tokens: Tokens = Tokens(),
    session: SessionOptions = SessionOptions(),
) -> Record:
    """magic_links.authenticate: redeem the token from a login or sign-up email."""
    minutes = authentication.session_minutes(session.duration_minutes)
    with ctx.store.transaction():
        org, member = magic_links.redeem(ctx, magic_links_token)
        locks.check_unlocked(ctx, member)  # after redeem; the refusal rolls the redeem back
        factor = factors.magic_link(ctx.clock.now(), member["_email_id"], member["email_address"])
        result = authentication.complete_primary(ctx, org, member, factor, tokens, minutes, session.custom_claims)
        return {"method_id": member["_email_id"], "reset_sessions": False,
                "organization_id": org["organization_id"], **members.payload(ctx, org, member), **result}


def exchange_session(
    ctx: Context,
    organization_id: str,
    session_token: str | None,
    session_jwt: str | None,
    session: SessionOptions = SessionOptions(),
) -> Record:
    """sessions.exchange: move a session into another organization where the same email is a
    member. Only email-verifying factors carry over; the target organization's MFA policy
    applies."""
    minutes = authentication.session_minutes(session.duration_minutes)
    with ctx.store.transaction():
        source = sessions.by_token_or_jwt(ctx, session_token, session_jwt)
        source_member = ctx.store.get(members.KIND, source["member_id"])
        org = organizations.get(ctx, organization_id)
        member = members.get_by_email(ctx, org["organization_id"], source_member["email_address"])
        locks.check_unlocked(ctx, member)
        carried = [f for f in source["factors"] if f["type"] in factors.EMAIL_VERIFYING_TYPES]
        if not carried:
            raise StytchAPIError(
                "insufficient_factors_for_session_exchange",
                "The session holds no factor that can move to another organization (e.g. a magic link).",
            )
        result = authentication.complete_primary(ctx, org, member, carried[-1], Tokens(), minutes,
                                                 session.custom_claims)
        return {**members.payload(ctx, org, member), **result}

