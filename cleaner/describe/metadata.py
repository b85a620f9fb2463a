"""Metadata: the packs' captures, typed and cleaned, plus the fields derived from the result."""

from __future__ import annotations

import string
import tomllib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any
from urllib.parse import unquote

import regex

from ..engine.needles import NeedleIndex
from ..engine.rx import matching_view
from ..errors import PackError, RuleTimeout
from ..rulebook.load import BUNDLED_RULES
from ..rulebook.types import META_FIELDS, Pack

# the order of the fields in every output record; unknown values are null
FIELDS = (
    "title",
    "site",
    "site_name",
    "url",
    "doc_format",
    "vip",
    "uploader",
    "uploader_verified",
    "upload_date",
    "pages",
    "comments",
    "size",
    "doc_id",
    "views",
    "author",
    "truncated",
    "language",
)

# text that ends like this is complete; anything else ends mid-sentence (a cut preview)
_COMPLETE_END = regex.compile(r"[。!?!?….;;」』”’\"')）】》\]]\s*\Z")
_SIGNED_END = regex.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\Z")
_DATE = regex.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# "Feb 20, 2024", "February 20, 2024", "20 Feb 2024"
_EN_DATE = regex.compile(
    r"\b(?:(?P<m1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>\d{4}))\b"
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_SAMPLE = 600  # the characters of a text that its script and language are read from
_DIGIT_SEPARATORS = regex.compile(r"[,,\s]")
_SLUG_SEPARATORS = regex.compile(r"[-_+\s]+")
_TRUE = {"true", "yes", "1", "是", "有"}


def empty() -> dict[str, Any]:
    return dict.fromkeys(FIELDS)


def capture(
    packs: Sequence[Pack], text: str, meta: dict[str, Any], source: str, timeout: float = 2.0
) -> None:
    """Fill the fields still null from the captures of `source` ("page" or "clean").

    Captures with `source = "url"` read `meta["url"]`; they run with the "page" captures, in
    pack order, so the first capture of a field that matches wins wherever it reads.
    """
    view = matching_view(text)
    for pack in packs:
        for rule in pack.meta:
            if meta.get(rule.field) is not None:
                continue
            if rule.source == "url":
                if source != "page" or not meta.get("url"):
                    continue
                target = original = meta["url"]
            elif rule.source == source:
                target, original = view, text
            else:
                continue
            try:
                m = rule.pattern.search(target, timeout=timeout)
            except TimeoutError:
                raise RuleTimeout(rule.id, timeout) from None
            if m is None:
                continue
            raw = rule.value if rule.value is not None else original[slice(*m.span("value"))]
            if rule.source == "url" and isinstance(raw, str):
                raw = unquote(raw)
            value = _typed(rule.field, raw)
            if value is not None and m.groupdict().get("add"):
                value += _typed(rule.field, m.group("add")) or 0
            if rule.field == "title" and value is not None:
                # an always-pack's capture is a generic guess, as a title found on the page
                value = clean_title(value, packs, found=pack.always)
            if value is not None and rule.format == "slug":
                value = slug_words(value)
            if value is not None:
                meta[rule.field] = value


_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "with",
    ]
)


def slug_words(slug: str) -> str | None:
    """A URL slug as words: `graduation-speech` → `Graduation Speech` (the case is a guess)."""
    words = [w for w in _SLUG_SEPARATORS.split(slug) if w]
    out = []
    for i, w in enumerate(words):
        if w.islower() and (i == 0 or w not in _SMALL_WORDS):
            w = w[0].upper() + w[1:]
        out.append(w)
    return " ".join(out) or None


def fill_from_head(
    meta: dict[str, Any],
    candidates: dict[str, tuple[tuple[str, str | None], ...]],
    packs: Sequence[Pack],
) -> dict[str, str]:
    """Fill the fields that captures left null from what the page's head says (`candidates`:
    field -> (where, value), most trusted first); returns field -> where."""
    filled: dict[str, str] = {}
    for name, options in candidates.items():
        if meta.get(name) is not None:
            continue
        for source, value in options:
            if value and name == "title":
                value = clean_title(value, packs, found=True)
            if value:
                meta[name] = value
                filled[name] = source
                break
    return filled


def clean_title(title: str, packs: Sequence[Pack], found: bool = False) -> str | None:
    """Apply every pack's `[title] strip` patterns and, to a title `found` on the page rather
    than captured, its `decorations` too, until none changes it; an empty title is unknown."""
    return title_cut(packs, found)(title)


class TitleCut:
    """The title patterns of a chain of packs, in order, their needles found in one pass: a
    page's title is cut several times (captured, from the head, the heading at the top)."""

    def __init__(self, packs: Sequence[Pack], found: bool):
        patterns = [p for pack in packs for p in pack.title_strip]
        if found:
            patterns += [p for pack in packs for p in pack.title_decorations]
        self._index = NeedleIndex(patterns, gate=True)

    def __call__(self, title: str) -> str | None:
        title = title.strip()
        upto = len(self._index.patterns)
        for _ in range(3):  # a cut can expose another: `最新…范文5篇` loses both ends
            before = title
            title, upto = self._cut(title, upto)
            if title == before:
                break
        return title or None

    def _cut(self, title: str, upto: int) -> tuple[str, int]:
        """One round of the patterns, in order, and the position of the last that cut. Patterns
        match the folded view of the title (`matching_view`), the cut is the title's. A round
        starts with the patterns up to `upto` (those after the last cut of the round before
        found nothing in this title); after a cut, the patterns left are those whose needles
        the title still holds."""
        view = matching_view(title)
        index = self._index
        todo, k, last = [j for j in index.candidates(view) if j <= upto], 0, -1
        while k < len(todo):
            spans = [m.span() for m in index.patterns[todo[k]].regex.finditer(view)]
            if not spans:
                k += 1
                continue
            for start, end in reversed(spans):
                title = title[:start] + title[end:]
            title, last = title.strip(), todo[k]
            view = matching_view(title)
            todo, k = [j for j in index.candidates(view) if j > last], 0
        return title, last


