"""WARC and WARC.gz: HTML (and plain-text) response records, through warcio.

The URL comes from `WARC-Target-URI`, the charset from the HTTP `Content-Type`, and the record
id is kept as the page id and in its origin. A damaged record becomes an error naming its
offset; reading goes on at the next record that can be found.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..page import Page
from .base import MB, Entry, ReadError, ReadOptions, Skipped
from .jsonl import STREAM_ERRORS

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_ERRORS = (ArchiveLoadFailed, ValueError, *STREAM_ERRORS)


class _Iterator(ArchiveIterator):
    """warcio's iterator, without its warning on stderr (a bad length is reported as an error)."""

    INC_RECORD = ""


def charset(content_type: str | None) -> str | None:
    m = _CHARSET.search(content_type or "")
    return m.group(1) if m else None


def iter_warc(f: IO[bytes], name: str, opts: ReadOptions) -> Iterator[Entry]:
    """Pages of a WARC stream; `f` may be compressed. Seekable files resume after damage."""
    base = 0
    try:
        size = os.fstat(f.fileno()).st_size if f.seekable() else None
    except (OSError, AttributeError, ValueError):
        size = None
    while True:
        it = _Iterator(f)
        damaged_at = None
        try:
            for record in it:
                yield from _record(it, record, base, name, opts)
        except _ERRORS as e:
            damaged_at = base + it.offset
            origin = {"path": name, "offset": damaged_at}
            yield ReadError(origin, "bad_warc", f"damaged WARC record: {_short(e)}"), 0
        else:
            end = base + it.offset
            if size is not None and end < size and _has_data(f, end):
                origin = {"path": name, "offset": end}
                msg = "the file ends inside a WARC record (truncated)"
                yield ReadError(origin, "truncated", msg), size - end
            return
        if size is None:
            return
        base = _next_record(f, damaged_at + 1)
        if base is None:
            return
        f.seek(base)


def _record(it: _Iterator, record: Any, base: int, name: str, opts: ReadOptions) -> Iterator[Entry]:
    headers = record.rec_headers
    offset = base + it.offset
    rid = (headers.get_header("WARC-Record-ID") or "").strip("<>") or None
    url = headers.get_header("WARC-Target-URI")
    origin: dict[str, Any] = {"path": name, "offset": offset}
    if rid:
        origin["warc_record_id"] = rid
    if record.rec_type not in ("response", "resource"):
        yield Skipped(origin, f"WARC {record.rec_type} record"), 0
        return
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status not in (None, "200"):
            yield Skipped(origin, f"HTTP {status}"), 0
            return
        ctype = record.http_headers.get_header("Content-Type")
    else:
        ctype = headers.get_header("Content-Type")
    media = (ctype or "").split(";")[0].strip().lower()
    if media not in PAGE_TYPES:
        yield Skipped(origin, media or "no content type"), 0
        return
    errors_before = it.err_count
    stream = record.content_stream()
    payload = stream.read(opts.max_record_bytes + 1)
    size = len(payload)
    if size > opts.max_record_bytes:
        payload = b""
        while chunk := stream.read(MB):
            size += len(chunk)
        limit = opts.max_record_bytes // MB
        msg = f"record of {size:,} bytes is over the {limit} MB limit (--max-record-mb)"
        yield ReadError(origin, "too_large", msg, rid), size
        return
    short = getattr(record.raw_stream, "limit", 0)
    it.read_to_end()
    if short or it.err_count > errors_before:
        msg = "the record is shorter or longer than its Content-Length (truncated?)"
        yield ReadError(origin, "truncated", msg, rid), size
        return
    kind = "text" if media == "text/plain" else "html"
    page = Page(payload, url=url, id=rid, origin=origin, encoding=charset(ctype), kind=kind)
    yield page, size


def _has_data(f: IO[bytes], pos: int) -> bool:
    f.seek(pos)
    return bool(f.read(4096).strip(b"\r\n\x00"))


def _next_record(f: IO[bytes], pos: int) -> int | None:
    """The offset of the next record start (a gzip member or a `WARC/1.` line) after `pos`."""
    f.seek(0)
    gz = f.read(2) == b"\x1f\x8b"
    marker = b"\x1f\x8b\x08" if gz else b"\nWARC/1."
    f.seek(pos)
    carry = b""
    at = pos
    while chunk := f.read(MB):
        data = carry + chunk
        i = data.find(marker)
        if i >= 0:
            return at - len(carry) + i + (0 if gz else 1)
        carry = data[-len(marker) :]
        at += len(chunk)
    return None


def _short(e: Exception) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:200]
