"""`python -m emulator`: serve the Stytch B2B emulator on 127.0.0.1 in the foreground."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import uvicorn

from emulator import config
from emulator.app import create_app
from emulator.server import DEFAULT_DB_PATH
from emulator.errors import StytchAPIError
from emulator.state import Context, project

# uvicorn closes an idle kept-alive connection after 5 s by default; a client that sends on it
# as it closes gets ConnectionResetError (SDK flows pause longer than that between calls).
KEEP_ALIVE_SECONDS = 3600


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=config.DEFAULT_PORT)
    parser.add_argument("--db", default=str(DEFAULT_DB_PATH), help="SQLite file that holds the state")
    parser.add_argument("--ephemeral", action="store_true", help="keep state in memory only")
    parser.add_argument("--seed", type=int, default=None, help="deterministic IDs, secrets and codes")
    parser.add_argument("--quiet", action="store_true", help="no access log")
    parser.add_argument(
        "--project-settings", metavar="JSON|@FILE",
        help='change project settings at start (kept with the state), e.g. '
             '\'{"mask_mfa_phone_number": false}\' or @settings.json; see GET /emulator/v1/project',
    )
    args = parser.parse_args(argv)

    ctx = Context.open(config.DEMO_PROJECT_ID, None if args.ephemeral else args.db, args.seed)
    if args.project_settings:
        _apply_settings(parser, ctx, args.project_settings)
    app = create_app(ctx, config.DEMO_SECRET)
    where = "memory" if args.ephemeral else args.db
    print(f"Stytch B2B emulator on http://127.0.0.1:{args.port} (state: {where})", flush=True)
    print(f"  project_id={config.DEMO_PROJECT_ID}  secret=<the demo secret in emulator/config.py>", flush=True)
    logging.basicConfig(level=logging.WARNING)
    # Loopback only: the demo credentials are public, so the emulator must not be reachable.
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning",
                access_log=not args.quiet, timeout_keep_alive=KEEP_ALIVE_SECONDS)


def _apply_settings(parser: argparse.ArgumentParser, ctx: Context, value: str) -> None:
    try:
        text = Path(value[1:]).read_text() if value.startswith("@") else value
        changes = json.loads(text)
        if not isinstance(changes, dict):
            raise ValueError("a JSON object is expected")
        project.update(ctx, changes)
    except (OSError, ValueError) as error:
        parser.error(f"--project-settings: {error}")
    except StytchAPIError as error:
        parser.error(f"--project-settings: {error.error_message}")


if __name__ == "__main__":
    main()
