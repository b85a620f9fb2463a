"""What the region model knows of a line: its shape (`shape.py`), its chrome vocabulary and
its place.

Besides the shape: the vocabulary's cover, and whether the line repeats another. Context comes
as in jusText: the main run of prose (the stretch of lines with the most prose in it) and what
stands next to each line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter

from ..engine.rx import matching_view
from .shape import SHAPE, line_shape
from .vocabulary import STRONG, Coverage

# the line's own features, then its context; the order of the weights in rules/region/model.toml
LOCAL = (
    *SHAPE,
    "repeated",
    "flat_repeat",
    "vocab_hits",
    "vocab_all",
    "vocab_strong",
)
CONTEXT = (
    "in_run",
    "before_run",
    "after_run",
    "gap",
    "prev_prose",
    "next_prose",
    "prev_chrome",
    "next_chrome",
    "prev_vocab",
    "next_vocab",
    "page_edge",
)


@dataclass(slots=True)
class Line:
    """A non-blank line of the page: where it is and what it says (stripped)."""

    start: int  # offsets of the whole line in the text, its line break aside
    end: int
    text: str
    chars: int  # characters, white space aside
    offset: int = 0  # where `text` starts in the page's text
    prose: bool = False  # counted as prose when the main run is found
    chrome: bool = False  # obvious chrome (strong vocabulary, mostly vocabulary, a slug)
    own_prose: bool = False  # the two marks the line has on its own, its repeats aside
    own_chrome: bool = False
    shape: tuple = ()  # `line_shape` of the text
    cover: Coverage | None = None  # the vocabulary it holds
    repeated: bool = False  # the same line stands elsewhere on the page
    flat: bool = False  # it repeats text standing elsewhere with the white space flattened

    def as_read(self) -> Line:
        """A copy of the line as read (shape and vocabulary), for `relate` to mark anew."""
        line = Line(self.start, self.end, self.text, self.chars, self.offset)
        line.shape, line.cover = self.shape, self.cover
        line.prose = line.own_prose = self.own_prose
        line.chrome = line.own_chrome = self.own_chrome
        return line


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, in order (blank lines are skipped by the regex)."""
    out = []
    for m in _FILLED_LINE.finditer(text):
        stripped = m.group(1)
        start, end = m.span()
        out.append(Line(start, end, stripped, _chars(stripped), m.start(1)))
    return out


def _chars(text: str) -> int:
    """The characters of a stripped text, white space aside."""
    if " " in text or "\u3000" in text or "\t" in text or "\xa0" in text:
        return len(text) - sum(map(text.count, " \t\u3000\xa0"))
    return len(text)


# a line with a character that is no white space: the line, and (group 1) its text stripped
_FILLED_LINE = re.compile(r"^[^\S\n]*+(\S(?:[^\n]*\S)?)[^\n]*", re.MULTILINE)


# a sentence of a line: up to its closing mark and the quotes after it, and the spaces after
_SENTENCE = re.compile(r".*?(?:[。!?!?;;…]+[\"'”’」』)\]]*|(?<=[^\W\d_]{2})[.!?]+(?=\s)|$)\s*")


def sentences(line: Line) -> list[Line]:
    """The sentences of a line, as lines of their own (offsets in the page's text)."""
    out = []
    for m in _SENTENCE.finditer(matching_view(line.text)):
        part = line.text[m.start() : m.end()]
        stripped = part.strip()
        if stripped:
            start, end = line.offset + m.start(), line.offset + m.end()
            out.append(Line(start, end, stripped, _chars(stripped), start))
    return out


def read_lines(lines: Sequence[Line], cover: Sequence[Coverage]) -> None:
    """Give each line its shape and vocabulary, and its marks for the context: obvious chrome
    (a strong chrome word, mostly chrome words, a slug) or prose (clauses, or a long run of
    words: a PDF line broken inside a sentence). Then its repeats (`relate`)."""
    for line, found in zip(lines, cover, strict=True):
        line.shape = shape = line_shape(line.text)
        line.cover = found
        vocab = found.total
        line.chrome = line.own_chrome = chrome = (
            vocab >= 0.5 or shape[_SLUG_COLUMN] > 0 or found.shares.get(STRONG, 0.0) > 0
        )
        if not chrome:
            n, words, clauses = shape[_SHAPE : _SHAPE + 3]
            line.prose = line.own_prose = (n >= 15 and clauses >= 2) or (
                n >= 25 and words >= 0.6 and vocab < 0.2
            )
    relate(lines)


