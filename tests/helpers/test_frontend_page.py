"""helpers.frontend_page: a notebook tells whether make frontend serves the pages for its
emulator, and embeds a page with a plain-text twin (what nbval compares)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell

from emulator.server import free_port
from helpers.frontend_page import embed, serving


def _server(body: dict) -> Iterator[str]:
    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    http = HTTPServer(("127.0.0.1", free_port()), Health)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.fixture
def pages() -> Iterator[str]:
    yield from _server({"pages": "stytch-frontend-samples", "emulator": "http://127.0.0.1:8765"})


@pytest.fixture
def stranger() -> Iterator[str]:
    yield from _server({"status": "ok"})


def test_pages_for_this_emulator_are_serving(pages: str) -> None:
    assert serving(pages, "http://127.0.0.1:8765") is None


def test_pages_for_another_emulator_are_named(pages: str) -> None:
    assert "STYTCH_EMULATOR_PORT" in serving(pages, "http://127.0.0.1:9999")


def test_another_program_on_the_port_is_named(stranger: str) -> None:
    assert "another program" in serving(stranger, "http://127.0.0.1:8765")


def test_nothing_listening_says_to_run_make_frontend() -> None:
    assert "make frontend" in serving(f"http://127.0.0.1:{free_port()}", "http://127.0.0.1:8765")


def test_embed_frames_the_page_with_a_plain_text_twin(capsys: pytest.CaptureFixture) -> None:
    shell = InteractiveShell.instance()
    published = []
    shell.display_pub.publish = lambda data, **kw: published.append(data)
    embed("http://localhost:3000", "first-time-enrollment.html", "a+b@example.com")
    (data,) = published
    assert "first-time-enrollment.html?email=a%2Bb%40example.com" in data["text/plain"]
    assert '<iframe id="frontend-first-time-enrollment"' in data["text/html"]
    assert "location.hostname" in data["text/html"]  # the frame follows JupyterLab's host name
