"""Readers: every input record becomes a `Page` or a `ReadError`, never silence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..page import Page

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# files under samples/ that hold golden outputs, not inputs
SKIP_NAMES = {"expected.txt", "expected.json"}


@dataclass(slots=True)
class ReadError:
    """An input record that could not be read: where it is and why."""

    origin: dict[str, Any]
    kind: str
    message: str
    id: str | None = None


def iter_inputs(paths: list[str]) -> Iterator[Page | ReadError]:
    """Pages from files, folders (recursive) and JSONL files, in the order given."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.name in SKIP_NAMES or file.name.startswith("."):
                    continue
                if file.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES:
                    yield from iter_file(file)
        elif path.exists():
            yield from iter_file(path)
        else:
            yield ReadError({"path": name}, "missing", "no such file or folder")


def iter_file(path: Path) -> Iterator[Page | ReadError]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from iter_jsonl(path)
        return
    try:
        data = path.read_bytes()
    except OSError as e:
        yield ReadError({"path": str(path)}, "unreadable", e.strerror or str(e))
        return
    kind = "html" if path.suffix.lower() in {".html", ".htm", ".xhtml"} else None
    yield Page(data, origin={"path": str(path)}, kind=kind)


def iter_jsonl(path: Path) -> Iterator[Page | ReadError]:
    try:
        f = path.open("rb")
    except OSError as e:
        yield ReadError({"path": str(path)}, "unreadable", e.strerror or str(e))
        return
    with f:
        for n, line in enumerate(f, 1):
            origin = {"path": str(path), "line": n}
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except (ValueError, UnicodeDecodeError) as e:
                yield ReadError(origin, "bad_json", f"not a JSON object: {e}")
                continue
            if not isinstance(rec, dict):
                yield ReadError(origin, "bad_json", "the line is JSON but not an object")
                continue
            rid = rec.get("id")
            rid = str(rid) if rid is not None else None
            content = rec.get("text")
            kind = "text"
            if not isinstance(content, str):
                content, kind = rec.get("html"), "html"
            if not isinstance(content, str):
                yield ReadError(origin, "no_text", "the record has no 'text' or 'html' string", rid)
                continue
            url = rec.get("url") if isinstance(rec.get("url"), str) else None
            yield Page(content, url=url, id=rid, origin=origin, kind=kind)
