"""Parity recorder: run one fixed scenario of Stytch B2B calls through the official SDK against
the local emulator and, when STYTCH_PROJECT_ID/STYTCH_SECRET name a real Stytch *test*
project, against Stytch itself; then report where the two answer differently (HTTP status,
error type, response fields), with values that are random by nature masked.

    python -m parity [--out build/parity] [--wait]      (or: make parity)

It is how the emulator's guesses (the [INFER] rows of emulator/errors.py and
emulator/README.md) get settled by someone who holds real credentials.
"""
