"""The text each shown page was cleaned from, found again in the run's inputs.

An output record holds the clean text and the removed spans, not the text they were cut from.
Given the inputs, each shown record's page is found by the hash of its content
(`provenance.input_sha256`, whatever path the input now has) and cleaned again with the same
options, which gives `Cleaned.source_text`: the input text of a text page, the text after DOM
rules of an HTML page. It is used only if the record's own spans rebuild the record's text
from it exactly; otherwise the page is shown from its clean text, with the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import CleanerError
from ..io.readers import ReadOptions, read_inputs
from ..page import Cleaned, Page, Removal
from ..pipeline import Cleaner, rebuild
from .tally import spans_of


@dataclass(slots=True)
class Source:
    """What the inputs say about one shown page: its source text (None if not found or not
    rebuilt) and the samples of what each DOM rule removed."""

    text: str | None = None
    dom_samples: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""


NOT_GIVEN = (
    "The inputs were not given (--input), so this is the clean text: each ⟦rule −N⟧ marks"
    " where a rule removed N characters."
)
NOT_FOUND = "No input page has this record's content (input_sha256): shown on its clean text."


def content_sha256(content: str | bytes) -> str:
    data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def find_sources(
    records: list[dict[str, Any]],
    inputs: Iterable[str],
    read: ReadOptions | None,
    cleaner: Cleaner,
) -> list[Source]:
    """The source of each record, read from `inputs`; stops reading once all are found."""
    wanted: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        sha = record["provenance"].get("input_sha256")
        if isinstance(sha, str):
            wanted.setdefault(sha, []).append(i)
    found = [Source(note=NOT_FOUND) for _ in records]
    if not wanted:
        return found
    for item, _ in read_inputs(list(inputs), read or ReadOptions()):
        if not isinstance(item, Page):
            continue
        indexes = wanted.pop(content_sha256(item.content), None)
        if indexes is None:
            continue
        for i in indexes:
            found[i] = _source(records[i], item, cleaner)
        if not wanted:
            break
    return found


def _source(record: dict[str, Any], page: Page, cleaner: Cleaner) -> Source:
    try:
        cleaned = cleaner.clean_page(page)
    except CleanerError as e:
        return Source(note=f"The input page was found, but cleaning it again failed ({e}).")
    spans = [
        Removal(s["rule"], s["start"], s["end"], s.get("insert", ""))
        for s in spans_of(record["provenance"])
    ]
    if rebuild(cleaned.source_text, spans) != record.get("text"):
        return Source(note=_mismatch(record, cleaner))
    return source_of(cleaned)


def source_of(cleaned: Cleaned) -> Source:
    """The source of a page just cleaned: its text and what its DOM rules removed."""
    return Source(cleaned.source_text, {d.rule: d.samples for d in cleaned.dom_removals})


def _mismatch(record: dict[str, Any], cleaner: Cleaner) -> str:
    """Why the input found does not rebuild the record: the packs that changed, if any."""
    changed = [
        p["pack"]
        for p in record["provenance"].get("rules") or ()
        if isinstance(p, dict)
        and isinstance(p.get("pack"), str)
        and (pack := cleaner.book.packs.get(p["pack"])) is not None
        and pack.sha256 != p.get("sha256")
    ]
    why = (
        f"the run used other versions of the packs {', '.join(changed)} (give the same --rules)"
        if changed
        else "the run used other rules or options (--rules, --site)"
    )
    return (
        "The input page was found, but its record's spans do not rebuild the record's text from"
        f" it: {why}. Shown on its clean text."
    )
