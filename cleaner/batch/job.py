"""A `cleaner clean` job: output files written under a partial name and renamed when complete,
a journal of checkpoints that lets `--resume` finish a run that was killed, and refusal to
overwrite what exists unless asked."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CleanerError
from ..io.readers import Entry, ReadOptions, read_inputs
from ..io.writers import FolderWriter, JsonlWriter, output_kind, partial_path
from .runner import run
from .summary import Progress, Summary

JOURNAL_VERSION = 1


class JobError(CleanerError):
    """A run that cannot start or go on (existing output, nothing to resume, bad journal…)."""

    kind = "usage"


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
