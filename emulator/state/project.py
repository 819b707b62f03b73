"""The emulated project's settings, the ones Stytch keeps in its dashboard: redirect URLs, the
SMS country allowlist, whether `member_options` masks the phone number, the numbers of user
locks and rate limits, and the frontend SDK's: its public token, the page origins allowed to
call it, and what its bootstrap tells the SDK.

Persisted with the rest of the state (SQLite meta), changed through the emulator-only API or
`python -m emulator --project-settings`, and restored to the defaults by POST
/emulator/v1/reset. The defaults are Stytch's own where Stytch publishes them (see README.md).
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import urlsplit

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from emulator.config import DEMO_PUBLIC_TOKEN
from emulator.errors import StytchAPIError
from emulator.state import Context

_KEY = "project_settings"
# Stytch's test environment preset (docs: workspace-management/redirect-urls).
DEFAULT_REDIRECT_URL = "http://localhost:3000/authenticate"
URL_TYPES = ("LOGIN", "SIGNUP", "INVITE", "RESET_PASSWORD", "DISCOVERY")
# Pages that may call the frontend SDK door by default, besides the emulator's own origin: a page
# served by `make frontend` (port 3000, Stytch's test redirect origin), JupyterLab (8888) and
# Voila (8866), by either loopback name.
DEFAULT_SDK_ORIGINS = [f"http://{host}:{port}" for port in (3000, 8888, 8866) for host in ("localhost", "127.0.0.1")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class RedirectUrlType(_Strict):
    """One use of a redirect URL, as Stytch's workspace-management API names it."""

    type: Literal["LOGIN", "SIGNUP", "INVITE", "RESET_PASSWORD", "DISCOVERY"]
    is_default: bool = False


class RedirectUrl(_Strict):
    url: str
    valid_types: list[RedirectUrlType] = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _absolute(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http:// or https:// URL")
        return url


class ProjectSettings(_Strict):
    redirect_urls: list[RedirectUrl]
    sms_allowed_country_codes: list[str]
    mask_mfa_phone_number: bool
    user_lock_threshold: int = Field(ge=1, le=100)
    user_lock_ttl_minutes: int = Field(ge=5, le=7 * 24 * 60)
    sms_sends_per_phone_per_hour: int = Field(ge=1, le=1_000_000)
    sms_sends_per_member_per_hour: int = Field(ge=1, le=1_000_000)
    intermediate_session_failed_attempts: int = Field(ge=1, le=1_000_000)
    public_token: str
    sdk_allowed_origins: list[str] = Field(max_length=100)
    sdk_dfp_protected_auth_enabled: bool
    sdk_captcha_enabled: bool

    @field_validator("public_token")
    @classmethod
    def _demo_token(cls, token: str) -> str:
        if token != DEMO_PUBLIC_TOKEN:
            raise ValueError(f"the emulator's public token is fixed: {DEMO_PUBLIC_TOKEN}")
        return token

    @field_validator("sdk_allowed_origins")
    @classmethod
    def _origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            parts = urlsplit(origin)
            if "*" in origin:
                raise ValueError(f"{origin!r}: no wildcards; CORS with credentials needs each origin named")
            if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password
                    or origin != f"{parts.scheme}://{parts.netloc}".lower()):
                raise ValueError(f"{origin!r} is not an origin: scheme and host (and port) in lowercase, "
                                 "no path, e.g. http://localhost:3000")
        return origins

    @field_validator("sdk_dfp_protected_auth_enabled", "sdk_captcha_enabled")
    @classmethod
    def _offline(cls, enabled: bool) -> bool:
        if enabled:
            raise ValueError("stays false on the emulator: it would make the SDK load Stytch's device "
                             "fingerprinting or Google's reCAPTCHA scripts, which an offline emulator cannot serve")
        return enabled

    @field_validator("sms_allowed_country_codes")
    @classmethod
    def _regions(cls, codes: list[str]) -> list[str]:
        unknown = [c for c in codes if c not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise ValueError(f"unknown ISO 3166 alpha-2 country codes {unknown} (e.g. US, CA, GB)")
        return codes

    @model_validator(mode="after")
    def _one_default_per_type(self) -> "ProjectSettings":
        defaults = [t.type for u in self.redirect_urls for t in u.valid_types if t.is_default]
        doubled = sorted({t for t in defaults if defaults.count(t) > 1})
        if doubled:
            raise ValueError(f"more than one default redirect URL for {', '.join(doubled)}")
        return self


DEFAULTS = ProjectSettings(
    redirect_urls=[RedirectUrl(url=DEFAULT_REDIRECT_URL, valid_types=[
        RedirectUrlType(type="LOGIN", is_default=True), RedirectUrlType(type="SIGNUP", is_default=True),
    ])],
    sms_allowed_country_codes=["US", "CA"],  # docs: resources/policies/messaging/overview
    mask_mfa_phone_number=True,  # docs sample of intermediate-sessions/mfa: "XXXXXXX1234"
    user_lock_threshold=10,  # docs: resources/platform/user-locks
    user_lock_ttl_minutes=60,  # docs: resources/platform/user-locks
    sms_sends_per_phone_per_hour=30,  # [INFER] Stytch publishes no number
    sms_sends_per_member_per_hour=10,  # [INFER]
    intermediate_session_failed_attempts=5,  # [INFER]
    public_token=DEMO_PUBLIC_TOKEN,
    sdk_allowed_origins=DEFAULT_SDK_ORIGINS,
    sdk_dfp_protected_auth_enabled=False,
    sdk_captcha_enabled=False,
)


def get(ctx: Context) -> ProjectSettings:
    stored = ctx.store.get_meta(_KEY)
    return ProjectSettings.model_validate_json(stored) if stored else DEFAULTS


def update(ctx: Context, changes: dict[str, Any]) -> ProjectSettings:
    """Replace the given settings (each key whole); nothing changes if any value is invalid."""
    unknown = sorted(set(changes) - set(ProjectSettings.model_fields))
    if unknown:
        raise StytchAPIError(
            "bad_request",
            f"Unknown project settings {unknown}; the settings are {sorted(ProjectSettings.model_fields)}.",
        )
    merged = {**get(ctx).model_dump(), **changes}
    try:
        settings = ProjectSettings.model_validate_json(json.dumps(merged))
    except ValidationError as error:
        raise StytchAPIError("bad_request", "Invalid project settings: " + _describe(error)) from None
    ctx.store.set_meta(_KEY, settings.model_dump_json())
    return settings


def restore_defaults(ctx: Context) -> ProjectSettings:
    ctx.store.set_meta(_KEY, DEFAULTS.model_dump_json())
    return DEFAULTS


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in error.errors()
    )


