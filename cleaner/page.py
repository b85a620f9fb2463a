"""The data model: what goes into a cleaning (`Page`) and what comes out (`Cleaned`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Removal(NamedTuple):
    """One edit of the input text: `[start, end)` removed by `rule`, replaced by `insert`.

    `insert` is empty for removals; white-space normalisation uses it to put a line break where a
    run of spaces stood. Applying every removal of a page to its input gives its clean text.
    (A named tuple: a page makes dozens, and a tuple is made twice as fast as a frozen class.)
    """

    rule: str
    start: int
    end: int
    insert: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"rule": self.rule, "start": self.start, "end": self.end}
        if self.insert:
            d["insert"] = self.insert
        return d


@dataclass(slots=True)
class Page:
    """One input record: the page content plus what the caller knows about it."""

    content: str | bytes
    url: str | None = None
    id: str | None = None
    origin: dict[str, Any] | None = None
    encoding: str | None = None
    kind: str | None = None  # "text" or "html"; guessed from the content when None
    extra: dict[str, Any] | None = None


@dataclass(slots=True)
class Cleaned:
    """The clean document: text, metadata and provenance, as one output record."""

    id: str
    text: str
    metadata: dict[str, Any]
    provenance: dict[str, Any]
    removals: list[Removal] = field(default_factory=list, repr=False)
    source_text: str = field(default="", repr=False)
    # HTML pages: what each DOM rule removed before the page became `source_text`
    dom_removals: list[Any] = field(default_factory=list, repr=False)
    # the content-region model's reading of the page (lines, features, decisions), if it ran
    region: Any = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "metadata": self.metadata,
            "provenance": self.provenance,
        }
