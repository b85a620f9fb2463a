"""Which group a page belongs to: its site (the registrable domain of its URL's host, so that
`www.360docs.net` and `360docs.net`, `scribd.com` and `ru.scribd.com` are one site), or, for a
page without a URL, its template: the pages that share the lines of their frame.

The registrable domain comes from the Public Suffix List bundled with `publicsuffixlist`
(`max.book118.com` → `book118.com`, `a.b.github.io` → `b.github.io`); nothing is fetched.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
from functools import cache, lru_cache

import regex
from publicsuffixlist import PublicSuffixList

from ..describe.detect import host_of
from .config import LearnConfig
from .counter import Tally, TopCounter
from .shape import folded, shape

_NOT_ID = regex.compile(r"[^a-z0-9_.-]+")
SIGNATURE_CHARS = 60  # frame lines are short: longer lines do not sign a template


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def site_of(url: str | None) -> str | None:
    """The registrable domain of a URL's host (the host itself for an IP address or a name
    with no public suffix), as a pack id; None without a URL."""
    host = host_of(url)
    return site_of_host(host) if host else None


@lru_cache(maxsize=4096)
def site_of_host(host: str) -> str:
    try:
        ipaddress.ip_address(host.strip("[]"))
        site = host.strip("[]")
    except ValueError:
        site = _psl().privatesuffix(host) or host
    with contextlib.suppress(UnicodeError):  # a name IDNA cannot encode stays as it is
        site = site.encode("idna").decode("ascii")
    return pack_id(site)


def pack_id(name: str) -> str:
    """`name` made a valid pack id (lowercase letters, digits, - _ .)."""
    ident = _NOT_ID.sub("-", name.lower()).strip("-_.")
    return ident or "site"


def signature(text: str, lines: int) -> set[str]:
    """The short lines at the top and the bottom of a page, as shapes: what its template prints."""
    rows = [folded(x) for x in text.split("\n") if x.strip()]
    ends = rows[:lines] + rows[-lines:] if len(rows) > 2 * lines else rows
    return {shape(r) for r in ends if len(r) <= SIGNATURE_CHARS}


class Template:
    """The pages of one template so far: how often each frame line was on them."""

    def __init__(self, key: str, capacity: int = 256):
        self.key = key
        self.pages = 0
        self.lines: TopCounter[Tally] = TopCounter(capacity, Tally)

    def overlap(self, sig: set[str]) -> float:
        """The share of a page's frame lines that this template prints on most of its pages."""
        if not sig:
            return 0.0
        need = max(1, math.ceil(0.3 * self.pages))
        shared = sum(1 for k in sig if (t := self.lines.get(k)) is not None and t.seen >= need)
        return shared / len(sig) if shared >= 2 else 0.0

    def add(self, sig: set[str]) -> None:
        self.pages += 1
        for k in sig:
            self.lines.hit(k)


class Templates:
    """Pages without a URL, clustered as they come: a page joins the template whose frame lines
    it shares most (at least `template_overlap` of its own), else starts a new one."""

    def __init__(self, cfg: LearnConfig):
        self.cfg = cfg
        self.templates: list[Template] = []
        self._made = 0

    def assign(self, text: str) -> str:
        sig = signature(text, self.cfg.template_lines)
        best, score = None, 0.0
        for template in self.templates:
            s = template.overlap(sig)
            if s > score:
                best, score = template, s
        if best is None or score < self.cfg.template_overlap:
            if len(self.templates) >= self.cfg.max_templates:
                # the template with the fewest pages gives its place up
                self.templates.remove(min(self.templates, key=lambda t: t.pages))
            self._made += 1
            best = Template(f"template-{self._made}")
            self.templates.append(best)
        best.add(sig)
        return best.key
