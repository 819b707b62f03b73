"""Fixed facts of the emulated project: its demo credentials and Stytch's lifetimes."""

from __future__ import annotations

# Obviously fake, and accepted by the emulator only. They can never reach Stytch: the
# helpers send them to the emulator's loopback URL and nowhere else.
DEMO_PROJECT_ID = "project-test-00000000-0000-4000-8000-000000000000"
DEMO_SECRET = "secret-test-emulator-demo-secret-not-for-stytch"
# The frontend SDK's credential: public, sent by browsers. "public-token-test" makes Stytch's
# JavaScript SDK choose its test API URL (the `endpoints.testAPIURL` option points it here).
DEMO_PUBLIC_TOKEN = "public-token-test-00000000-0000-4000-8000-000000000000"

DEFAULT_PORT = 8765

# Lifetimes in seconds, as Stytch documents them (reference §6).
INTERMEDIATE_SESSION_TTL = 10 * 60
SMS_CODE_TTL = 2 * 60
SESSION_JWT_TTL = 5 * 60
DEFAULT_SESSION_MINUTES = 60
SESSION_MINUTES_RANGE = (5, 527040)
TOTP_EXPIRATION_MINUTES = (60, 5, 1440)  # default, min, max
MAGIC_LINK_MINUTES = (60, 5, 10080)  # default, min, max
RECOVERY_CODE_COUNT = 10
