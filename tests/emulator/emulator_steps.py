"""What the emulator tests share: a tenant (one organization, one member) and the SDK steps
of logging that member in, plus a check for the error the SDK raises."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import pyotp
import pytest
import stytch
from stytch.b2b.models import magic_links, otp_sms, totps
from stytch.core.response_base import StytchError

from emulator import EmulatorControl
from emulator.errors import ERROR_STATUS

PHONE = "+14155550123"
OTHER_PHONE = "+14155550199"
MASKED_PHONE = "XXXXXXX0123"  # PHONE as member_options shows it by default




@contextmanager
def stytch_error(error_type: str) -> Iterator[None]:
    """The block must raise the SDK's StytchError with this type and its status in errors.py
    (statuses Stytch documents are pinned in test_contract_errors.py)."""
    with pytest.raises(StytchError) as caught:
        yield
    details = caught.value.details
    assert (details.error_type, details.status_code) == (error_type, ERROR_STATUS[error_type]), details.error_message


@dataclass
class Tenant:
    """An organization with one active member, and the SDK steps of a login."""

    client: stytch.B2BClient
    control: EmulatorControl
    organization_id: str
    member_id: str
    email: str

    @property
    def ids(self) -> dict[str, str]:
        return {"organization_id": self.organization_id, "member_id": self.member_id}

    def magic_link(self, **options: Any) -> magic_links.AuthenticateResponse:
        """Primary authentication: send a login link, read it from the outbox, redeem it."""
        self.client.magic_links.email.login_or_signup(
            organization_id=self.organization_id, email_address=self.email
        )
        token = self.control.latest_message(self.email, "email")["token"]
        return self.client.magic_links.authenticate(magic_links_token=token, **options)

    def ist(self) -> str:
        """A fresh intermediate session token (the organization must require MFA of the member)."""
        primary = self.magic_link()
        assert primary.member_authenticated is False
        return primary.intermediate_session_token

    def sms_code(self, phone: str = PHONE) -> str:
        return self.control.latest_message(phone, "sms")["code"]

    def totp_code(self, secret: str) -> str:
        """What an authenticator app shows now, by the emulator's clock."""
        return pyotp.TOTP(secret).at(self.control.now())

    def enroll_sms(self) -> otp_sms.AuthenticateResponse:
        ist = self.ist()
        self.client.otps.sms.send(**self.ids, mfa_phone_number=PHONE, intermediate_session_token=ist)
        return self.client.otps.sms.authenticate(**self.ids, code=self.sms_code(), intermediate_session_token=ist)

    def enroll_totp(self) -> tuple[totps.CreateResponse, totps.AuthenticateResponse]:
        ist = self.ist()
        created = self.client.totps.create(**self.ids, intermediate_session_token=ist)
        done = self.client.totps.authenticate(
            **self.ids, code=self.totp_code(created.secret), intermediate_session_token=ist
        )
        return created, done


def factor_types(session: Any) -> list[str]:
    return [f.type.value for f in session.authentication_factors]
