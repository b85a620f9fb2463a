"""The rule types: plain data that every stage reads and nothing of the package is imported by.

The loader (`cleaner.rulebook.load`) fills them, with the patterns and selectors already compiled
by the engines (an `Rx`, a compiled selector); here they are only typed `Any`, so that this
module stays at the bottom of the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TEXT_KINDS = (
    *("drop_line", "drop_block", "drop_repeat", "cut_before", "cut_after", "strip"),
    *("linebreak", "flag"),
)
CUT_KINDS = ("cut_before", "cut_after")
HTML_KINDS = ("drop", "body")
# field -> type of its value; the metadata contract of every output record
META_FIELDS: dict[str, type] = {
    "title": str,
    "doc_format": str,
    "vip": bool,
    "uploader": str,
    "uploader_verified": bool,
    "upload_date": str,
    "pages": int,
    "comments": int,
    "size": str,
    "doc_id": str,
    "views": int,
    "author": str,
}
META_SOURCES = ("page", "clean", "url")
META_FORMATS = ("slug",)


@dataclass(frozen=True, slots=True)
class TextRule:
    """A compiled text rule; `id` is qualified with its pack (`book118/terms`)."""

    id: str
    kind: str
    why: str
    pattern: Any = None
    start: Any = None
    end: Any = None
    flag: str | None = None
    join: bool = False
    within: float | None = None
    max_lines: int = 40
    examples: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MetaRule:
    """Reads one metadata field from the raw page (or, with `source = "clean"`, the clean text)."""

    id: str
    field: str
    pattern: Any
    value: Any = None
    source: str = "page"
    examples: tuple[str, ...] = ()
    format: str | None = None


@dataclass(frozen=True, slots=True)
class HtmlRule:
    """A DOM rule: `drop` removes the selected nodes, `body` names the content root.

    `selector` is the DOM engine's compiled form of `css` or `xpath`, made when the pack loads.
    """

    id: str
    kind: str
    why: str
    css: str | None = None
    xpath: str | None = None
    selector: Any = None


@dataclass(frozen=True)
class Pack:
    """One site's rules, compiled."""

    id: str
    path: str
    sha256: str
    name: str | None = None
    domains: tuple[str, ...] = ()
    fingerprints: tuple[Any, ...] = ()
    inherit: tuple[str, ...] = ()
    always: bool = False
    language: str | None = None
    text: tuple[TextRule, ...] = ()
    meta: tuple[MetaRule, ...] = ()
    html: tuple[HtmlRule, ...] = ()
    title_strip: tuple[Any, ...] = ()
    title_decorations: tuple[Any, ...] = ()  # cut from titles found on the page, not captured
    region_enabled: bool | None = None  # [region] enabled: None leaves the model on
    region_threshold: float | None = None  # [region] threshold: the site's own
    title_glued: bool = False  # a title glued to the first line's next word is removed too
    learned: bool = False  # written by `cleaner learn`, not by a person
    extends: str | None = None  # the site pack whose pages this pack's rules also clean


@dataclass
class RuleBook:
    """Every pack by id, in load order; user packs replace bundled packs of the same id."""

    packs: dict[str, Pack] = field(default_factory=dict)

    def add(self, pack: Pack) -> None:
        """Add a pack; one with the id of a loaded pack replaces it and goes to the end."""
        self.packs.pop(pack.id, None)
        self.packs[pack.id] = pack

    @property
    def always(self) -> list[Pack]:
        return [p for p in self.packs.values() if p.always]

    def extends(self, pack_id: str) -> str | None:
        """The loaded pack that `pack_id` adds its rules to, if any: such a pack is not a site
        of its own (it is never detected), it joins the chain of the pack it extends."""
        base = self.packs[pack_id].extends
        return base if base in self.packs else None

    def chain(self, site: str | None) -> list[Pack]:
        """The packs for a page of `site`: the site, what it inherits, the packs that extend
        those, then the always-packs."""
        out: list[Pack] = []
        seen: set[str] = set()

        def add(pack_id: str) -> None:
            if pack_id in seen or pack_id not in self.packs:
                return
            seen.add(pack_id)
            pack = self.packs[pack_id]
            out.append(pack)
            for parent in pack.inherit:
                add(parent)

        if site:
            add(site)
            for pack in self.packs.values():
                if self.extends(pack.id) in seen:
                    add(pack.id)
        for pack in self.always:
            add(pack.id)
        return out
