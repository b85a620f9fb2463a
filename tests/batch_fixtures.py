"""Inputs for the batch and I/O tests: JSONL, WARC and hostile dumps built from the samples."""

from __future__ import annotations

import io
import json
import signal
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import Cleaner, Page, PageError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "samples/book118/speech/input.txt").read_text("utf-8")

# a user's pack whose one rule backtracks for ever on a page of `SLOW PAGE` and a run of a's
SLOW_PACK = """
[site]
id = "slow"
fingerprints = ['^SLOW PAGE$']

[[text]]
id = "backtracks"
kind = "drop_line"
pattern = '(a|aa)+$'
why = "a pattern that backtracks exponentially on a long run of a's not followed by end"
examples = ["aa"]
"""


def page_text(i: int) -> str:
    """A different page for each i: a slice of the sample page with its number in it."""
    start = (i * 37) % 2000
    return f"第{i}页\n" + SAMPLE[start : start + 1500 + (i % 7) * 100]


def write_jsonl(path: Path, records: list, compress: bool = False) -> Path:
    lines = []
    for r in records:
        lines.append(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if compress:
        import gzip

        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def warc_bytes(n: int, gz: bool = True, charset: str = "gbk", extra: bool = True) -> bytes:
    """`n` HTML response records (plus a request and an image response, which are skipped)."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for i in range(n):
        html = f"<html><head><title>t{i}</title></head><body><p>{page_text(i)}</p></body></html>"
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1"
        )
        url = f"https://max.book118.com/html/{i}.shtm"
        body = io.BytesIO(html.encode(charset, "replace"))
        w.write_record(w.create_warc_record(url, "response", payload=body, http_headers=headers))
        if extra and i == 0:
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b"GET /")))
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            rec = w.create_warc_record(
                url + ".png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=img
            )
            w.write_record(rec)
    return buf.getvalue()


class SlowCleaner:
    """A picklable stand-in for `Cleaner` with pages that misbehave on purpose.

    `SLOW` sleeps (the alarm stops it), `HANG` ignores the alarm and sleeps, `CRASH` kills
    its process, `BAD` raises `PageError`; any other page is cleaned for real.
    """

    def __init__(self):
        self.real = Cleaner()

    def clean_page(self, page: Page):
        text = page.content if isinstance(page.content, str) else page.content.decode()
        if "SLOW" in text:
            time.sleep(30)
        if "HANG" in text:
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            time.sleep(30)
        if "CRASH" in text:
            import os

            os._exit(7)
        if "BAD" in text:
            raise PageError("a bad page")
        return self.real.clean_page(page)
