"""The run: entries in chunks, cleaned in this process or in a worker pool, written in input
order, every record accounted for in the `Summary`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..io.readers import MB, Entry, ReadError
from ..page import Page
from .entry import Result, clean_entry, failed_result, page_alarm
from .summary import Progress, Summary

CHUNK_RECORDS = 64
CHUNK_BYTES = 1 * MB
CHECKPOINT_SECONDS = 2.0


def chunked(entries: Iterable[Entry]) -> Iterator[list[Entry]]:
    """Entries grouped by count and size, so that a chunk is a fair amount of work."""
    chunk: list[Entry] = []
    size = 0
    for entry in entries:
        chunk.append(entry)
        size += entry[1]
        if len(chunk) >= CHUNK_RECORDS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _clean_pair(cleaner: Any, entry: Entry, timeout: float | None) -> Result:
    return clean_entry(cleaner, entry[0], timeout)


def _failed_pair(entry: Entry, why: str) -> Result:
    return failed_result(entry[0], why)


def clean_chunks(
    cleaner: Any,
    chunks: Iterable[list[Entry]],
    workers: int,
    timeout: float | None,
    isolated: bool = False,
) -> Iterator[list[Result]]:
    """Each chunk's results, in input order: in this process (`workers` 1) or in a pool.
    `isolated` puts even one worker in a process of its own, forked from this one, so a page
    that kills it or hangs past its alarm becomes an error result instead of ending the
    caller (a Spark task)."""
    if workers <= 1 and not isolated:
        for chunk in chunks:
            with page_alarm(timeout):
                results = [clean_entry(cleaner, item, timeout) for item, _ in chunk]
            yield results
        return
    from .pool import Pool  # only runs with workers start processes

    pool = Pool(cleaner, _clean_pair, max(workers, 1), timeout, _failed_pair, fork=isolated)
    yield from pool.map(chunks)


def accounted(
    cleaner: Any,
    inputs: Iterable[Entry | Page | ReadError],
    summary: Summary,
    *,
    workers: int = 1,
    page_timeout: float | None = None,
    isolated: bool = False,
) -> Iterator[list[Result]]:
    """Each chunk's results, in input order, counted in `summary` before they are yielded.

    `inputs` are `(page or ReadError, input bytes)` pairs as the readers give them (bare pages
    are accepted too).
    """
    entries = (e if isinstance(e, tuple) else (e, page_size(e)) for e in inputs)
    chunks = _counting(chunked(entries), summary)
    for results in clean_chunks(cleaner, chunks, workers, page_timeout, isolated):
        for r in results:
            summary.count(r)
        yield results


def run(
    cleaner: Any,
    inputs: Iterable[Entry | Page | ReadError],
    write: Callable[[str], None],
    write_error: Callable[[dict[str, Any]], None],
    *,
    workers: int = 1,
    page_timeout: float | None = None,
    summary: Summary | None = None,
    progress: Progress | None = None,
    checkpoint: Callable[[Summary], None] | None = None,
) -> Summary:
    """Clean every input in order; nothing is dropped: each gives a line or an error record.

    `write` gets each output record as a JSON line, in input order.
    `checkpoint(summary)` is called every few seconds at a record boundary.
    """
    summary = summary or Summary()
    last = time.monotonic()
    before = summary.records_in
    for results in accounted(cleaner, inputs, summary, workers=workers, page_timeout=page_timeout):
        for r in results:
            if r[0] == "ok":
                write(r[1])
            elif r[0] == "error":
                write_error(r[1])
        if progress is not None:
            progress.update(summary.records_in - before)
            before = summary.records_in
        if checkpoint is not None and time.monotonic() - last >= CHECKPOINT_SECONDS:
            checkpoint(summary)
            last = time.monotonic()
    return summary


def page_size(item: Page | ReadError) -> int:
    """The input bytes of a page, for MB/s: a page given as text counts its UTF-8 length."""
    content = getattr(item, "content", b"")
    return len(content) if isinstance(content, bytes) else len(content.encode("utf-8", "replace"))


def _counting(chunks: Iterator[list[Entry]], summary: Summary) -> Iterator[list[Entry]]:
    # input bytes are counted as records are read; read only bytes, never records
    for chunk in chunks:
        summary.bytes_in += sum(size for _, size in chunk)
        yield chunk
