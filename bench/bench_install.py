"""How much more does `make run` install than the lessons' own packages?

Two installs into fresh virtualenvs, the same way (`make`'s own bootstrap: python -m venv, uv
from PyPI), with the same cache state:

  make run       `make setup`: requirements.txt, and the workbook made importable
  lessons only   jupyterlab ipywidgets stytch qrcode nbval papermill pyotp, at the versions
                 requirements.txt pins (and whatever they pull in)

Rounds alternate the two; the script prints each one's median time, packages and size, and
the ratio of the medians (goal: at most 1.2). It prints; it never asserts. Caches are the
script's own (a temporary folder), never the user's: warm by default (one unmeasured install
first), or --cold to start every install from an empty cache (downloads from PyPI).

    python bench/bench_install.py [--rounds 3] [--cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.2
REPO_ROOT = Path(__file__).resolve().parent.parent
LESSON_PACKAGES = ["jupyterlab", "ipywidgets", "stytch", "qrcode", "nbval", "papermill", "pyotp"]


def make(venv: Path, *targets: str, env: dict[str, str]) -> None:
    subprocess.run(["make", "--no-print-directory", "-s", f"VENV={venv}", *targets],
                   cwd=REPO_ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def install_make_run(venv: Path, env: dict[str, str]) -> None:
    make(venv, "setup", env=env)


def install_lessons_only(venv: Path, env: dict[str, str]) -> None:
    make(venv, str(venv / "bin" / "uv"), env=env)  # the same bootstrap as `make setup`
    subprocess.run([str(venv / "bin" / "uv"), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
                    *LESSON_PACKAGES, "-c", str(REPO_ROOT / "requirements.txt")], env=env, check=True)


def measure(install, venv: Path, env: dict[str, str]) -> tuple[float, int, float]:
    """Seconds, installed distributions, megabytes."""
    shutil.rmtree(venv, ignore_errors=True)
    started = time.monotonic()
    install(venv, env)
    seconds = time.monotonic() - started
    site = next((venv / "lib").glob("python3*/site-packages"))
    dists = sum(1 for _ in site.glob("*.dist-info"))
    size = sum(f.stat().st_size for f in venv.rglob("*") if f.is_file() and not f.is_symlink())
    shutil.rmtree(venv, ignore_errors=True)
    return seconds, dists, size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="an empty cache for every install")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-install-"))
    caches = work / "cache"
    env = {**os.environ, "UV_CACHE_DIR": str(caches / "uv"), "PIP_CACHE_DIR": str(caches / "pip")}
    arms = {"make run": install_make_run, "lessons only": install_lessons_only}
    results: dict[str, list[tuple[float, int, float]]] = {name: [] for name in arms}
    try:
        if not args.cold:
            measure(install_make_run, work / "warm-up", env)  # fills the cache with both arms' packages
        for round_ in range(args.rounds):
            order = list(arms) if round_ % 2 == 0 else list(reversed(arms))
            for name in order:
                if args.cold:
                    shutil.rmtree(caches, ignore_errors=True)
                results[name].append(measure(arms[name], work / name.replace(" ", "-"), env))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.rounds} alternating rounds, {'cold' if args.cold else 'warm'} cache, installer: uv "
          f"(make's own bootstrap)\n")
    print(f"{'':14} {'median s':>9} {'packages':>9} {'MB':>6}   rounds")
    for name, runs in results.items():
        seconds = [s for s, _, _ in runs]
        print(f"{name:14} {statistics.median(seconds):9.2f} {runs[0][1]:9d} {runs[0][2]:6.0f}   "
              + " ".join(f"{s:.2f}" for s in seconds))
    ratio = statistics.median(s for s, _, _ in results["make run"]) / statistics.median(s for s, _, _ in results["lessons only"])
    print(f"\ninstall ratio = make run / lessons only: {ratio:.2f}  goal <= {GOAL}: {'ok' if ratio <= GOAL else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
