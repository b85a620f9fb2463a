"""Many pages: clean each, write one output or one error record per input, keep the accounts.

`run()` is the engine (in-process or with worker processes, results in input order);
`Job` adds what a long run needs around it: output files written under a partial name and
renamed when complete, a journal of checkpoints that lets `resume` finish a run that was
killed, and refusal to overwrite what exists unless asked.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CleanerError, PageError
from .io.readers import MB, Entry, ReadError, ReadOptions, Skipped, read_inputs
from .io.writers import FolderWriter, JsonlWriter, json_line, output_kind, partial_path
from .page import Page

CHUNK_RECORDS = 64
CHUNK_BYTES = 1 * MB
CHECKPOINT_SECONDS = 2.0
JOURNAL_VERSION = 1


class PageTimeout(PageError):
    """A page took longer than the per-page time limit."""

    kind = "page_timeout"


class JobError(CleanerError):
    """A run that cannot start or go on (existing output, nothing to resume, bad journal…)."""

    kind = "usage"


def error_record(
    origin: dict[str, Any] | None, kind: str, message: str, id: str | None = None
) -> dict[str, Any]:
    return {"id": id, "origin": origin, "error": kind, "message": message}


# --- one page -------------------------------------------------------------------------------

# what cleaning one entry gives: ("ok", json line, site, chars_in, chars_out),
# ("error", error record) or ("skipped", what the record is)
Result = tuple


def _on_alarm(signum: int, frame: Any) -> None:
    raise PageTimeout("timeout")


_alarm_on = False  # inside `page_alarm`: SIGALRM ends a page that runs past its time limit


@contextmanager
def page_alarm(timeout: float | None) -> Iterator[None]:
    """Let `clean_entry` time pages out with SIGALRM while this is open: the handler is set
    once for a run of pages, not once a page, and the caller's handler comes back after."""
    global _alarm_on
    if not timeout or not hasattr(signal, "setitimer"):
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread gets signals: pages there run without a time limit
        return
    previous, was_on = signal.signal(signal.SIGALRM, _on_alarm), _alarm_on
    _alarm_on = True
    try:
        yield
    finally:
        _alarm_on = was_on
        signal.signal(signal.SIGALRM, previous)


def clean_entry(cleaner: Any, item: Page | ReadError | Skipped, timeout: float | None) -> Result:
    """Clean one page into its JSON line, or give its error record; never raises. The page
    time limit holds inside `page_alarm`."""
    if isinstance(item, ReadError):
        return ("error", error_record(item.origin, item.kind, item.message, item.id))
    if isinstance(item, Skipped):
        return ("skipped", item.why)
    alarm = bool(timeout) and _alarm_on
    try:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            cleaned = cleaner.clean_page(item)
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        line = json_line(cleaned.to_dict())
    except PageTimeout:
        msg = f"cleaning took longer than the {timeout:g}s page time limit (--page-timeout)"
        return ("error", error_record(item.origin, "page_timeout", msg, item.id))
    except CleanerError as e:
        return ("error", error_record(item.origin, e.kind, str(e), item.id))
    except RecursionError:
        return ("error", error_record(item.origin, "too_deep", "the page nests too deep", item.id))
    except MemoryError:
        return ("error", error_record(item.origin, "no_memory", "out of memory", item.id))
    except Exception as e:  # a bug on one page must not end a week-long run
        msg = f"internal error: {type(e).__name__}: {e}"
        return ("error", error_record(item.origin, "internal_error", msg[:500], item.id))
    prov = cleaned.provenance
    site = cleaned.metadata.get("site") or "unknown"
    return ("ok", line, site, prov.get("chars_in", 0), prov.get("chars_out", 0))


def _failed(item: Page | ReadError | Skipped, why: str) -> Result:
    if isinstance(item, Skipped):  # never cleaned, so it cannot have been what failed
        return ("skipped", item.why)
    kind = "page_timeout" if "timeout" in why else "worker_crashed"
    return ("error", error_record(item.origin, kind, why, item.id))


# --- accounts -------------------------------------------------------------------------------


