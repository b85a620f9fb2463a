"""Which rule patterns could match a page, from one pass over it.

Every `Rx` knows literal strings one of which each of its matches contains (its needles).
Testing them with `in` costs a pass over the page per needle, and a chain of packs has about
150 of them: that was a fifth of the cleaning time of a page. A `NeedleIndex` finds
all the needles of its patterns in one pass with Hyperscan's literal matcher, on the page's
UTF-8 bytes (a string holds a needle exactly when its UTF-8 bytes hold the needle's), and then
tells which patterns have one of their needles there.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import hyperscan

from .rx import Rx, any_of


class NeedleIndex:
    """The needles of a sequence of patterns, compiled once (per chain of packs, not per page)."""

    def __init__(self, patterns: Iterable[Rx | None], gate: bool = False):
        self.patterns = tuple(patterns)  # None: a rule without a pattern, always a candidate
        every = {n for p in self.patterns if p is not None for n in p.needles or ()}
        self.needles = tuple(sorted(n for n in every if _indexable(n)))
        number = {n: i for i, n in enumerate(self.needles)}
        # the patterns each needle admits, and those that always scan: they have no needles,
        # or one that Hyperscan cannot take (the scan itself is exact, the needles only save it)
        self._admits: list[list[int]] = [[] for _ in self.needles]
        self._always: list[int] = []
        for i, p in enumerate(self.patterns):
            if p is None or p.needles is None or not all(n in number for n in p.needles):
                self._always.append(i)
                continue
            for n in p.needles:
                self._admits[number[n]].append(i)
        self._db = None
        if self.needles:
            self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self._db.compile(
                expressions=[n.encode("utf-8", "surrogatepass") for n in self.needles],
                ids=list(range(len(self.needles))),
                elements=len(self.needles),
                flags=hyperscan.HS_FLAG_SINGLEMATCH,  # one report per needle is all we need
                literal=True,
            )
        self._local = threading.local()  # Hyperscan scratch space is one thread's
        # with `gate`, for short texts: the patterns that always scan are tried as one pattern
        # first, and left out where it finds nothing (one search instead of one per pattern)
        self._gate = None
        if gate and self._always and None not in self.patterns:
            self._gate = any_of([self.patterns[i] for i in self._always])
        self._gated = gate

    def __getstate__(self) -> tuple[tuple[Rx, ...], bool]:
        return self.patterns, self._gated

    def __setstate__(self, state: tuple[tuple[Rx, ...], bool]) -> None:
        self.__init__(*state)

    def candidates(self, text: str) -> list[int]:
        """The positions of the patterns that may match `text`, in order: those one of whose
        needles is in it (as `Rx.may_match` says) and those that always scan."""
        hits: list[int] = []
        if self._db is not None and text:
            scratch = getattr(self._local, "scratch", None)
            if scratch is None:
                scratch = self._local.scratch = hyperscan.Scratch(self._db)
            data = text.encode("utf-8", "surrogatepass")
            self._db.scan(data, match_event_handler=_collect, context=hits, scratch=scratch)
        always = self._always
        if self._gate is not None and self._gate.search(text) is None:
            always = []
        if not hits:
            return list(always)
        admitted = set(always)
        for needle in hits:
            admitted.update(self._admits[needle])
        return sorted(admitted)


def _indexable(needle: str) -> bool:
    """Hyperscan takes no NUL byte (its strings end there) and no literal of 16 KB or more."""
    return "\x00" not in needle and len(needle) <= 1000


def _collect(needle: int, start: int, end: int, flags: int, hits: list[int]) -> None:
    hits.append(needle)