def run_of(lines: Sequence[Line]) -> tuple[int, int] | None:
    """The main run of prose of related lines (`relate`, `main_run`). A short line that
    repeats, one copy of it between two lines of prose inside the run, is the document's
    running header (a PDF prints its title at the top of each page): no copy of it counts as
    chrome for repeating, and the run is found again."""
    run = main_run(lines)
    if run is None:
        return None
    running = {
        lines[i].text
        for i in range(run[0] + 1, run[1])
        if lines[i].repeated and lines[i - 1].prose and lines[i + 1].prose
    }
    if not running:
        return run
    relate(lines, running)
    return main_run(lines)


def relate(lines: Sequence[Line], running: Set[str] = frozenset()) -> None:
    """Give each line (as read: `read_lines`, `Line.as_read`) what it is among the page's
    lines: its repeats, which make it obvious chrome for the context (the main run and the
    neighbours) and no prose. A line in `running` is a running header: it repeats, and is no
    chrome for it. Most pages repeat no line: each keeps its marks as read."""
    twice = _twice([line.text for line in lines])
    flat = _flat_repeats(lines)
    if not twice and not flat:
        return
    for i, line in enumerate(lines):
        n, _, _, ends, heading = line.shape[_SHAPE : _SHAPE + 5]
        repeated = line.text in twice
        line.repeated = repeated and not ends
        line.flat = is_flat = i in flat
        line.chrome = chrome = (
            line.own_chrome
            or is_flat
            or (repeated and n < _short(line) and not heading and line.text not in running)
        )
        line.prose = line.own_prose and not chrome


def _short(line: Line) -> int:
    """The characters (white space aside) under which a repeated line is chrome: a title
    written in letters takes about twice the characters of one in Han."""
    return 40 if line.shape[_HAN_COLUMN] >= 0.5 else 80


def _twice(texts: list[str]) -> set[str]:
    """The texts that stand more than once (on most pages, none)."""
    if len(set(texts)) == len(texts):
        return set()
    return {text for text, count in Counter(texts).items() if count > 1}


def guarded(line: Line) -> bool:
    """A line the model never removes: a line the document prints of itself that looks like
    furniture (`document_mark`: its signing date, a PDF's print slug), two sentences or more
    that no chrome word touches, or a line that shows no sign of chrome at all (no chrome
    word, separator, date, field, count, slug, repeat or mostly digits): its place on the page
    alone does not make it chrome."""
    if line.shape[_MARK]:
        return True
    if line.cover.hits:
        return False
    if line.shape[_SENTENCES_COLUMN] >= 2 / 3:
        return True
    shape = line.shape
    return not (line.repeated or line.flat or shape[_DIGITS] >= 0.5 or any(_signs(shape)))


def local_row(line: Line, kinds: Sequence[str]) -> list[float]:
    """The line's local features: `LOCAL`, then one `vocab_<kind>` per kind."""
    found = line.cover
    strong = found.shares.get(STRONG, 0.0)
    return [
        *line.shape[:_SHAPE],
        float(line.repeated),
        float(line.flat),
        min(found.hits, 4) / 4,
        min(found.total, 1.0),
        strong,
        *(found.shares.get(kind, 0.0) for kind in kinds),
    ]


_SHAPE = len(SHAPE)  # the columns of `line_shape`
_MARK = _SHAPE + 5  # then characters, words, clauses, ends, heading and `document_mark`
_SIGNS = tuple(LOCAL.index(n) for n in ("separators", "date", "fields", "counter", "slug"))
_signs = itemgetter(*_SIGNS)
_DIGITS = LOCAL.index("digits")
_SLUG_COLUMN = LOCAL.index("slug")
_HAN_COLUMN = LOCAL.index("han")
_SENTENCES_COLUMN = LOCAL.index("sentences")