@dataclass
class Summary:
    """The accounts of a run: records in = cleaned + errors, always. Input records that are
    not pages (WARC requests, images) are not records in: they are counted apart, by kind."""

    records_in: int = 0
    cleaned: int = 0
    errors: int = 0
    bytes_in: int = 0
    chars_in: int = 0
    chars_out: int = 0
    per_site: Counter = field(default_factory=Counter)
    error_kinds: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    seconds_before: float = 0.0  # time spent by the runs this one resumes
    resumed_at: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return self.seconds_before + time.monotonic() - self.started

    @property
    def entries(self) -> int:
        """Input entries consumed, in input order: records and passed-over non-pages."""
        return self.records_in + sum(self.skipped.values())

    def adds_up(self) -> bool:
        return (
            self.records_in == self.cleaned + self.errors
            and sum(self.per_site.values()) == self.cleaned
            and sum(self.error_kinds.values()) == self.errors
        )

    def state(self) -> dict[str, Any]:
        return {
            "records_in": self.records_in,
            "cleaned": self.cleaned,
            "errors": self.errors,
            "bytes_in": self.bytes_in,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "per_site": dict(self.per_site),
            "error_kinds": dict(self.error_kinds),
            "skipped": dict(self.skipped),
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Summary:
        s = cls(
            **{k: state[k] for k in ("records_in", "cleaned", "errors", "bytes_in")},
            chars_in=state["chars_in"],
            chars_out=state["chars_out"],
            per_site=Counter(state["per_site"]),
            error_kinds=Counter(state["error_kinds"]),
            skipped=Counter(state.get("skipped", {})),
            seconds_before=state["seconds"],
        )
        s.resumed_at = s.records_in
        return s

    def lines(self) -> list[str]:
        t = max(self.seconds, 1e-9)
        removed = self.chars_in - self.chars_out
        share = f" ({removed / self.chars_in:.1%})" if self.chars_in else ""
        out = [
            f"records in {self.records_in:,} = cleaned {self.cleaned:,} + errors {self.errors:,}",
            f"characters in {self.chars_in:,}, out {self.chars_out:,}, removed {removed:,}{share}",
            f"time {t:.1f}s: {self.records_in / t:,.0f} records/s,"
            f" {self.bytes_in / MB / t:.2f} MB/s of input ({self.bytes_in / MB:,.1f} MB)",
        ]
        if self.per_site:
            out.append("sites: " + ", ".join(f"{s} {n:,}" for s, n in self.per_site.most_common()))
        if self.error_kinds:
            kinds = ", ".join(f"{k} {n:,}" for k, n in self.error_kinds.most_common())
            out.append(f"errors: {kinds}")
        if self.skipped:
            kinds = ", ".join(f"{k} {n:,}" for k, n in self.skipped.most_common())
            out.append(f"not pages, passed over: {kinds}")
        if self.resumed_at:
            out.append(f"resumed after {self.resumed_at:,} records")
        return out

    def line(self) -> str:
        return " | ".join(self.lines())


class Progress:
    """Records, records/s, MB/s and errors on stderr: a bar on a terminal, a line every few
    seconds otherwise, nothing when quiet."""

    def __init__(self, summary: Summary, mode: str = "auto", every: float = 10.0):
        self.summary = summary
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "lines"
        self.mode = mode
        self.every = every
        self._last = time.monotonic()
        self._bar = None
        self._t0 = time.monotonic()
        self._n0 = summary.records_in
        self._b0 = summary.bytes_in
        if mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(
                unit=" records",
                file=sys.stderr,
                initial=summary.records_in,
                dynamic_ncols=True,
                mininterval=0.5,
            )

    def _rates(self) -> tuple[float, float]:
        t = max(time.monotonic() - self._t0, 1e-9)
        s = self.summary
        return (s.records_in - self._n0) / t, (s.bytes_in - self._b0) / MB / t

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)
            if time.monotonic() - self._last >= 0.5:
                self._last = time.monotonic()
                _, mbs = self._rates()
                self._bar.set_postfix_str(f"{mbs:.1f} MB/s, errors {self.summary.errors:,}")
        elif self.mode == "lines" and time.monotonic() - self._last >= self.every:
            self._last = time.monotonic()
            rps, mbs = self._rates()
            s = self.summary
            print(
                f"cleaner: {s.records_in:,} records, {rps:,.0f} records/s, {mbs:.1f} MB/s,"
                f" errors {s.errors:,}",
                file=sys.stderr,
                flush=True,
            )

    def message(self, text: str) -> None:
        if self._bar is not None:
            self._bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


# --- the run --------------------------------------------------------------------------------


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
    return _failed(entry[0], why)


