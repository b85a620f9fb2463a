"""What the region model knows of a line: its shape, its chrome vocabulary and its place.

Shallow text features in the spirit of boilerpipe (Kohlschütter et al., 2010), adapted to
writing without spaces between words: the length in characters, the share of Han characters,
letters and digits, sentence and clause punctuation (the text density GNE reads Chinese pages
by), separators, dates, URLs, counters and label-value fields, the vocabulary's cover, and
whether the line repeats another. Context comes as in jusText: the main run of prose (the
stretch of lines with the most prose in it) and what stands next to each line.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

from ..engine.rx import matching_view
from .vocabulary import STRONG, Coverage

# runs of Han characters: counted apart, as `str.translate` looks each one up (several times
# slower than a run's match)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class _CharClasses(dict):
    """Code point -> its class, for the counts of `_shape`: D(igit, `\\d`), L(etter: the rest
    of `[^\\W\\d_]`), S(pace), C(lause mark), B (a separator between items) or O(ther), Han
    aside. Filled as characters come, so that what is left of a line without its Han is counted
    by one `str.translate` and a `str.count` a class."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char.isdecimal():
            kind = "D"
        elif char.isalnum():
            kind = "L"
        elif char in " \t\u3000":
            kind = "S"
        elif char in ",\uff0c\u3001:\uff1a;\uff1b":
            kind = "C"
        elif char in "|\uff5c>\xbb\u203a\u2192_\xb7":
            kind = "B"
        else:
            kind = "O"
        self[code] = kind
        return kind


_CLASSES = _CharClasses()
# a sentence ends: CJK marks, or a Latin mark after a word and before a space or the line end.
# A pattern searched on every line starts with a character class (or is anchored at the line's
# start), so that `re` skips to where that class stands: a lookbehind first is tried at every
# character
_SENTENCE_END = re.compile(
    r"[\u3002!?;\u2026.](?:(?<=[\u3002!?;\u2026])[\u3002!?;\u2026]*"
    r"|(?<=[^\W\d_]{2}\.)[.!?]*(?=[\"'\u201d\u2019\xbb)\]]*(?:\s|$))|(?<=[\)\]]\.)(?=\s|$))"
)
# a section heading or list item of the document: 一、 (一) 1. 1.2 第三章 【目标】 a) • 目录
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[((][一二三四五六七八九十\d]{1,3}[))]"
    r"|\d{1,2}(?:[.．]\d{1,2})+|\d{1,2}(?:[.、)．]|\s+)(?=\D)|第[一二三四五六七八九十百零\d]+[章节条部分篇课讲单元]"
    r"|[•·●◆■□▪\-*]\s|[a-z][.)]\s|【[^】]{1,20}】\s*$|目\s*录\s*$"
    r"|(?:chapter|section|part|unit|lesson|глава|раздел|capítulo|kapitel)\s+[\divx]+)",
    re.IGNORECASE,
)
# a count shown by a widget: 评论(0) (3) 100% 1 vote; `\d(?<!\w\d)` is `\b\d`, class first
_COUNTER = re.compile(r"[((]\s*\d+\s*[))]")
_SHARE = re.compile(r"\d(?<!\w\d)\d{0,2}%")
_VOTES = re.compile(r"\d(?<!\w\d)\d*\s+votes?\b")
# a separator between items: a character of class B (`_CharClasses`), or a dash or slash between
# spaces
_SPACED_DASH = re.compile(r"\s[/\-\u2013\u2014]\s")
# dates and times, each tried when the line has the digits (and letters) it needs: 2024-05-01,
# 12:30, May 1, 2024
_DATE = re.compile(r"\d\d{3}\s*[-/.\u5e74]\s*\d{1,2}\s*[-/.\u6708]\s*\d{1,2}")
_TIME = re.compile(r"\d(?<!\w\d)\d?:\d\d(?::\d\d)?\b")
_DAY = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\b\d{1,2}\s+(?:de\s+)?[a-z\xf1\xe1\xe9\xed\xf3\xfa]{3,10}\.?\s+(?:de\s+)?\d{4}\b",
    re.IGNORECASE,
)
# a label-value field: a word that starts with a label of one to eight characters and its colon
_LABEL = re.compile(r"[^::,,。]{1,8}[::]")
# how a speech or letter addresses its audience: the document's own first line
_SALUTATION = re.compile(
    r"^\s*(?:尊敬的|亲爱的|親愛的|各位|同志们|同志們|女士们|朋友们|大家好|老师们|同学们"
    r"|dear\b|ladies and gentlemen|good (?:morning|afternoon|evening)\b|уважаем|дорог"
    r"|estimad|querid|sehr geehrte|liebe\b)",
    re.IGNORECASE,
)
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+){2,}$")

