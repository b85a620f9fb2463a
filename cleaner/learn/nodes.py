"""HTML pages: nodes whose text repeats across a site's pages become `[[html]]` drop rules.

A node is named by a CSS selector of its own (`div#footer`, `p.doc-tips`), read where the DOM
rules in use have not dropped it already. When the same selector holds the same text (numbers
and the page's title generalised) on enough pages, and on nearly every page where it stands,
and that text has chrome evidence, the node is dropped by its selector.
"""

from __future__ import annotations

from typing import Any

import regex
from lxml import etree

from ..engine import dom
from ..page import Cleaned, Page
from ..read.decode import decode
from ..read.html import parse
from .config import LearnConfig
from .counter import Tally, TopCounter
from .draft import Proposal
from .evidence import chrome_evidence
from .shape import folded, literal_chars, shape

_UNSTABLE = regex.compile(r"\d{4,}")  # generated ids and classes change from page to page
_CSS_NAME = regex.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")


class NodeTally(Tally):
    __slots__ = ("example", "order")

    def __init__(self) -> None:
        super().__init__()
        self.example = ""
        self.order = 0


class NodeStats:
    """Selectors, and selectors with their text, counted by page."""

    def __init__(self, cfg: LearnConfig):
        self.nodes: TopCounter[NodeTally] = TopCounter(cfg.nodes_capacity, NodeTally)
        self.selectors: TopCounter[Tally] = TopCounter(cfg.nodes_capacity, Tally)

    def propose(self, pages: int, cfg: LearnConfig) -> list[Proposal]:
        found = []
        for key, t in self.nodes:
            selector, sh = key.split("\x00", 1)
            total = self.selectors.get(selector)
            seen = t.seen
            if total is None or seen < cfg.consistent * total.seen or literal_chars(sh) < 2:
                continue
            why = chrome_evidence(folded(t.example), seen, pages, 1.0, cfg)
            if why:
                found.append((t.order, selector, t, why))
        out: list[Proposal] = []
        texts: list[str] = []
        for _, selector, t, why in sorted(found, key=lambda x: x[0]):
            if any(t.example in text for text in texts):
                continue  # inside a node already dropped
            texts.append(t.example)
            name = "node-" + regex.sub(r"[^a-z0-9]+", "-", selector.lower()).strip("-")[:40]
            out.append(
                Proposal(
                    "html",
                    {
                        "id": name,
                        "kind": "drop",
                        "css": selector,
                        "why": f"the same node on its pages, {why}: {t.example[:60]!r}",
                    },
                    seen,
                    lines=(t.example,),
                )
            )
        return out


def selector_of(el: Any) -> str | None:
    """`tag#id` or `tag.class.class` of an element, without generated names; None if it has
    neither."""
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is None or not _CSS_NAME.match(tag):
        return None
    ident = el.get("id")
    if ident and _CSS_NAME.match(ident) and not _UNSTABLE.search(ident):
        return f"{tag}#{ident}"
    classes = sorted(
        c for c in (el.get("class") or "").split() if _CSS_NAME.match(c) and not _UNSTABLE.search(c)
    )
    return f"{tag}." + ".".join(classes) if classes else None


def observe_nodes(stats: Any, page: Page, cleaned: Cleaned, cleaner: Any, cfg: LearnConfig) -> None:
    """Count the selectors of one HTML page, and their text, in its group's `stats.nodes`."""
    raw = page.content
    if isinstance(raw, bytes):
        raw, _ = decode(raw, page.encoding, html=True)
    root = parse(raw)
    site = (cleaned.provenance.get("detection") or {}).get("site")
    content, _, dropped = dom.apply_rules(root, cleaner.chain(site).dom_rules)
    if stats.nodes is None:
        stats.nodes = NodeStats(cfg)
    nodes: NodeStats = stats.nodes
    page_chars = max(1, len(cleaned.source_text))
    title = folded(cleaned.metadata.get("title") or "") or None
    seen: set[str] = set()
    stack = [content]
    order = 0
    while stack:
        el = stack.pop()
        if el in dropped or not isinstance(el.tag, str):
            continue
        stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
        selector = selector_of(el) if el is not content else None
        if selector is None:
            continue
        order += 1
        text = " ".join(etree.tostring(el, method="text", encoding="unicode").split())
        if selector not in seen:
            nodes.selectors.hit(selector)
        if (
            not text
            or len(text) > cfg.html_max_chars
            or len(text) > cfg.html_max_share * page_chars
        ):
            seen.add(selector)
            continue
        key = f"{selector}\x00{shape(folded(text), title)}"
        if key in seen:
            continue
        seen.update((key, selector))
        t = nodes.nodes.hit(key)
        if not t.example:
            t.example, t.order = text, order
