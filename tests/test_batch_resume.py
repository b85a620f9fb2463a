"""Resume: a real run killed with SIGKILL midway is finished by `--resume`, every record once."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_fixtures import page_text, write_jsonl

from cleaner.io.writers import partial_path

# the real command line, with checkpoints every 0.2s instead of every few seconds
DRIVER = (
    "import cleaner.batch as b; b.CHECKPOINT_SECONDS = 0.2; from cleaner.cli import main; main()"
)
N = 3000


def command(*args):
    return [sys.executable, "-c", DRIVER, "clean", *map(str, args)]


def lines(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return [json.loads(x) for x in data.splitlines()]


@pytest.mark.parametrize(("name", "workers"), [("out.jsonl", 2), ("out.jsonl.gz", 1)])
def test_resume_after_sigkill(tmp_path, name, workers):
    bad = {17, 1234, 2999}
    recs = ["{broken" if i in bad else {"id": f"r{i}", "text": page_text(i)} for i in range(N)]
    src = write_jsonl(tmp_path / "dump.jsonl", recs)
    out, errs = tmp_path / name, tmp_path / "errors.jsonl"
    journal = out.with_name(out.name + ".journal")
    args = [src, "-o", out, "--errors", errs, "--workers", workers, "-q"]

    proc = subprocess.Popen(command(*args), start_new_session=True, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists() and partial_path(out).exists()

    again = subprocess.run(command(*args), capture_output=True, text=True)
    assert again.returncode == 2 and "--resume" in again.stderr  # neither --resume nor --force

    done = subprocess.run(command(*args[:-1], "--resume"), capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # finished, with error records
    assert f"records in {N:,} = cleaned {N - 3:,} + errors 3" in done.stderr
    assert "resumed after" in done.stderr
    assert [r["id"] for r in lines(out)] == [f"r{i}" for i in range(N) if i not in bad]
    assert [e["origin"]["line"] for e in lines(errs)] == sorted(i + 1 for i in bad)
    assert not journal.exists() and not partial_path(out).exists()