_CUTS: dict[tuple[int, ...], tuple[Sequence[Pack], TitleCut, TitleCut]] = {}


def title_cut(packs: Sequence[Pack], found: bool = False) -> TitleCut:
    """The `TitleCut` of a chain of packs, built on first use (the entry holds the packs, so
    their ids stay theirs); a few dozen chains at most are kept."""
    key = tuple(map(id, packs))
    entry = _CUTS.get(key)
    if entry is None:
        if len(_CUTS) >= 64:
            del _CUTS[next(iter(_CUTS))]
        entry = _CUTS[key] = (tuple(packs), TitleCut(packs, False), TitleCut(packs, True))
    return entry[2] if found else entry[1]


def _typed(name: str, raw: Any) -> Any:
    """A captured value in its field's type; what does not parse is unknown (null)."""
    kind = META_FIELDS[name]
    if raw is None or (isinstance(raw, bool) and kind is bool):
        return raw
    if kind is bool:
        return str(raw).strip().casefold() in _TRUE
    if kind is int:
        if isinstance(raw, int):
            return raw
        digits = _DIGIT_SEPARATORS.sub("", str(raw))
        return int(digits) if digits.isdigit() else None
    text = str(raw).strip()
    if not text:
        return None
    if name == "upload_date":
        m = _DATE.search(text)
        if m:
            return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
        m = _EN_DATE.search(text)
        month = _MONTHS.get((m["m1"] or m["m2"] or "")[:3].casefold()) if m else None
        if m and month:
            return f"{m['y1'] or m['y2']}-{month:02d}-{int(m['d1'] or m['d2']):02d}"
        return text
    if name == "doc_format":
        return text.lower()
    return text


def is_truncated(text: str) -> bool | None:
    """A text that stops mid-sentence was cut (a preview), unless it ends with the date it was
    signed on (`2024年9月1日`); unknown for an empty text."""
    if not text:
        return None
    return _COMPLETE_END.search(text[-8:]) is None and _SIGNED_END.search(text[-24:]) is None


def script(text: str) -> str | None:
    """`han`, `latin` or `cyrillic` when the start of the text is clearly written in it. The
    letters are counted in its UTF-8 bytes: a character of U+4000 to U+9FFF (the CJK
    ideographs) starts with a byte E4 to E9, one of U+0400 to U+04FF (Cyrillic) with D0 to D3,
    and ASCII letters are themselves."""
    data = text[:_SAMPLE].encode("utf-8", "surrogatepass")
    han = len(data.translate(None, _BUT_HAN))
    latin = len(data.translate(None, _BUT_LATIN))
    if han >= 20 and han >= latin / 4:
        return "han"
    if han == 0 and latin >= 50:
        return "latin"
    if han == 0 and len(data.translate(None, _BUT_CYRILLIC)) >= 50:
        return "cyrillic"
    return None


def _every_byte_but(kept: range | str) -> bytes:
    """The bytes `bytes.translate` deletes to leave only `kept`."""
    keep = set(kept.encode() if isinstance(kept, str) else kept)
    return bytes(b for b in range(256) if b not in keep)


_BUT_HAN = _every_byte_but(range(0xE4, 0xEA))
_BUT_CYRILLIC = _every_byte_but(range(0xD0, 0xD4))
_BUT_LATIN = _every_byte_but(string.ascii_letters)


def language(text: str, default: str | None = None) -> str | None:
    """`zh` for Han; for Latin or Cyrillic letters, the language whose function words
    (`rules/_languages.toml`) the text says most, well ahead of the next one; otherwise the
    pack's default or null (a page of English words in Latin letters is not said to be Spanish
    because both use letters)."""
    kind = script(text)
    if kind == "han":
        return "zh"
    if kind is None:
        return default
    words, min_words, lead = _function_words()
    # words as white space splits them: `the,` is not counted as `the`
    said = [words[w] for w in text[:_SAMPLE].casefold().split() if w in words]
    scores = Counter(chain.from_iterable(said))
    (best, count), (_, runner_up) = [*scores.most_common(2), ("", 0), ("", 0)][:2]
    if count >= min_words and count >= lead * runner_up:
        return best
    return default


@lru_cache(maxsize=1)
def _function_words() -> tuple[dict[str, tuple[str, ...]], int, float]:
    """Word -> the languages that use it, and the two thresholds, from `_languages.toml`."""
    path = BUNDLED_RULES / "_languages.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        words: dict[str, tuple[str, ...]] = {}
        for code, listed in data["words"].items():
            for word in listed:
                words[word] = (*words.get(word, ()), code)
        return words, int(data["decide"]["min_words"]), float(data["decide"]["lead"])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as e:
        raise PackError(str(path), f"cannot read the function words of languages: {e}") from None