# What the settings decide ---------------------------------------------------------------


def redirect_url(ctx: Context, url_type: str, given: str | None) -> str:
    """The URL a magic link of this type (LOGIN or SIGNUP) leads to: `given` if it is
    registered for the type (Stytch wants an exact match), else the type's default."""
    registered = [u for u in get(ctx).redirect_urls for t in u.valid_types if t.type == url_type]
    if given is not None:
        if any(u.url == given for u in registered):
            return given
        raise StytchAPIError(
            "no_match_for_provided_magic_link_url",
            f"The {url_type.lower()} redirect URL {given!r} does not match any {url_type} redirect URL "
            "registered for this project. Register it in the dashboard (on the emulator: "
            "PATCH /emulator/v1/project redirect_urls).",
        )
    default = next((u.url for u in registered for t in u.valid_types if t.type == url_type and t.is_default), None)
    if default is None:
        raise StytchAPIError(
            f"no_default_{url_type.lower()}_redirect_url_set",
            f"No {url_type.lower()} redirect URL was passed and the project has no default {url_type} "
            "redirect URL. Pass one, or set a default in the dashboard.",
        )
    return default


def check_sms_country(ctx: Context, phone_number: str) -> None:
    """Stytch texts only countries on the project's allowlist (US and Canada by default)."""
    if not sms_country_allowed(ctx, phone_number):
        allowed = ", ".join(get(ctx).sms_allowed_country_codes) or "none"
        raise StytchAPIError(
            "invalid_phone_number_country_code",
            f"SMS to {phone_number}'s country is not enabled for this project (allowed: {allowed}). "
            "Add the country to the project's SMS country code allowlist.",
        )


def sms_country_allowed(ctx: Context, phone_number: str) -> bool:
    region = phonenumbers.region_code_for_number(phonenumbers.parse(phone_number, None))
    return region in get(ctx).sms_allowed_country_codes


def shown_phone_number(ctx: Context, phone_number: str) -> str:
    """mfa_phone_number as member_options shows it: the digits without "+", all but the last
    four replaced by X ("XXXXXXX0123"), unless the project shows it unmasked."""
    if not phone_number or not get(ctx).mask_mfa_phone_number:
        return phone_number
    digits = phone_number.lstrip("+")
    return "X" * (len(digits) - 4) + digits[-4:]


def sdk_origin_allowed(ctx: Context, origin: str) -> bool:
    """A page origin the project lets call the frontend SDK door (besides the emulator's own)."""
    return origin in get(ctx).sdk_allowed_origins


def sdk_bootstrap(ctx: Context) -> dict[str, Any]:
    """What the frontend SDK asks for when it starts (GET /sdk/v1/projects/bootstrap/...): the
    fields `@stytch/vanilla-js` reads. Device fingerprinting and captcha off, so the SDK loads no
    script from other hosts; PKCE off for magic links, which the emulator does not implement."""
    settings = get(ctx)
    return {
        "project_name": "Stytch B2B emulator (demo project)",
        "disable_sdk_watermark": True,
        "cname_domain": None,
        "email_domains": [],
        "captcha_settings": {"enabled": settings.sdk_captcha_enabled},
        "pkce_required_for_email_magic_links": False,
        "pkce_required_for_password_resets": False,
        "pkce_required_for_oauth": False,
        "pkce_required_for_sso": False,
        "slug_pattern": None,
        "create_organization_enabled": False,
        "password_config": None,
        "dfp_protected_auth_enabled": settings.sdk_dfp_protected_auth_enabled,
        "dfp_protected_auth_mode": None,
        # Every member holds Stytch's default role; the emulator has no custom roles or permissions.
        "rbac_policy": {"roles": [{"role_id": "stytch_member", "description": "Every member", "permissions": []}],
                        "resources": [], "scopes": []},
        "siwe_required_for_crypto_wallets": False,
        "vertical": "B2B",
    }
