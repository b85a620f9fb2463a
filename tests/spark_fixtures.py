"""What the Spark tests ship to executors: a dump with bad records in it, a cleaner whose
Python worker dies on the first attempt of a task, and the record comparison."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

from batch_fixtures import page_text, warc_bytes, write_jsonl

from cleaner import Cleaner, Page

# what a Python worker has seen, kept alive so that no two objects share an id()
KEPT: list[Any] = []


def make_dump(folder: Path) -> Path:
    """A JSONL.gz with bad records, a WARC.gz (a request and an image among the pages), and a
    JSONL.gz cut short: every kind of record `cleaner clean` reads at scale."""
    folder.mkdir(parents=True, exist_ok=True)
    recs: list[Any] = [
        {"id": f"r{i}", "text": page_text(i), "url": "https://max.book118.com/x"} for i in range(40)
    ]
    recs[3] = "not json"
    recs[7] = {"id": "no-text", "url": "https://x"}
    recs[11] = {"id": "h11", "html": f"<html><body><p>{page_text(11)}</p></body></html>"}
    recs[12] = {"text": page_text(12)}  # no id: the stable id of its origin
    write_jsonl(folder / "a.jsonl.gz", recs, compress=True)
    (folder / "b.warc.gz").write_bytes(warc_bytes(6))
    lines = "".join(json.dumps({"id": f"c{i}", "text": page_text(i)}) + "\n" for i in range(200))
    data = gzip.compress(lines.encode())
    (folder / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    return folder


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A record less where its input lay (the path: a URI on Spark, a path on one machine)."""
    rec = json.loads(json.dumps(record))
    origin = rec.get("origin") or rec.get("provenance", {}).get("origin")
    if origin:
        origin.pop("path", None)
    return rec


class CrashOnFirstAttempt:
    """Cleans for real, but kills its process at the page "r30" until `marker` exists: the
    Python worker dies, Spark fails the task and runs it again."""

    def __init__(self, marker: str):
        self.marker = marker
        self.real = Cleaner()

    def clean_page(self, page: Page):
        if page.id == "r30" and not os.path.exists(self.marker):
            Path(self.marker).touch()
            os._exit(3)
        return self.real.clean_page(page)