# the line's own features, then its context; the order of the weights in rules/region/model.toml
LOCAL = (
    "length",
    "short",
    "han",
    "letters",
    "digits",
    "sentences",
    "clauses",
    "ends_sentence",
    "ends_colon",
    "heading",
    "salutation",
    "separators",
    "date",
    "fields",
    "counter",
    "upper",
    "slug",
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
    shape: tuple = ()  # `_shape` of the text
    cover: Coverage | None = None  # the vocabulary it holds
    repeated: bool = False  # the same line stands elsewhere on the page
    flat: bool = False  # it repeats text standing elsewhere with the white space flattened

    def as_read(self) -> Line:
        """A copy of the line as read (shape and vocabulary), for `relate` to mark anew."""
        line = Line(self.start, self.end, self.text, self.chars, self.offset)
        line.shape, line.cover = self.shape, self.cover
        return line


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, in order (blank lines are skipped by the regex)."""
    out = []
    for m in _FILLED_LINE.finditer(text):
        raw, pos = m.group(), m.start()
        stripped = raw.strip()
        chars = len(stripped)
        if " " in stripped or "\u3000" in stripped or "\t" in stripped or "\xa0" in stripped:
            chars -= sum(map(stripped.count, " \t\u3000\xa0"))
        lead = len(raw) - len(raw.lstrip())
        out.append(Line(pos, m.end(), stripped, chars, pos + lead))
    return out


_FILLED_LINE = re.compile(r"^[^\n]*?\S[^\n]*", re.MULTILINE)


# a sentence of a line: up to its closing mark and the quotes after it, and the spaces after
_SENTENCE = re.compile(r".*?(?:[。!?!?;;…]+[\"'”’」』)\]]*|(?<=[^\W\d_]{2})[.!?]+(?=\s)|$)\s*")


def sentences(line: Line) -> list[Line]:
    """The sentences of a line, as lines of their own (offsets in the page's text)."""
    out = []
    for m in _SENTENCE.finditer(matching_view(line.text)):
        part = line.text[m.start() : m.end()]
        stripped = part.strip()
        if stripped:
            chars = len(stripped) - sum(map(stripped.count, " \t\u3000\xa0"))
            start, end = line.offset + m.start(), line.offset + m.end()
            out.append(Line(start, end, stripped, chars, start))
    return out


def read_lines(lines: Sequence[Line], cover: Sequence[Coverage]) -> None:
    """Give each line its shape and vocabulary, then its repeats and marks (`relate`)."""
    for line, found in zip(lines, cover, strict=True):
        line.shape = _shape(line.text)
        line.cover = found
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
    """Give each line (its shape and vocabulary read) what it is among the page's lines: its
    repeats, and a mark as prose or as obvious chrome for the context (the main run and the
    neighbours). A line in `running` is a running header: it repeats, and is no chrome for it."""
    twice = _twice([line.text for line in lines])
    flat = _flat_repeats(lines)
    for i, line in enumerate(lines):
        shape, found = line.shape, line.cover
        n, words, clauses, ends, heading = shape[_SHAPE:]
        repeated = line.text in twice
        line.repeated = repeated and not ends
        line.flat = is_flat = i in flat
        vocab = found.total
        line.chrome = chrome = (
            found.shares.get(STRONG, 0.0) > 0
            or vocab >= 0.5
            or is_flat
            or shape[_SLUG_COLUMN] > 0
            or (repeated and n < 40 and not heading and line.text not in running)
        )
        # prose: clauses, or a long run of words (a PDF line broken inside a sentence)
        line.prose = not chrome and (
            (n >= 15 and clauses >= 2) or (n >= 25 and words >= 0.6 and vocab < 0.2)
        )


def _twice(texts: list[str]) -> set[str]:
    """The texts that stand more than once (on most pages, none)."""
    if len(set(texts)) == len(texts):
        return set()
    return {text for text, count in Counter(texts).items() if count > 1}


def guarded(line: Line) -> bool:
    """A line the model never removes: two sentences or more that no chrome word touches, or
    a line that shows no sign of chrome at all (no chrome word, separator, date, field, count,
    slug or repeat): its place on the page alone does not make it chrome."""
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


_SHAPE = LOCAL.index("slug") + 1  # the columns `_shape` gives
_SIGNS = tuple(LOCAL.index(n) for n in ("separators", "date", "fields", "counter", "slug"))
_signs = itemgetter(*_SIGNS)
_DIGITS = LOCAL.index("digits")
_SLUG_COLUMN = LOCAL.index("slug")
_SENTENCES_COLUMN = LOCAL.index("sentences")
_ENDERS = frozenset("。!?!?…;;.")
_CLOSERS = "\"'”’」』)]) "


@lru_cache(maxsize=1 << 12)
def _shape(s: str) -> tuple:
    """The shape features of a line (the first columns of `LOCAL`, to `slug`), then what the
    caller needs of it: characters, share of words, clause marks, whether it ends a sentence,
    whether it is a heading. Cached: a site's chrome lines come back on every page (the last
    4,096 lines read are kept, about 4 MB; a body line is seldom read twice). Read with
    full-width forms folded (`matching_view`), so the patterns are written in ASCII."""
    s = matching_view(s)
    rest = s if s.isascii() else _HAN.sub("", s)
    han, classes = len(s) - len(rest), rest.translate(_CLASSES)
    n = max(len(s) - classes.count("S"), 1)
    letters, digits = classes.count("L"), classes.count("D")
    sentences = len(_SENTENCE_END.findall(s))
    clauses = classes.count("C") + sentences
    last = s.rstrip(_CLOSERS)[-1:]
    ends = last in _ENDERS and last != ""
    heading = _HEADING.match(s) is not None
    colon = ":" in s  # full-width colons are folded in the view
    shape = (
        min(math.log1p(n) / math.log1p(200), 1.0),
        float(n < 10),
        han / n,
        letters / n,
        digits / n,
        min(sentences, 3) / 3,
        min(clauses * 10 / n, 1.0),
        float(ends),
        float(s[-1] == ":"),
        float(heading),
        float(_SALUTATION.match(s) is not None),
        min(_separators(s, classes), 4) / 4,
        float(_dated(s, digits, letters)),
        min(_fields(s), 4) / 4 if colon else 0.0,
        float(_counted(s, digits)),
        float(letters >= 8 and s.upper() == s and s.lower() != s),
        float(s.isascii() and "-" in s and _SLUG.match(s) is not None),
    )
    return (*shape, n, (han + letters) / n, clauses, ends, heading)


def _separators(s: str, classes: str) -> int:
    """Separators between items: characters of class B, and dashes or slashes between spaces."""
    spaced = "-" in s or "/" in s or "\u2013" in s or "\u2014" in s
    return classes.count("B") + (len(_SPACED_DASH.findall(s)) if spaced else 0)


def _dated(s: str, digits: int, letters: int) -> bool:
    return digits >= 3 and (
        (digits >= 6 and _DATE.search(s) is not None)
        or (":" in s and _TIME.search(s) is not None)
        or (digits >= 5 and letters >= 3 and _DAY.search(s) is not None)
    )


def _fields(s: str) -> int:
    """Label-value fields (`上传人:张三`, `Views: 12`), looked for only in the words with a colon:
    a pattern of a field that starts with white space or the line's start is tried at every
    character."""
    return sum(1 for word in s.split() if ":" in word and _LABEL.match(word) is not None)


def _counted(s: str, digits: int) -> bool:
    return digits > 0 and (
        _COUNTER.search(s) is not None
        or ("%" in s and _SHARE.search(s) is not None)
        or ("vote" in s and _VOTES.search(s) is not None)
    )


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
        own = starts[i]
        low, high = max(own - _REACH, 0), own + len(key) + _REACH
        at = joined.find(key, low, high)
        if len(key) < shortest or (at == own and joined.find(key, own + 1, high) < 0):
            continue  # short, or standing nowhere else
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
