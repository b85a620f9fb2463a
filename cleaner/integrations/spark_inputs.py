"""The input files of a Spark run: listed on the driver, read in the tasks.

Local paths are chosen and read as `cleaner clean` does (folders in sorted order, the same
globs and extensions). A URI with a scheme (`s3://`, `gs://`, `hdfs://`, `file://`…) is
listed and read through fsspec and the backend installed for its scheme. A file named
`*.paths` or `*.paths.gz` (as Common Crawl's `warc.paths.gz`) lists inputs, one a line.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..io.files import local_files, read_file, read_stream, wanted
from ..io.readers import Entry, ReadError, ReadOptions
from ..io.sniff import by_name, is_gzip

LIST_SUFFIXES = (".paths", ".paths.gz")


class InputError(ValueError):
    """An input list that cannot be read, or an input the Spark run does not take."""


def is_uri(source: str) -> bool:
    return "://" in source


def expand(sources: list[str], opts: ReadOptions) -> list[str]:
    """The files to read, in order: folders walked, globs matched, lists read. A source that
    does not exist stays as it is: its task gives its `missing` error record."""
    files: list[str] = []
    for source in sources:
        if source == "-":
            raise InputError("a Spark run cannot read stdin: name files, folders or a list")
        listed = read_list(source) if source.lower().endswith(LIST_SUFFIXES) else [source]
        for one in listed:
            if is_uri(one):
                files += _uri_files(one, opts)
            else:
                found = local_files(one, opts)
                files += [one] if found is None else [str(p) for p in found]
    return files


def _uri_files(uri: str, opts: ReadOptions) -> list[str]:
    fs, path = _filesystem(uri)
    try:
        if not fs.isdir(path):
            return [uri]
        base = path.rstrip("/") + "/"
        rels = sorted((name[len(base) :] for name in fs.find(path)), key=_walk_order)
    except OSError as e:
        raise InputError(f"cannot list {uri}: {e}") from None
    rels = [r for r in rels if not any(p.startswith(".") for p in r.split("/"))]
    return [f"{uri.rstrip('/')}/{r}" for r in rels if wanted(r, opts)]


def _walk_order(rel: str) -> list[tuple[int, str]]:
    """The order `walk` reads a folder in: a folder's files, sorted, before its subfolders."""
    *folders, name = rel.split("/")
    return [(1, f) for f in folders] + [(0, name)]


def read_list(source: str) -> list[str]:
    """The inputs a list file names, one a line; blank lines and `#` comments are skipped."""
    try:
        with open_input(source) as f:
            data = f.read()
        if is_gzip(data):
            data = gzip.decompress(data)
    except (OSError, EOFError) as e:
        raise InputError(f"cannot read the input list {source}: {e}") from None
    lines = data.decode("utf-8", "replace").splitlines()
    return [s for line in lines if (s := line.strip()) and not s.startswith("#")]


def open_input(source: str) -> IO[bytes]:
    """A local path opened as a file, a URI through fsspec."""
    if not is_uri(source):
        return open(source, "rb")
    fs, path = _filesystem(source)
    return fs.open(path, "rb")


def read_source(source: str, opts: ReadOptions) -> Iterator[Entry]:
    """Every record of one listed file, as `cleaner clean` reads it; a file that cannot be
    opened gives one error record."""
    if not is_uri(source):
        if Path(source).is_file():
            yield from read_file(Path(source), opts)
        else:
            yield ReadError({"path": source}, "missing", "no such file or folder"), 0
        return
    try:
        f = open_input(source)
    except FileNotFoundError:
        yield ReadError({"path": source}, "missing", "no such file or folder"), 0
        return
    except (OSError, InputError) as e:
        yield ReadError({"path": source}, "unreadable", str(e)[:500]), 0
        return
    with f:
        raw = f if hasattr(f, "peek") else io.BufferedReader(f)  # type: ignore[arg-type]
        yield from read_stream(raw, source, opts, by_name(source))


def _filesystem(uri: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise InputError(f"reading {uri} needs fsspec: pip install 'cleaner[spark]'") from None
    try:
        return url_to_fs(uri)
    except (ImportError, ValueError) as e:
        raise InputError(f"cannot read {uri}: {e}") from None
