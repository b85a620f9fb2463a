"""A review report of a run: one self-contained HTML file (no script, nothing fetched) with the
accounts of the run, per site, per rule and per flag, and the pages worth a look, each marked
like `cleaner explain`.

The run's output records are read once, in a stream: the accounts and the pages to show are
kept as they go by, in memory bounded by the number of pages shown (`sample`), not by the size
of the run. The inputs, when given, are read once more to find the shown pages' source text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._version import __version__
from ..io.readers import ReadOptions
from ..page import Cleaned
from ..pipeline import Cleaner
from .markup import Html, document, el
from .page_view import page_section
from .pick import Pick, Picker
from .records import Record, ReportError, read_records
from .sources import NOT_GIVEN, Source, find_sources, source_of
from .style import CSS, Palette
from .summary_view import (
    accounts,
    errors_table,
    flags_table,
    rules_table,
    shown_table,
    sites_table,
    unreadable_list,
)
from .tally import Tally, net_removed, spans_of

DEFAULT_SAMPLE = 20


@dataclass(slots=True)
class ReportInfo:
    """What a report holds, for the command line to say."""

    path: str
    records: int  # output and error records read
    unreadable: int  # lines of the files given that are not records
    pages_shown: int
    sources_found: int  # shown pages marked on their source text
    size: int  # bytes written


def write_report(
    target: str | Path,
    outputs: Iterable[str | Path],
    *,
    inputs: Sequence[str] | None = None,
    read: ReadOptions | None = None,
    cleaner: Cleaner | None = None,
    sample: int = DEFAULT_SAMPLE,
    run: dict[str, Any] | None = None,
) -> ReportInfo:
    """Write the report of the run whose records are in `outputs` (JSONL(.gz) output and error
    files, folder outputs) to `target`.

    `sample` pages worth a look first are shown, and `sample` others drawn at random. With
    `inputs` (and the `read` options and `cleaner` of the run) the shown pages are marked on
    the text they were cleaned from, else on their clean text. `run` is the run's own summary
    (`Summary.state()`), whose accounts then head the report. Raises `ReportError`.
    """
    outputs = [str(o) for o in outputs]
    for name in outputs:
        if not Path(name).exists():
            raise ReportError(f"{name}: no such output file or folder")
    target = check_target(target, [*outputs, *(inputs or ())])

    tally, picker = Tally(), Picker(sample)
    for item in read_records(outputs):
        tally.add(item)
        if isinstance(item, Record) and item.kind == "page":
            picker.offer(item.data, item.where)
    first = picker.look_first()
    rest = picker.sample({p.seq for p in first})
    records = [p.record for p in first + rest]
    if inputs:
        sources = find_sources(records, inputs, read, cleaner or Cleaner())
    else:
        sources = [Source(note=NOT_GIVEN) for _ in records]

    palette = Palette(rule for rule, _ in tally.rules_by_removal())
    body = _body(tally, run, palette, first, rest, sources, outputs, inputs or [])
    text = document("cleaner report", body, CSS + palette.css())
    size = _write(target, text)
    found = sum(s.text is not None for s in sources)
    return ReportInfo(str(target), tally.records_in, tally.unreadable, len(records), found, size)


def _body(
    tally: Tally,
    run: dict[str, Any] | None,
    palette: Palette,
    first: list[Pick],
    rest: list[Pick],
    sources: list[Source],
    outputs: list[str],
    inputs: Sequence[str],
) -> Html:
    named = [(f"p{i}", f"#{i}", pick) for i, pick in enumerate(first + rest, 1)]
    sections = [
        page_section(
            pick.record, pick.where, source, palette, anchor=a, heading=h, reasons=pick.reasons
        )
        for (a, h, pick), source in zip(named, sources, strict=True)
    ]
    described = f"outputs: {', '.join(outputs)}"
    if inputs:
        described += f"; inputs: {', '.join(inputs)}"
    return Html(
        el("h1", None, "cleaner report")
        + el("p", {"class": "sub"}, f"{described}; cleaner {__version__}")
        + accounts(tally, run)
        + el("h2", None, "Sites")
        + sites_table(tally)
        + el(
            "div",
            {"class": "grid"},
            el("div", None, el("h2", None, "Flags"), flags_table(tally)),
            el("div", None, el("h2", None, "Errors"), errors_table(tally, run)),
        )
        + el("h2", None, "Rules, most removed first")
        + rules_table(tally, palette)
        + (unreadable_list(tally) or "")
        + el("h2", None, "Pages shown")
        + shown_table(named)
        + _toggle()
        + el("h2", {"id": "look-first"}, f"Worth a look first ({len(first)})")
        + "".join(sections[: len(first)])
        + el("h2", {"id": "sample"}, f"A sample of the other pages ({len(rest)})")
        + "".join(sections[len(first) :])
    )


def _toggle() -> Html:
    box = el("input", {"type": "checkbox", "id": "hide"})
    return el("div", {"class": "toggle"}, el("label", None, box, " hide what was removed"))


def explain_html(cleaned: Cleaned) -> str:
    """One page as a self-contained HTML file, marked as in a report (`explain --html`)."""
    record = cleaned.to_dict()
    totals: dict[str, int] = {}
    for span in spans_of(cleaned.provenance):
        totals[span["rule"]] = totals.get(span["rule"], 0) + net_removed(span)
    palette = Palette(sorted(totals, key=lambda r: -totals[r]))
    where = ":".join(str(v) for v in (cleaned.provenance.get("origin") or {}).values())
    section = page_section(
        record, where, source_of(cleaned), palette, anchor="page", heading="cleaner explain"
    )
    return document(f"cleaner explain: {where}", Html(_toggle() + section), CSS + palette.css())


def check_target(target: str | Path, keep: Iterable[str | Path] = ()) -> Path:
    """The report's path, if a file can be written there and it is none of the files to
    `keep` (the run's outputs and inputs); raises `ReportError`."""
    target = Path(target)
    if target.is_dir() or not target.parent.is_dir():
        raise ReportError(f"cannot write the report to {target}: not a file in an existing folder")
    if any(Path(k).resolve() == target.resolve() for k in keep if k != "-"):
        raise ReportError(f"the report would overwrite {target}, a file of the run")
    return target


def _write(target: Path, text: str) -> int:
    """Write under a temporary name, then rename: a report on disk is always whole."""
    data = text.encode("utf-8", "replace")
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ReportError(f"cannot write the report to {target}: {e.strerror or e}") from None
    return len(data)
