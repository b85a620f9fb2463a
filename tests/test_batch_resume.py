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
DRIVER = "; ".join(
    [
        "import cleaner.batch.runner as b",
        "b.CHECKPOINT_SECONDS = 0.2",
        "from cleaner.cli import main",
        "main()",
    ]
)
N = 3000


def command(*args):
    return [sys.executable, "-c", DRIVER, "clean", *map(str, args)]


def kill_midway(args, journal: Path) -> None:
    """Start the run, and SIGKILL it once its journal holds a few checkpoints."""
    proc = subprocess.Popen(command(*args), start_new_session=True, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


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

    kill_midway(args, journal)
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


def test_resume_counts_warc_non_pages_once(tmp_path):
    """A WARC whose every page is followed by its request record: the journal counts both, so
    the resumed run starts at the right record and passes over each request exactly once."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 2000
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for i in range(n):
        url = f"https://max.book118.com/html/{i}.shtm"
        html = f"<html><body><p>{page_text(i)}</p></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(
            w.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers)
        )
        w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b"GET /")))
    src = tmp_path / "crawl.warc.gz"
    src.write_bytes(buf.getvalue())
    out = tmp_path / "out.jsonl"
    journal = out.with_name(out.name + ".journal")
    args = [src, "-o", out, "--workers", 1, "-q"]

    kill_midway(args, journal)

    done = subprocess.run(command(*args[:-1], "--resume"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"records in {n:,} = cleaned {n:,} + errors 0" in done.stderr
    assert f"passed over: WARC request record {n:,}" in done.stderr
    assert "resumed after" in done.stderr
    urls = [r["metadata"]["url"] for r in lines(out)]
    assert urls == [f"https://max.book118.com/html/{i}.shtm" for i in range(n)]
