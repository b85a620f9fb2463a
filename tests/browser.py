"""Headless Chromium for the report's browser test and for the README's screenshot.

The browser is Debian's `chromium`, installed by `make test` (apt-get), never fetched while the
tests run. Each call starts it with a new empty profile and without the background services
that would try the network.

    python tests/browser.py screenshot REPORT.html OUT.png [WIDTH HEIGHT]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
MISSING = (
    f"Chromium is not installed at {CHROMIUM}: the report's browser test needs Debian's chromium"
    " package. `make test` installs it (apt-get install chromium); run it, or install it so."
)


def chromium(page: Path, *args: str, timeout: float = 120) -> str:
    """Open `page` in headless Chromium with `args`; its stdout."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(MISSING)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout)
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"chromium exited with {done.returncode}: {why}")
    return done.stdout.decode("utf-8")  # not text mode: a carriage return stays one


def dump_dom(page: Path) -> str:
    """The page's DOM after it loaded (and after any script on it ran)."""
    return chromium(page, "--dump-dom")


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 1600) -> None:
    chromium(page, f"--screenshot={png.resolve()}", f"--window-size={width},{height}")


if __name__ == "__main__":
    if len(sys.argv) not in (4, 6) or sys.argv[1] != "screenshot":
        sys.exit(__doc__)
    size = [int(x) for x in sys.argv[4:6]] or [1280, 1600]
    screenshot(Path(sys.argv[2]), Path(sys.argv[3]), *size)
