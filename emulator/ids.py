"""IDs, tokens and codes in Stytch's formats, from a random source that a seed can fix.

Without a seed every value comes from `secrets`. With one (`--seed N` or
POST /emulator/v1/seed) the same sequence of requests yields the same IDs, secrets and codes,
which makes demo recordings and bug reports reproducible.
"""

from __future__ import annotations

import base64
import random
import secrets
import uuid


class IdFactory:
    def __init__(self, seed: int | None = None) -> None:
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        self.seed = seed
        self._rng = random.Random(seed) if seed is not None else None

    def _bytes(self, n: int) -> bytes:
        if self._rng is None:
            return secrets.token_bytes(n)
        return self._rng.getrandbits(8 * n).to_bytes(n, "big")

    def uuid(self) -> str:
        return str(uuid.UUID(bytes=self._bytes(16), version=4))

    def prefixed(self, prefix: str) -> str:
        """`organization-test-<uuid>` and friends."""
        return f"{prefix}-test-{self.uuid()}"

    def token(self) -> str:
        """A 44-character URL-safe opaque token, like Stytch's session and magic-link tokens."""
        return base64.urlsafe_b64encode(self._bytes(33)).decode()

    def digits(self, n: int) -> str:
        return "".join(str(b % 10) for b in self._bytes(n))

    def totp_secret(self) -> str:
        """160 bits as base32: 32 characters, what authenticator apps expect."""
        return base64.b32encode(self._bytes(20)).decode()

    def recovery_code(self) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        raw = "".join(alphabet[b % len(alphabet)] for b in self._bytes(12))
        return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"