def main_run(lines: Sequence[Line]) -> tuple[int, int] | None:
    """The stretch of lines `[first, last]` with the most prose in it (the largest sum of
    prose characters less chrome and short lines: short lines between prose join the run,
    a block of chrome splits it), or None for a page without prose."""
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        if line.prose:
            weight = float(line.chars)
        elif line.chrome:
            weight = -float(line.chars) - 10.0
        else:
            weight = -0.3 * min(line.chars, 30) - 2.0
        if total <= 0:
            total, start = 0.0, i
        total += weight
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def context_row(lines: Sequence[Line], i: int, run: tuple[int, int] | None) -> list[float]:
    """The context features of line `i` (`CONTEXT`). A page without a run of prose has no
    frame to tell from its body: every line of it stands as in the run."""
    if run is None or run[0] <= i <= run[1]:
        place, gap = (1.0, 0.0, 0.0), 0.0
    elif i < run[0]:
        place, gap = (0.0, 1.0, 0.0), min(run[0] - i, 4) / 4
    else:
        place, gap = (0.0, 0.0, 1.0), min(i - run[1], 4) / 4
    last = len(lines) - 1
    prev = lines[i - 1] if i > 0 else None
    nxt = lines[i + 1] if i < last else None
    return [
        *place,
        gap,
        float(prev is not None and prev.prose),
        float(nxt is not None and nxt.prose),
        float(prev is not None and prev.chrome),
        float(nxt is not None and nxt.chrome),
        min(prev.cover.total, 1.0) if prev is not None else 0.0,
        min(nxt.cover.total, 1.0) if nxt is not None else 0.0,
        float(i == 0 or i == last),
    ]


def _flat_repeats(lines: Sequence[Line], shortest: int = 12) -> set[int]:
    """Lines that repeat text standing elsewhere on the page with its white space flattened:
    slide hosts print each slide's text again as one run (an image caption), mirrors print a
    document twice. A line is such a repeat when its text (white space aside) stands elsewhere
    as several lines from the start of one (a document's own phrase, said again across a line
    break in mid-line, is no copy of it), or inside a longer line that spaces it more. The
    copy is looked for within `_REACH` characters of the line, so that a book of many
    thousand lines is read in time linear in its size (every line of a smaller page is
    looked for in the whole page)."""
    keys = [_unspaced(line.text) for line in lines]
    joined = "".join(keys)
    starts = list(accumulate(map(len, keys), initial=0))
    found, twice = set(), None
    for i, key in enumerate(keys):
        if len(key) < shortest:
            continue
        own = starts[i]
        high = own + len(key) + _REACH
        at = joined.find(key, own - _REACH if own > _REACH else 0, high)
        if at == own and joined.find(key, own + 1, high) < 0:
            continue  # standing nowhere else
        if twice is None:
            twice = _twice(keys)
        if key in twice:  # a line standing twice is `repeated`
            continue
        line, looked = lines[i], 0
        while at >= 0 and looked < 4:
            looked += 1
            if at != own:
                j = bisect_right(starts, at) - 1
                if at + len(key) > starts[j] + len(keys[j]):  # over a line break
                    if at == starts[j]:
                        found.add(i)
                        break
                elif _spacing(lines[j].text, at - starts[j], len(key)) > _spacing(line.text):
                    found.add(i)
                    break
            at = joined.find(key, at + 1, high)
    return found


_REACH = 1 << 15  # characters (white space aside) before and after a line, for its copy


def _spacing(text: str, start: int = 0, size: int | None = None) -> float:
    """The share of white space in the part of `text` that holds `size` non-space characters
    from the `start`-th one (all of it by default)."""
    if size is None:
        return (len(text) - len(_unspaced(text))) / max(len(text), 1)
    seen, first, last = 0, None, start + size - 1  # non-space characters before a run
    for run in _NON_SPACE.finditer(text):
        a, b = run.span()
        if first is None and seen + b - a > start:
            first = a + start - seen
        if seen + b - a > last:
            span = text[first : a + last - seen + 1]
            return (len(span) - len(_unspaced(span))) / len(span)
        seen += b - a
    return 0.0


_NON_SPACE = re.compile(r"\S+")


def _unspaced(text: str) -> str:
    """`text` without its white space (what `\\s` matches: `str.split` splits on the same
    characters, and is several times faster than a regex substitution)."""
    return "".join(text.split())
