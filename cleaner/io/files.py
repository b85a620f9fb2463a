"""Inputs named on the command line: files, folders (recursive, with globs), globs and stdin."""

from __future__ import annotations

import fnmatch
import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..page import Page
from .base import MB, Entry, ReadError, ReadOptions
from .jsonl import STREAM_ERRORS, iter_jsonl
from .sniff import by_content, by_name, is_gzip
from .warc import iter_warc

# files under samples/ that hold golden outputs, not inputs
SKIP_NAMES = {"expected.txt", "expected.json"}
_GLOB_CHARS = set("*?[")


def read_inputs(sources: list[str], opts: ReadOptions | None = None) -> Iterator[Entry]:
    """Every record of every source, in the order given (folders in sorted path order)."""
    opts = opts or ReadOptions()
    for source in sources:
        if source == "-":
            yield from read_stream(sys.stdin.buffer, "-", opts)
            continue
        files = local_files(source, opts)
        if files is None:
            yield ReadError({"path": source}, "missing", "no such file or folder"), 0
        for file in files or ():
            yield from read_file(file, opts)


def local_files(source: str, opts: ReadOptions) -> Iterator[Path] | None:
    """The files a source names: itself, a folder's files, a glob's matches; None if none."""
    path = Path(source)
    if path.is_dir():
        return walk(path, opts)
    if path.exists():
        return iter([path])
    if _GLOB_CHARS & set(source) and (matches := sorted(glob.glob(source, recursive=True))):
        return (f for m in map(Path, matches) for f in (walk(m, opts) if m.is_dir() else [m]))
    return None


def walk(folder: Path, opts: ReadOptions) -> Iterator[Path]:
    """Files under `folder`, sorted, hidden ones skipped. With `--include`, the files matching
    one of its globs; without, the files whose extension names a known format."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root, name)
            if wanted(path.relative_to(folder).as_posix(), opts):
                yield path


def wanted(rel: str, opts: ReadOptions) -> bool:
    """Whether a folder's file (`rel`, its path in the folder) is read: with `--include`, the
    files matching one of its globs; without, the files whose extension names a format."""
    name = rel.rsplit("/", 1)[-1]
    if opts.include:
        if not _matches(rel, name, opts.include):
            return False
    elif name in SKIP_NAMES or by_name(name) is None:
        return False
    return not (opts.exclude and _matches(rel, name, opts.exclude))


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def read_file(path: Path, opts: ReadOptions) -> Iterator[Entry]:
    try:
        f = path.open("rb")
    except OSError as e:
        yield ReadError({"path": str(path)}, "unreadable", e.strerror or str(e)), 0
        return
    with f:
        yield from read_stream(f, str(path), opts, by_name(path))


def read_stream(
    raw: IO[bytes], name: str, opts: ReadOptions, named: str | None = None
) -> Iterator[Entry]:
    """Records of one byte stream: the format is forced, named by the file, or sniffed."""
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]
    head = buffered.peek(65536)[:65536]
    gz = is_gzip(head)
    fmt = opts.format or named
    if fmt is None:
        fmt = by_content(_gunzip_head(head) if gz else head)
    if fmt == "warc":  # warcio reads gzip itself
        yield from iter_warc(buffered, name, opts)
        return
    stream: IO[bytes] = gzip.GzipFile(fileobj=buffered, mode="rb") if gz else buffered
    if fmt == "jsonl":
        yield from iter_jsonl(stream, name, opts)
    else:
        yield _whole(stream, name, opts, fmt, forced=opts.format is not None)


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(31).decompress(head, 65536)
    except zlib.error:
        return b""


def _whole(stream: IO[bytes], name: str, opts: ReadOptions, fmt: str, forced: bool) -> Entry:
    """A file that is one page (text or HTML)."""
    origin = {"path": name}
    limit = opts.max_record_bytes
    try:
        data = stream.read(limit + 1)
        size = len(data)
        if size > limit:
            del data
            while chunk := stream.read(MB):
                size += len(chunk)
            msg = f"page of {size:,} bytes is over the {limit // MB} MB limit (--max-record-mb)"
            return ReadError(origin, "too_large", msg), size
    except STREAM_ERRORS as e:
        return ReadError(origin, "truncated", f"the file is cut or damaged: {e}"), 0
    kind = "html" if fmt == "html" else ("text" if forced else None)
    return Page(data, origin=origin, kind=kind), size
