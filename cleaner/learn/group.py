"""Which group a page belongs to: its site (the registrable domain of its URL's host, so that
`www.360docs.net` and `360docs.net`, `scribd.com` and `ru.scribd.com` are one site), or, for a
page without a URL, its template: the pages that share the lines of their frame, or the chrome
the cleaning removed from them.

The registrable domain comes from the Public Suffix List bundled with `publicsuffixlist`
(`max.book118.com` → `book118.com`, `a.b.github.io` → `b.github.io`); nothing is fetched.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import regex

from ..describe.detect import host_of, registrable_domain
from ..describe.normalize import SPACE_RULE
from ..page import Cleaned
from .config import LearnConfig
from .counter import Tally, TopCounter
from .shape import folded, shape

_NOT_ID = regex.compile(r"[^a-z0-9_.-]+")
SIGNATURE_CHARS = 60  # frame lines are short: longer lines do not sign a template


def site_of(url: str | None) -> str | None:
    """The registrable domain of a URL's host (the host itself for an IP address or a name
    with no public suffix), as a pack id; None without a URL."""
    host = host_of(url)
    return site_of_host(host) if host else None


def site_of_host(host: str) -> str:
    return pack_id(registrable_domain(host))


def pack_id(name: str) -> str:
    """`name` made a valid pack id (lowercase letters, digits, - _ .)."""
    ident = _NOT_ID.sub("-", name.lower()).strip("-_.")
    return ident or "site"


class Signature(NamedTuple):
    """What a page shows of its template, as line shapes."""

    frame: set[str]  # the short lines at its top and its bottom
    chrome: set[str]  # the lines the cleaning removed whole, wherever they stand


def signature(text: str, lines: int, chrome: Iterable[str] = ()) -> Signature:
    """The short lines at the top and the bottom of a page, and its `chrome` lines, as shapes."""
    rows = [folded(x) for x in text.split("\n") if x.strip()]
    ends = rows[:lines] + rows[-lines:] if len(rows) > 2 * lines else rows
    frame = {shape(r) for r in ends if len(r) <= SIGNATURE_CHARS}
    return Signature(frame, {shape(folded(x)) for x in chrome})


def removed_lines(cleaned: Cleaned) -> list[str]:
    """The lines of the page (`Cleaned.source_text`) that the cleaning removed whole: its rules'
    and the content-region model's chrome, white space aside."""
    source, out = cleaned.source_text, []
    for r in cleaned.removals:
        if r.rule == SPACE_RULE:
            continue
        pieces = source[r.start : r.end].split("\n")
        if source[source.rfind("\n", 0, r.start) + 1 : r.start].strip():
            pieces = pieces[1:]  # it starts inside a line
        end = source.find("\n", r.end)
        if source[r.end : end if end >= 0 else len(source)].strip():
            pieces = pieces[:-1]  # it ends inside one
        out += [piece.strip() for piece in pieces if piece.strip()]
    return out


class Template:
    """The pages of one template so far: how often each of their lines was on them."""

    def __init__(self, key: str, capacity: int = 256):
        self.key = key
        self.pages = 0
        self.lines: TopCounter[Tally] = TopCounter(capacity, Tally)

    def overlap(self, sig: Signature) -> tuple[float, float]:
        """The shares of a page's frame lines (two at least) and of its chrome lines that this
        template prints on many of its pages."""
        need = max(1, math.ceil(0.3 * self.pages))

        def printed(keys: set[str]) -> int:
            return sum(1 for k in keys if (t := self.lines.get(k)) is not None and t.seen >= need)

        frame = printed(sig.frame)
        chrome = printed(sig.chrome)
        return (
            frame / len(sig.frame) if frame >= 2 else 0.0,
            chrome / len(sig.chrome) if chrome else 0.0,
        )

    def add(self, sig: Signature) -> None:
        self.pages += 1
        for k in sig.frame | sig.chrome:
            self.lines.hit(k)


class Templates:
    """Pages without a URL, clustered as they come: a page joins the template whose lines it
    shares most, at least `template_overlap` of its frame lines or `template_chrome` of the
    lines the cleaning removed from it (a site whose frame is a line or two, among the short
    lines of the document), else starts a new one."""

    def __init__(self, cfg: LearnConfig):
        self.cfg = cfg
        self.templates: list[Template] = []
        self._made = 0

    def assign(self, text: str, chrome: Iterable[str] = ()) -> str:
        sig = signature(text, self.cfg.template_lines, chrome)
        best, score = None, 0.0
        for template in self.templates:
            frame, removed = template.overlap(sig)
            joins = frame >= self.cfg.template_overlap or removed >= self.cfg.template_chrome
            if joins and frame + removed > score:
                best, score = template, frame + removed
        if best is None:
            if len(self.templates) >= self.cfg.max_templates:
                # the template with the fewest pages gives its place up
                self.templates.remove(min(self.templates, key=lambda t: t.pages))
            self._made += 1
            best = Template(f"template-{self._made}")
            self.templates.append(best)
        best.add(sig)
        return best.key
