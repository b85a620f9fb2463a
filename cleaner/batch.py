"""Many pages: clean each, write one output or one error record per input, keep the accounts."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import CleanerError
from .io.readers import ReadError
from .page import Page
from .pipeline import Cleaner


@dataclass
class Summary:
    """The accounts of a run: records in = cleaned + errors, always."""

    records_in: int = 0
    cleaned: int = 0
    errors: int = 0
    chars_in: int = 0
    chars_out: int = 0
    per_site: Counter = field(default_factory=Counter)
    error_kinds: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def line(self) -> str:
        seconds = max(time.monotonic() - self.started, 1e-9)
        sites = ", ".join(f"{s} {n}" for s, n in self.per_site.most_common())
        removed = self.chars_in - self.chars_out
        return (
            f"records in {self.records_in}, cleaned {self.cleaned}, errors {self.errors}"
            f" | chars removed {removed:,} of {self.chars_in:,}"
            f" | {seconds:.2f}s, {self.records_in / seconds:.0f} records/s"
            + (f" | sites: {sites}" if sites else "")
        )


def error_record(
    origin: dict[str, Any] | None, kind: str, message: str, id: str | None = None
) -> dict[str, Any]:
    return {"id": id, "origin": origin, "error": kind, "message": message}


def run(
    cleaner: Cleaner,
    inputs: Iterable[Page | ReadError],
    write: Callable[[dict[str, Any]], None],
    write_error: Callable[[dict[str, Any]], None],
) -> Summary:
    """Clean every input in order; nothing is dropped: each gives a record or an error record."""
    summary = Summary()
    for item in inputs:
        summary.records_in += 1
        if isinstance(item, ReadError):
            rec = error_record(item.origin, item.kind, item.message, item.id)
        else:
            try:
                cleaned = cleaner.clean_page(item)
            except CleanerError as e:
                rec = error_record(item.origin, e.kind, str(e), item.id)
            else:
                write(cleaned.to_dict())
                summary.cleaned += 1
                summary.chars_in += cleaned.provenance["chars_in"]
                summary.chars_out += cleaned.provenance["chars_out"]
                summary.per_site[cleaned.metadata["site"] or "unknown"] += 1
                continue
        summary.errors += 1
        summary.error_kinds[rec["error"]] += 1
        write_error(rec)
    return summary
