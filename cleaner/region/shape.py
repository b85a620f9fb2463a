"""The shape of a line's text, on its own: the first columns of the region model's features.

Shallow text features in the spirit of boilerpipe (Kohlschütter et al., 2010), adapted to
writing without spaces between words: the length in characters, the share of Han characters,
letters and digits, sentence and clause punctuation (the text density GNE reads Chinese pages
by), separators, headings and salutations, dates, counters, label-value fields, capitals and
URL slugs.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..engine.rx import matching_view

# the columns `line_shape` gives, in the order of the weights in rules/region/model.toml
SHAPE = (
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
)

# runs of Han characters: counted apart, as `str.translate` looks each one up (several times
# slower than a run's match)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class _CharClasses(dict):
    """Code point -> its class, for the counts of `line_shape`: D(igit, `\\d`), L(etter: the rest
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
_WRITTEN_DATE = re.compile(r"\d{4}\s*\u5e74\s*\d{1,2}\s*\u6708\s*\d{1,2}\s*\u65e5")
# a printer's slug: the job's file name, the date and time a page was printed (and its number)
_PRINTED = r"\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]m)?"
_PRINT_SLUG = re.compile(
    rf"(?:\S+\.(?:indd|qxd|qxp)(?:\s+\d+)?\s+{_PRINTED}|\S*_\S*\s+{_PRINTED}\s+page\s+\d+)\s*$",
    re.IGNORECASE,
)
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
    r"^\s*(?:尊敬的|亲爱的|親愛的|各位|同志们|同志們|女士们|朋友们|大家(?:早上|上午|下午|晚上)?好"
    r"|老师们|同学们|dear\b|ladies and gentlemen|good (?:morning|afternoon|evening)\b|уважаем"
    r"|дорог|добр(?:ый день|ый вечер|ое утро)|estimad|querid|buen(?:os días|as tardes|as noches)"
    r"|sehr geehrte|liebe\b|guten (?:morgen|tag|abend)\b)",
    re.IGNORECASE,
)
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+){2,}$")
_ENDERS = frozenset("。!?!?…;;.")
_LOG_200 = math.log1p(200)  # the length's scale: 200 characters and more are 1
_CLOSERS = "\"'”’」』)]) "


@lru_cache(maxsize=1 << 12)
def line_shape(s: str) -> tuple:
    """The shape features of a line (`SHAPE`), then what the caller needs of it: characters,
    share of words, clause marks, whether it ends a sentence, whether it is a heading, whether
    it is a `document_mark`. Cached:
    a site's chrome lines come back on every page (the last 4,096 lines read are kept, about
    4 MB; a body line is seldom read twice). Read with full-width forms folded
    (`matching_view`), so the patterns are written in ASCII."""
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
        min(math.log1p(n) / _LOG_200, 1.0),
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
    return (*shape, n, (han + letters) / n, clauses, ends, heading, document_mark(s))


def _separators(s: str, classes: str) -> int:
    """Separators between items: characters of class B, and dashes or slashes between spaces."""
    spaced = "-" in s or "/" in s or "\u2013" in s or "\u2014" in s
    return classes.count("B") + (len(_SPACED_DASH.findall(s)) if spaced else 0)


def written_date(s: str) -> bool:
    """A line that is nothing but a date written out in 年月日 (`2024年9月1日`): the date a
    document is signed on, which sites do not print bare in their furniture."""
    return "日" in s and _WRITTEN_DATE.fullmatch(matching_view(s)) is not None


def document_mark(s: str) -> bool:
    """A line a document prints of itself that has the look of furniture (a date, a time, a
    page number): the date it is signed on (`written_date`), or a printer's slug on a page of
    a PDF (`p41-46w3_ART&SCIENCE 20/09/2010 12:22 Page 41`, `ch01.indd 3 3/14/08 10:02 AM`:
    the job's file name, the date and time it was printed). Sites print neither."""
    return written_date(s) or ("/" in s and ":" in s and _PRINT_SLUG.match(s) is not None)


def _dated(s: str, digits: int, letters: int) -> bool:
    """A date or time of the page's furniture (a document's own `written_date` is none)."""
    return digits >= 3 and (
        (digits >= 6 and _DATE.search(s) is not None and not written_date(s))
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
