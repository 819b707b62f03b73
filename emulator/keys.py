"""The RS256 key that signs session JWTs, its JWKS entry, and minting.

The key and its `kid` are created once and kept in the database (even across a reset), so a
notebook's SDK client, which caches the JWKS, keeps verifying JWTs after a restart.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from emulator.ids import IdFactory
from emulator.store import Store


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class SigningKey:
    def __init__(self, store: Store, ids: IdFactory) -> None:
        pem = store.get_meta("signing_key_pem")
        kid = store.get_meta("signing_key_kid")
        if pem is None or kid is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
            kid = ids.prefixed("jwk")
            store.set_meta("signing_key_pem", pem)
            store.set_meta("signing_key_kid", kid)
        self.kid = kid
        self._private = serialization.load_pem_private_key(pem.encode(), password=None)
        self._public = self._private.public_key()

    def jwk(self) -> dict[str, Any]:
        """One key in the shape the SDK's JWK model requires (every field present)."""
        numbers = self._public.public_numbers()
        der = self._public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return {
            "kty": "RSA",
            "use": "sig",
            "key_ops": ["verify"],
            "alg": "RS256",
            "kid": self.kid,
            "x5c": [],
            "x5tS256": base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode(),
            "n": _b64url_uint(numbers.n),
            "e": _b64url_uint(numbers.e),
        }

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._private, algorithm="RS256", headers={"kid": self.kid})

    def verify(self, token: str, project_id: str, now: float) -> dict[str, Any]:
        """Claims of a JWT this key signed, checked as the SDK checks them locally: RS256, the
        claims aud, iss, exp, iat and nbf present, `aud` this project, `iss` Stytch's issuer
        for it, `nbf` and `iat` not after `now` (the emulator's clock, which stamped them).
        An expired `exp` passes: Stytch refreshes expired JWTs while the session lives (SDK
        docstring of sessions.authenticate). Raises jwt.PyJWTError."""
        claims = jwt.decode(
            token,
            self._public,
            algorithms=["RS256"],
            audience=project_id,
            issuer=f"stytch.com/{project_id}",
            options={"require": ["aud", "iss", "exp", "iat", "nbf"],
                     "verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
        for claim in ("exp", "iat", "nbf"):
            if type(claims[claim]) not in (int, float):
                raise jwt.InvalidTokenError(f"{claim} is not a number")
        if claims["nbf"] > now or claims["iat"] > now:
            raise jwt.ImmatureSignatureError("the token is not yet valid")
        return claims
