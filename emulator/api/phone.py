"""The simulated phone page (emulator only): GET /emulator/v1/phone serves a static page that
shows the outbox's SMS and emails, an authenticator app and the clock controls. It reads and
moves state through the emulator-only routes (emulator_admin.py), polling them; the gate
answers it on the emulator's loopback address only, and a loopback page may frame it."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from emulator.errors import StytchAPIError

router = APIRouter(prefix="/emulator/v1", tags=["emulator-only"])

PAGE_DIR = Path(__file__).resolve().parent.parent / "phone"
_ASSETS = {"phone.css": "text/css; charset=utf-8", "phone.js": "text/javascript; charset=utf-8"}
# The page loads only its own script and style and calls only its own origin; nothing inline,
# nothing from elsewhere (it must work offline). The gate adds who may frame it.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
    "Cache-Control": "no-cache",  # a newer emulator's page, not a stale copy
    "Referrer-Policy": "no-referrer",
}


def _file(name: str, media_type: str) -> FileResponse:
    return FileResponse(PAGE_DIR / name, media_type=media_type, headers=_HEADERS)


@router.get("/phone", include_in_schema=False)
async def phone_page() -> FileResponse:
    return _file("phone.html", "text/html; charset=utf-8")


@router.get("/phone/{name}", include_in_schema=False)
async def phone_asset(name: str) -> FileResponse:
    if name not in _ASSETS:
        raise StytchAPIError("route_not_found", f"No file {name!r} for the phone page.")
    return _file(name, _ASSETS[name])
