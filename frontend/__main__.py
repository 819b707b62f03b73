"""`python -m frontend` (`make frontend`): serve the guide's headless frontend samples on
loopback, against the emulator the notebooks use.

It starts (or reuses) that emulator, prepares what the pages need (their organizations; on the
emulator, their URLs as redirect URLs and their origin as one that may call the SDK), prints the
pages' URL and serves until Ctrl-C. The emulator keeps running afterwards, as after the
notebooks.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

import stytch
import uvicorn

from emulator import DEMO_PROJECT_ID, DEMO_SECRET, EmulatorControl
from frontend import demo_project
from frontend.server import SdkMissing, check_sdk, create_app
from helpers.client import start_emulator
from helpers.settings import ConfigurationError, load_backend

DEFAULT_PORT = 3000  # the origin of Stytch's test redirect URL, http://localhost:3000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m frontend", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("STYTCH_FRONTEND_PORT") or DEFAULT_PORT),
                        help="the pages' port on 127.0.0.1 (default 3000, or STYTCH_FRONTEND_PORT)")
    args = parser.parse_args(argv)
    try:
        check_sdk()
    except SdkMissing as missing:
        print(missing, file=sys.stderr)
        return 2
    if not _port_free(args.port):
        print(f"Port {args.port} on 127.0.0.1 is in use: stop that program, or set STYTCH_FRONTEND_PORT.",
              file=sys.stderr)
        return 1

    # The pages carry the emulator's demo public token: they run on the emulator only.
    try:
        configured = load_backend()
    except ConfigurationError:
        configured = None
    if configured is None or not configured.is_emulator:
        print("note: the frontend samples run on the emulator; Stytch settings in the environment or .env are ignored")
    os.environ["STYTCH_PROJECT_ID"] = os.environ["STYTCH_SECRET"] = ""
    backend = load_backend()
    start_emulator(backend)

    client = stytch.B2BClient(DEMO_PROJECT_ID, DEMO_SECRET, environment=backend.base_url)
    demo_project.organizations(client)
    origins = [f"http://localhost:{args.port}", f"http://127.0.0.1:{args.port}"]
    demo_project.register_pages(EmulatorControl(backend.base_url), origins)

    print(f"The guide's frontend samples: {origins[0]}/  (Stytch's JavaScript SDK against the emulator "
          f"at {backend.base_url})", flush=True)
    print(f"Log in with any address @{demo_project.EMAIL_DOMAIN}; the page shows the emulator's outbox. "
          "Ctrl-C stops the pages (the emulator keeps running).", flush=True)
    try:
        uvicorn.run(create_app(backend.base_url), host="127.0.0.1", port=args.port, log_level="warning")
    except KeyboardInterrupt:
        pass
    return 0


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


if __name__ == "__main__":
    sys.exit(main())
