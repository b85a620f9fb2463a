"""The records of a run, read back one at a time: JSONL(.gz) outputs, folder outputs and error
files. Nothing is held but the record at hand, so a dump of any size streams.

A line that is neither an output record nor an error record (cut, damaged, foreign) is not
skipped in silence: it comes out as `Unreadable`, and the report counts and names it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from ..errors import CleanerError
from ..io.jsonl import STREAM_ERRORS, read_lines
from ..io.sniff import GZIP_MAGIC

MAX_LINE_BYTES = 512 * 1024 * 1024  # a longer line is counted, never held in memory


class ReportError(CleanerError):
    """The report cannot be made: an output that does not exist, a target that cannot be written."""

    kind = "usage"


@dataclass(slots=True)
class Record:
    """One record of a run: `kind` "page" (an output record) or "error" (an error record)."""

    kind: str
    where: str  # file and line (or file name in a folder output), for people
    data: dict[str, Any]


@dataclass(slots=True)
class Unreadable:
    """A line of an output that is not a record, and why."""

    where: str
    message: str


def read_records(paths: Iterable[str | Path]) -> Iterator[Record | Unreadable]:
    """Every record of every output or error file, in order (a folder output in name order)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _folder(path)
            continue
        try:
            f = path.open("rb")
        except OSError as e:
            raise ReportError(f"cannot read {path}: {e.strerror or e}") from None
        with f:
            yield from _jsonl(_maybe_gunzip(f), str(path))


def _maybe_gunzip(f: IO[bytes]) -> IO[bytes]:
    if f.peek(2)[:2] == GZIP_MAGIC:  # type: ignore[attr-defined]
        return gzip.GzipFile(fileobj=f, mode="rb")
    return f


def _jsonl(f: IO[bytes], name: str) -> Iterator[Record | Unreadable]:
    n = 0
    lines = read_lines(f, MAX_LINE_BYTES)
    while True:
        try:
            item = next(lines, None)
        except STREAM_ERRORS as e:
            yield Unreadable(f"{name}:{n + 1}", f"the file is cut or damaged here: {e}")
            return
        if item is None:
            return
        n += 1
        line, size = item
        where = f"{name}:{n}"
        if line is None:
            yield Unreadable(where, f"a line of {size:,} bytes, too long to read")
        elif line.strip():
            yield _record(line, where)


def _record(raw: bytes | str, where: str) -> Record | Unreadable:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:  # orjson refuses lone surrogates, which the writers escape as \ud800
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            return Unreadable(where, f"not JSON: {e}")
    if isinstance(data, dict) and isinstance(data.get("provenance"), dict):
        return Record("page", where, data)
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return Record("error", where, data)
    return Unreadable(where, "neither an output record nor an error record")


def _folder(folder: Path) -> Iterator[Record | Unreadable]:
    """A folder output: `ID.json` (id, metadata, provenance) beside `ID.txt` (the text)."""
    for meta in sorted(folder.glob("*.json")):
        if meta.name.startswith("."):
            continue
        where = str(meta)
        try:
            item = _record(meta.read_bytes(), where)
            if isinstance(item, Record) and item.kind == "page":
                text = meta.with_suffix(".txt")
                raw = text.read_bytes() if text.exists() else None
                item.data["text"] = raw.decode("utf-8", "replace") if raw is not None else None
        except OSError as e:
            item = Unreadable(where, f"cannot read: {e.strerror or e}")
        yield item
