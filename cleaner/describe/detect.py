"""Which site a page comes from: its URL host first, content fingerprints second."""

from __future__ import annotations

import contextlib
import ipaddress
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from ..engine.needles import NeedleIndex
from ..engine.rx import Rx, matching_view
from ..errors import RuleTimeout
from ..rulebook.types import RuleBook

# fingerprints are looked for in the head and the tail of a page, never a whole 50 MB dump
HEAD, TAIL = 60_000, 20_000


@dataclass(frozen=True, slots=True)
class Detection:
    """The pack chosen for a page and how: "url", "fingerprint", "forced" or None (generic only)."""

    site: str | None
    by: str | None


class Detector:
    """Built once per rule book: a host index and the fingerprints of every site pack."""

    def __init__(self, book: RuleBook):
        self._hosts: dict[str, str] = {}
        self._fingerprints: list[tuple[str, Rx]] = []
        for pack in book.packs.values():
            if book.extends(pack.id):  # it joins the chain of the pack it extends
                continue
            for domain in pack.domains:
                self._hosts[domain] = pack.id
            self._fingerprints += [(pack.id, rx) for rx in pack.fingerprints]
        self._needles = NeedleIndex(rx for _, rx in self._fingerprints)

    def by_url(self, url: str | None) -> str | None:
        host = host_of(url)
        while host:
            if host in self._hosts:
                return self._hosts[host]
            _, _, host = host.partition(".")
        return None

    def by_content(self, text: str, timeout: float = 2.0) -> str | None:
        window = text if len(text) <= HEAD + TAIL else text[:HEAD] + "\n" + text[-TAIL:]
        window = matching_view(window)
        hits: Counter[str] = Counter()
        for i in self._needles.candidates(window):
            pack_id, rx = self._fingerprints[i]
            try:
                if rx.search(window, timeout=timeout, checked=True):
                    hits[pack_id] += 1
            except TimeoutError:
                raise RuleTimeout(f"{pack_id}/fingerprints", timeout) from None
        # the most fingerprints wins; a tie goes to the pack loaded first
        return max(hits, key=hits.__getitem__) if hits else None

    def detect(self, text: str, url: str | None = None, timeout: float = 2.0) -> Detection:
        site = self.by_url(url)
        if site:
            return Detection(site, "url")
        site = self.by_content(text, timeout)
        return Detection(site, "fingerprint" if site else None)


def host_of(url: str | None) -> str | None:
    """The lower-case host of a URL (with or without a scheme), or None."""
    if not url:
        return None
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        return (parts.hostname or "").strip(".").lower() or None
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The domain a site registered, by the Public Suffix List bundled with `publicsuffixlist`
    (`max.book118.com` → `book118.com`, `a.b.github.io` → `b.github.io`; nothing is fetched):
    the host itself for an IP address or a name with no public suffix, IDNA-encoded."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host.strip("[]")
    except ValueError:
        site = _psl().privatesuffix(host) or host
    with contextlib.suppress(UnicodeError):  # a name IDNA cannot encode stays as it is
        site = site.encode("idna").decode("ascii")
    return site


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()
