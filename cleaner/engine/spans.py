"""Span arithmetic: merge removals, render the text that is left, and map later edits back.

Every stage after the text rules edits the *rendered* text; `compose` turns those edits into
removals of the original input, so provenance always speaks of input offsets and
`apply(input, removals) == output` holds for every page.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import NamedTuple

from ..page import Removal


class Edit(NamedTuple):
    """An edit of a rendered text: `[start, end)` replaced by `insert`, attributed to `rule`."""

    rule: str
    start: int
    end: int
    insert: str = ""


def merge(removals: Iterable[Removal]) -> list[Removal]:
    """Sort removals and resolve overlaps: a character belongs to the first span that claims it."""
    out: list[Removal] = []
    covered = 0
    for r in sorted(removals, key=lambda r: (r.start, -r.end)):
        if r.end <= covered:
            continue
        if r.start < covered:
            r = Removal(r.rule, covered, r.end, r.insert)
        out.append(r)
        covered = max(covered, r.end)
    return out


def apply(text: str, removals: Iterable[Removal]) -> str:
    """The text left after `removals` (sorted, not overlapping): the rebuild of provenance."""
    parts: list[str] = []
    pos = 0
    for r in removals:
        parts.append(text[pos : r.start])
        parts.append(r.insert)
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)


class Rendered:
    """The text left after removals, with a map from its offsets back to the input's."""

    __slots__ = ("_piece_starts", "pieces", "removals", "source", "text")

    def __init__(self, source: str, removals: list[Removal]):
        self.source = source
        self.removals = removals
        # piece: (out_start, out_end, src_start, removal_index); src_start -1 marks an insert
        pieces: list[tuple[int, int, int, int]] = []
        parts: list[str] = []
        out = pos = 0
        for i, r in enumerate(removals):
            if r.start > pos:
                pieces.append((out, out + r.start - pos, pos, -1))
                parts.append(source[pos : r.start])
                out += r.start - pos
            if r.insert:
                pieces.append((out, out + len(r.insert), -1, i))
                parts.append(r.insert)
                out += len(r.insert)
            pos = r.end
        if pos < len(source):
            pieces.append((out, out + len(source) - pos, pos, -1))
            parts.append(source[pos:])
        self.pieces = pieces
        self._piece_starts = [p[0] for p in pieces]
        self.text = "".join(parts)

    def to_source(self, pos: int) -> int:
        """The input offset of a position of this text (an inserted character maps to where
        its removal starts)."""
        k = max(bisect_right(self._piece_starts, pos) - 1, 0)
        if not self.pieces:
            return pos
        out_start, out_end, src, ri = self.pieces[k]
        if src < 0:
            return self.removals[ri].start
        return src + min(pos, out_end) - out_start

    def from_source(self, pos: int) -> int | None:
        """The position in this text of the input's position `pos`, or None if it was removed."""
        for out_start, out_end, src, _ in self.pieces:
            if 0 <= src <= pos < src + out_end - out_start:
                return out_start + pos - src
        return None

    def compose(self, edits: Iterable[Edit]) -> list[Removal]:
        """Removals of the input that turn it into this text with `edits` applied."""
        result = list(self.removals)
        inserts = {i: r.insert for i, r in enumerate(result) if r.insert}
        added: list[Removal] = []
        for e in edits:
            first_new = len(added)
            touched_insert = -1
            k = max(bisect_right(self._piece_starts, e.start) - 1, 0)
            while k < len(self.pieces) and self.pieces[k][0] < e.end:
                out_start, out_end, src, ri = self.pieces[k]
                lo, hi = max(e.start, out_start), min(e.end, out_end)
                if lo < hi:
                    if src >= 0:
                        added.append(Removal(e.rule, src + lo - out_start, src + hi - out_start))
                    else:
                        s = inserts[ri]
                        # cut the covered part of the insert, measured from the insert's end
                        tail = out_end - hi
                        inserts[ri] = s[: len(s) - tail - (hi - lo)] + s[len(s) - tail :]
                        touched_insert = ri
                k += 1
            if e.insert:
                if len(added) > first_new:
                    r = added[first_new]
                    added[first_new] = Removal(r.rule, r.start, r.end, e.insert)
                elif touched_insert >= 0:
                    inserts[touched_insert] += e.insert
                else:
                    raise ValueError("an edit inserts text without replacing any")
        for i, s in inserts.items():
            r = result[i]
            result[i] = Removal(r.rule, r.start, r.end, s)
        return merge(result + added)
