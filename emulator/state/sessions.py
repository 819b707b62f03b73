"""Member sessions: opaque tokens, RS256 session JWTs, and the factors each session holds."""

from __future__ import annotations

from typing import Any

import jwt as pyjwt

from emulator import config
from emulator.clock import rfc3339
from emulator.errors import StytchAPIError
from emulator.state import Context, factors as factor_kinds
from emulator.store import Record

KIND = "session"
# Stytch ignores session_custom_claims that would overwrite a registered or a Stytch claim.
RESERVED_CLAIMS = frozenset({
    "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
    "https://stytch.com/session", "https://stytch.com/organization",
})


def allowed_claims(claims: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (claims or {}).items() if k not in RESERVED_CLAIMS}


def start(
    ctx: Context,
    member: Record,
    factors: list[Record],
    minutes: int,
    custom_claims: dict[str, Any] | None = None,
) -> Record:
    now = ctx.clock.now()
    session = {
        "member_session_id": ctx.ids.prefixed("session"),
        "member_id": member["member_id"],
        "organization_id": member["organization_id"],
        "session_token": ctx.ids.token(),
        "started_at": now,
        "last_accessed_at": now,
        "expires_at": now + minutes * 60,
        "factors": factors,
        "custom_claims": allowed_claims(custom_claims),
        "revoked": False,
    }
    save(ctx, session)
    return session


def save(ctx: Context, session: Record) -> None:
    ctx.store.put(
        KIND,
        session["member_session_id"],
        session,
        organization_id=session["organization_id"],
        member_id=session["member_id"],
        lookup=session["session_token"],
        created=session["started_at"],
    )


def add_factor(ctx: Context, session: Record, factor: Record) -> None:
    """Step-up: the session now also holds `factor`."""
    session["factors"] = factor_kinds.merge(session["factors"], factor)
    session["last_accessed_at"] = ctx.clock.now()
    save(ctx, session)


def _alive(ctx: Context, session: Record | None) -> Record:
    if session is None or session["revoked"] or session["expires_at"] <= ctx.clock.now():
        raise StytchAPIError("session_not_found", "Session not found, expired or revoked.")
    return session


def by_token(ctx: Context, token: str) -> Record:
    found = ctx.store.find(KIND, lookup=token)
    return _alive(ctx, found[0] if found else None)


def by_jwt(ctx: Context, token: str) -> Record:
    try:
        claims = ctx.key.verify(token, ctx.project_id, ctx.clock.now())
    except pyjwt.InvalidAudienceError:
        raise StytchAPIError("jwt_invalid_audience", "The session JWT is for another project.") from None
    except pyjwt.InvalidIssuerError:
        raise StytchAPIError("jwt_invalid_issuer", "The session JWT was not issued by this project.") from None
    except (pyjwt.MissingRequiredClaimError, pyjwt.ImmatureSignatureError) as error:
        raise StytchAPIError("jwt_invalid_claims", f"The session JWT's claims are not valid: {error}.") from None
    except pyjwt.PyJWTError:
        raise StytchAPIError("unable_to_parse_session_jwt", "The session JWT could not be verified.") from None
    session_id = claims.get("https://stytch.com/session", {}).get("id", "")
    return _alive(ctx, ctx.store.get(KIND, session_id))


def by_token_or_jwt(ctx: Context, session_token: str | None, session_jwt: str | None) -> Record:
    if session_token and session_jwt:
        raise StytchAPIError("too_many_session_arguments", "Pass session_token or session_jwt, not both.")
    if session_token:
        return by_token(ctx, session_token)
    if session_jwt:
        return by_jwt(ctx, session_jwt)
    raise StytchAPIError("no_session_arguments", "Pass a session_token or a session_jwt.")


def touch(ctx: Context, session: Record, minutes: int | None) -> None:
    """Record an access; extend the session if a new duration is given."""
    now = ctx.clock.now()
    session["last_accessed_at"] = now
    if minutes is not None:
        session["expires_at"] = now + minutes * 60
    save(ctx, session)


def active_for(ctx: Context, member_id: str) -> list[Record]:
    now = ctx.clock.now()
    return [s for s in ctx.store.find(KIND, member_id=member_id)
            if not s["revoked"] and s["expires_at"] > now]


def revoke(ctx: Context, session: Record) -> None:
    session["revoked"] = True
    save(ctx, session)


def member_session(session: Record, organization: Record) -> Record:
    """The MemberSession object the SDK parses."""
    return {
        "member_session_id": session["member_session_id"],
        "member_id": session["member_id"],
        "started_at": rfc3339(session["started_at"]),
        "last_accessed_at": rfc3339(session["last_accessed_at"]),
        "expires_at": rfc3339(session["expires_at"]),
        "authentication_factors": session["factors"],
        "organization_id": organization["organization_id"],
        "roles": ["stytch_member"],
        "organization_slug": organization["organization_slug"],
        "custom_claims": session["custom_claims"],
    }


def mint_jwt(ctx: Context, session: Record, organization: Record) -> str:
    """A 5-minute RS256 JWT with Stytch's claims, verifiable through the JWKS route."""
    now = int(ctx.clock.now())
    claims = {
        **session["custom_claims"],
        "aud": [ctx.project_id],
        "iss": f"stytch.com/{ctx.project_id}",
        "sub": session["member_id"],
        "iat": now,
        "nbf": now,
        "exp": now + config.SESSION_JWT_TTL,
        "https://stytch.com/session": {
            "id": session["member_session_id"],
            "started_at": rfc3339(session["started_at"]),
            "last_accessed_at": rfc3339(session["last_accessed_at"]),
            "expires_at": rfc3339(session["expires_at"]),
            "attributes": {"user_agent": "", "ip_address": ""},
            "authentication_factors": session["factors"],
            "roles": ["stytch_member"],
        },
        "https://stytch.com/organization": {
            "organization_id": organization["organization_id"],
            "slug": organization["organization_slug"],
        },
    }
    return ctx.key.sign(claims)