def clean_chunks(
    cleaner: Any, chunks: Iterable[list[Entry]], workers: int, timeout: float | None
) -> Iterator[list[Result]]:
    """Each chunk's results, in input order: in this process (`workers` 1) or in a pool."""
    if workers <= 1:
        for chunk in chunks:
            with page_alarm(timeout):
                results = [clean_entry(cleaner, item, timeout) for item, _ in chunk]
            yield results
        return
    from .pool import Pool

    yield from Pool(cleaner, _clean_pair, workers, timeout, _failed_pair).map(chunks)


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

    `inputs` are `(page or ReadError, input bytes)` pairs as the readers give them (bare pages
    are accepted too). `write` gets each output record as a JSON line, in input order.
    `checkpoint(summary)` is called every few seconds at a record boundary.
    """
    summary = summary or Summary()
    entries = (e if isinstance(e, tuple) else (e, _size(e)) for e in inputs)
    chunks = _counting(chunked(entries), summary)
    last = time.monotonic()
    for results in clean_chunks(cleaner, chunks, workers, page_timeout):
        before = summary.records_in
        for r in results:
            if r[0] == "skipped":
                summary.skipped[r[1]] += 1
                continue
            summary.records_in += 1
            if r[0] == "ok":
                write(r[1])
                summary.cleaned += 1
                summary.per_site[r[2]] += 1
                summary.chars_in += r[3]
                summary.chars_out += r[4]
            else:
                summary.errors += 1
                summary.error_kinds[r[1]["error"]] += 1
                write_error(r[1])
        if progress is not None:
            progress.update(summary.records_in - before)
        if checkpoint is not None and time.monotonic() - last >= CHECKPOINT_SECONDS:
            checkpoint(summary)
            last = time.monotonic()
    return summary


def _size(item: Page | ReadError) -> int:
    content = getattr(item, "content", b"")
    return len(content) if isinstance(content, bytes) else len(content.encode("utf-8", "replace"))


def _counting(chunks: Iterator[list[Entry]], summary: Summary) -> Iterator[list[Entry]]:
    # input bytes are counted as records are read; read only bytes, never records
    for chunk in chunks:
        summary.bytes_in += sum(size for _, size in chunk)
        yield chunk


# --- a job: files, journal, resume ---------------------------------------------------------


@dataclass
class JobOptions:
    output: str = "-"
    errors: str | None = None
    workers: int = 1
    page_timeout: float | None = 60.0
    resume: bool = False
    force: bool = False
    progress: str = "auto"  # "auto", "bar", "lines" or "off"


class Journal:
    """Checkpoints of a run, one JSON line each: records done and the partial files' sizes.

    Written after the outputs are flushed, so the last whole line never claims more than the
    outputs hold. A line torn by a kill is ignored.
    """

    def __init__(self, path: Path):
        self.path = path
        self._f = None

    def last(self) -> dict[str, Any] | None:
        state = None
        try:
            with self.path.open("rb") as f:
                for line in f:
                    if not line.endswith(b"\n"):
                        break
                    try:
                        state = json.loads(line)
                    except ValueError:
                        break
        except FileNotFoundError:
            return None
        return state

    def start(self, header: dict[str, Any], append: bool) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._f = self.path.open("ab" if append else "wb")
        if not append:
            self.write(header)

    def write(self, state: dict[str, Any]) -> None:
        self._f.write((json.dumps(state, ensure_ascii=False) + "\n").encode("utf-8"))
        self._f.flush()

    def remove(self) -> None:
        if self._f is not None:
            self._f.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._f is not None:
            self._f.close()


class Job:
    """One `cleaner clean` run: sources, reading options, outputs, workers and resume."""

    def __init__(
        self,
        cleaner: Any,
        sources: list[str],
        read: ReadOptions | None = None,
        options: JobOptions | None = None,
        on_error: Callable[[dict[str, Any]], None] | None = None,
    ):
        self.cleaner = cleaner
        self.sources = list(sources)
        self.read = read or ReadOptions()
        self.opts = options or JobOptions()
        self.on_error = on_error
        self.kind = output_kind(self.opts.output)
        out = self.opts.output
        if self.kind == "folder":
            self.journal_path: Path | None = Path(out) / ".cleaner-journal"
        elif self.kind == "jsonl":
            self.journal_path = Path(out).with_name(Path(out).name + ".journal")
        else:
            self.journal_path = None

    def header(self) -> dict[str, Any]:
        """What must not change between a run and its resumption."""
        r = self.read
        return {
            "journal": JOURNAL_VERSION,
            "sources": self.sources,
            "sizes": [_file_size(s) for s in self.sources],
            "format": r.format,
            "include": list(r.include),
            "exclude": list(r.exclude),
            "fields": [r.text_field, r.html_field, r.url_field, r.id_field, *r.keep_fields],
            "max_record_bytes": r.max_record_bytes,
            "output": self.opts.output,
            "errors": self.opts.errors,
        }

    def _check_targets(self) -> dict[str, Any] | None:
        """Refuse to clobber; returns the checkpoint to resume from (None: start afresh)."""
        o = self.opts
        if o.resume and self.journal_path is None:
            raise JobError("--resume needs an output file or folder (-o), not stdout")
        journal = Journal(self.journal_path) if self.journal_path else None
        state = journal.last() if journal else None
        if o.resume:
            if state is None:
                if self.kind == "jsonl" and Path(o.output).exists():
                    raise JobError(f"{o.output} is complete: nothing to resume")
                return None  # nothing was started: a plain run
            head = _journal_header(self.journal_path)
            if head != self.header():
                raise JobError(
                    f"the interrupted run of {o.output} had other inputs or options;"
                    " run it with the same ones, or use --force to start over"
                )
            if "done" not in state:
                return None
            return state
        if state is not None and not o.force:
            raise JobError(
                f"an interrupted run left {o.output} unfinished: use --resume to finish it"
                " or --force to start over"
            )
        if o.force:
            return None
        if self.kind == "jsonl" and Path(o.output).exists():
            raise JobError(f"{o.output} exists: use --force to overwrite it")
        if self.kind == "folder" and Path(o.output).exists():
            p = Path(o.output)
            if not p.is_dir():
                raise JobError(f"{o.output} exists and is not a folder")
            if any(p.iterdir()):
                raise JobError(f"the folder {o.output} is not empty: use --force to write into it")
        if o.errors and Path(o.errors).exists():
            raise JobError(f"{o.errors} exists: use --force to overwrite it")
        return None

    def run(self) -> Summary:
        """Clean every source; raises `JobError` before starting, `OSError` if writing fails."""
        o = self.opts
        state = self._check_targets()
        skip = state["done"] if state else 0
        summary = Summary.from_state(state["summary"]) if state else Summary()
        if state is None and self.kind == "jsonl" and o.force:
            partial_path(o.output).unlink(missing_ok=True)

        out = self._open_output(state["out"] if state else None)
        err = JsonlWriter(o.errors, resume_at=state["err"] if state else None) if o.errors else None
        journal = Journal(self.journal_path) if self.journal_path else None
        if journal is not None:
            journal.start(self.header(), append=state is not None)
        progress = Progress(summary, o.progress) if o.progress != "off" else None

        def write_error(rec: dict[str, Any]) -> None:
            if err is not None:
                err.write(rec)
            elif self.on_error is not None:
                self.on_error(rec)
            elif progress is not None:
                progress.message(describe_error(rec))
            else:
                print(describe_error(rec), file=sys.stderr, flush=True)

        def checkpoint(s: Summary) -> None:
            sizes = {"out": out.checkpoint(), "err": err.checkpoint() if err else 0}
            if journal is not None:
                journal.write({"done": s.entries, **sizes, "summary": s.state()})

        entries = read_inputs(self.sources, self.read)
        try:
            if skip:
                entries = _skip(entries, skip)
            summary = run(
                self.cleaner,
                entries,
                out.write,
                write_error,
                workers=o.workers,
                page_timeout=o.page_timeout,
                summary=summary,
                progress=progress,
                checkpoint=checkpoint if journal else None,
            )
            checkpoint(summary)
            if err is not None:
                err.close()
            out.close()
            if journal is not None:
                journal.remove()
        except BaseException:
            out.abort()
            if err is not None:
                err.abort()
            if journal is not None:
                journal.close()
            raise
        finally:
            if progress is not None:
                progress.close()
        return summary

    def _open_output(self, resume_at: int | None) -> JsonlWriter | FolderWriter:
        if self.kind == "folder":
            return FolderWriter(self.opts.output)
        return JsonlWriter(self.opts.output, resume_at=resume_at)


def _skip(entries: Iterator[Entry], n: int) -> Iterator[Entry]:
    for i, entry in enumerate(entries):
        if i >= n:
            yield entry


def _journal_header(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as f:
            return json.loads(f.readline())
    except (OSError, ValueError):
        return None


def _file_size(source: str) -> int | None:
    try:
        return os.stat(source).st_size if Path(source).is_file() else None
    except OSError:
        return None


def describe_error(rec: dict[str, Any]) -> str:
    """One line for people: where the record is, its error kind and message."""
    where = rec.get("origin") or {}
    place = ":".join(str(v) for v in where.values())
    return f"cleaner: {place}: {rec['error']}: {rec['message']}"


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
