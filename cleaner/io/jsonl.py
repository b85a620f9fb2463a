"""JSONL and JSONL.gz records: one page a line, fields mapped by name, bad lines reported."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

from ..page import Page
from .base import MB, Entry, ReadError, ReadOptions

# errors a damaged stream raises while reading (truncated or corrupt gzip, I/O errors)
STREAM_ERRORS = (EOFError, OSError, zlib.error)


def get_field(record: dict[str, Any], name: str) -> Any:
    """`name` in the record; a dotted name (`metadata.url`) looks into nested objects."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def read_lines(f: IO[bytes], limit: int) -> Iterator[tuple[bytes | None, int]]:
    """(line, size) for each line of `f`; a line longer than `limit` gives (None, size) and is
    skipped without being held in memory."""
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line, len(line)
            continue
        size = len(line)
        del line
        while True:
            rest = f.readline(MB)
            size += len(rest)
            if not rest or rest.endswith(b"\n"):
                break
        yield None, size


def iter_jsonl(f: IO[bytes], name: str, opts: ReadOptions) -> Iterator[Entry]:
    """Pages of a JSONL stream (already decompressed); `name` is the file named in origins."""
    n = 0
    lines = read_lines(f, opts.max_record_bytes)
    while True:
        try:
            item = next(lines, None)
        except STREAM_ERRORS as e:
            origin = {"path": name, "line": n + 1}
            yield ReadError(origin, "truncated", f"the file is cut or damaged here: {e}"), 0
            return
        if item is None:
            return
        line, size = item
        n += 1
        origin = {"path": name, "line": n}
        if line is None:
            limit = opts.max_record_bytes // MB
            msg = f"record of {size:,} bytes is over the {limit} MB limit (--max-record-mb)"
            yield ReadError(origin, "too_large", msg), size
            continue
        if not line.strip():  # blank lines keep their number but are no records
            continue
        yield record_page(line, origin, opts), size


def record_page(line: bytes, origin: dict[str, Any], opts: ReadOptions) -> Page | ReadError:
    try:
        rec = json.loads(line)
    except (ValueError, UnicodeDecodeError) as e:
        return ReadError(origin, "bad_json", f"not a JSON object: {e}")
    if not isinstance(rec, dict):
        return ReadError(origin, "bad_json", "the line is JSON but not an object")
    return dict_page(rec, origin, opts)


def dict_page(
    rec: dict[str, Any], origin: dict[str, Any] | None, opts: ReadOptions
) -> Page | ReadError:
    """The page of one record (a JSON object, a Spark row), its fields found by `opts`;
    content given as bytes (a binary column) is decoded like a WARC payload."""
    rid = get_field(rec, opts.id_field)
    rid = str(rid) if rid is not None and not isinstance(rid, dict | list) else None
    content, kind = get_field(rec, opts.text_field), "text"
    if not isinstance(content, str | bytes | bytearray):
        content, kind = get_field(rec, opts.html_field), "html"
    if isinstance(content, bytearray):
        content = bytes(content)
    if not isinstance(content, str | bytes):
        fields = f"'{opts.text_field}' or '{opts.html_field}'"
        return ReadError(origin, "no_text", f"the record has no {fields} string field", rid)
    url = get_field(rec, opts.url_field)
    encoding = get_field(rec, opts.encoding_field)
    return Page(
        content,
        url=url if isinstance(url, str) else None,
        id=rid,
        origin=origin,
        encoding=encoding if isinstance(encoding, str) else None,
        kind=kind,
        extra=kept_fields(rec, opts) or None,
    )


def kept_fields(rec: dict[str, Any], opts: ReadOptions) -> dict[str, Any]:
    if not opts.keep_fields:
        return {}
    if "*" in opts.keep_fields:
        used = {opts.text_field, opts.html_field, opts.url_field, opts.id_field}
        return {k: v for k, v in rec.items() if k not in used}
    return {k: v for k in opts.keep_fields if (v := get_field(rec, k)) is not None}
