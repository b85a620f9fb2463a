"""The accounts of a run (records in = cleaned + errors) and its progress on stderr."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..io.readers import MB


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

    def add_cleaned(self, site: str, chars_in: int, chars_out: int) -> None:
        self.records_in += 1
        self.cleaned += 1
        self.per_site[site] += 1
        self.chars_in += chars_in
        self.chars_out += chars_out

    def add_error(self, kind: str) -> None:
        self.records_in += 1
        self.errors += 1
        self.error_kinds[kind] += 1

    def count(self, result: tuple) -> None:
        """Count one result of `clean_entry`: cleaned, an error, or not a page."""
        if result[0] == "skipped":
            self.skipped[result[1]] += 1
            return
        if result[0] == "ok":
            self.add_cleaned(*result[2:5])
        else:
            self.add_error(result[1]["error"])

    def add(self, other: Summary) -> None:
        """Add the accounts of another part of the same run (a Spark task)."""
        for name in ("records_in", "cleaned", "errors", "bytes_in", "chars_in", "chars_out"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.per_site.update(other.per_site)
        self.error_kinds.update(other.error_kinds)
        self.skipped.update(other.skipped)

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
