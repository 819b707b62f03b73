"""What the reliability tests share: raw HTTP on a socket (so a test sees exactly what a browser
or an attacker would send, and whether the connection survives), and a tenant made over HTTP.

`make soak` sets EMULATOR_SOAK=1: the same tests, longer (more flows, more kills)."""

from __future__ import annotations

import base64
import json
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

import anyio
import httpx
import requests

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl
from emulator.app import create_app
from emulator.state import Context

SOAK = os.environ.get("EMULATOR_SOAK") == "1"
AUTH = (DEMO_PROJECT_ID, DEMO_SECRET)
BASIC = "Basic " + base64.b64encode(f"{DEMO_PROJECT_ID}:{DEMO_SECRET}".encode()).decode()


@dataclass
class Answer:
    status: int | None  # None: no answer (timeout, or the connection was closed)
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


def exchange(sock: socket.socket, request: bytes, timeout: float = 5.0) -> Answer:
    """Send one HTTP/1.1 request on `sock` and read one response (by its Content-Length)."""
    sock.settimeout(timeout)
    try:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return Answer(None)
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return Answer(None)
            body += chunk
        return Answer(int(lines[0].split()[1]), headers, body)
    except (socket.timeout, ConnectionError):
        return Answer(None)


def request_bytes(method: str, path: str, host: str, headers: dict[str, str] | None = None,
                  body: bytes = b"", content_length: int | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"] if host else [f"{method} {path} HTTP/1.1"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    chunked = "Transfer-Encoding" in (headers or {})
    if not chunked and (body or content_length is not None or method in ("POST", "PUT", "DELETE")):
        lines.append(f"Content-Length: {len(body) if content_length is None else content_length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def raw(port: int, method: str, path: str, *, host: str | None = "", headers: dict[str, str] | None = None,
        body: bytes = b"", content_length: int | None = None, timeout: float = 5.0) -> Answer:
    """One request on a new connection. `host=""` is the emulator's own 127.0.0.1:PORT."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        host = f"127.0.0.1:{port}" if host == "" else host
        return exchange(sock, request_bytes(method, path, host, headers, body, content_length), timeout)


@dataclass
class Tenant:
    url: str
    organization_id: str
    member_id: str
    email: str


def make_tenant(http: requests.Session, url: str, slug: str = "acme", email: str = "ada@acme.test",
                policy: str = "OPTIONAL") -> Tenant:
    org = http.post(f"{url}/v1/b2b/organizations",
                    json={"organization_name": slug.title(), "organization_slug": slug, "mfa_policy": policy}).json()
    org_id = org["organization"]["organization_id"]
    member = http.post(f"{url}/v1/b2b/organizations/{org_id}/members", json={"email_address": email}).json()
    return Tenant(url, org_id, member["member_id"], email)


def magic_link_login(http: requests.Session, control: EmulatorControl, tenant: Tenant) -> dict[str, Any]:
    """Primary authentication by email magic link, over HTTP; the answer's JSON."""
    sent = http.post(f"{tenant.url}/v1/b2b/magic_links/email/login_or_signup",
                     json={"organization_id": tenant.organization_id, "email_address": tenant.email})
    assert sent.status_code == 200, sent.text
    token = control.latest_message(tenant.email, "email")["token"]
    return http.post(f"{tenant.url}/v1/b2b/magic_links/authenticate", json={"magic_links_token": token}).json()


def in_process(ctx: Context) -> Callable[..., httpx.Response]:
    """Call the emulator's app on `ctx` in this process (no server to start), as if at its own
    loopback address, with the demo credentials."""
    app = create_app(ctx, DEMO_SECRET)

    def call(method: str, path: str, **options: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8765",
                                         auth=AUTH) as client:
                return await client.request(method, path, **options)
        # A thread of its own: the shared Playwright browser keeps an event loop in this one.
        with ThreadPoolExecutor(max_workers=1) as worker:
            return worker.submit(anyio.run, send).result()

    return call
