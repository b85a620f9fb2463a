"""The page's title among its lines: a heading-like line at the top, confirmed by the URL's slug
when it has one.

A title stands before the main run of prose, is short, ends no sentence, names no field and
carries no chrome vocabulary. When the URL ends in words (`/claves-para-elaborar-monografias`),
the line, or two or three lines in a row, that say those words (accents, case and Cyrillic
transliteration aside) is the title, wherever the other heading-like lines stand.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from .features import Line

# Russian letters in the transliteration slugs use (ГОСТ 7.79 B, as most sites do)
_CYRILLIC = {
    **dict(zip("абвгдезиклмнопрстуфхыэ", "abvgdeziklmnoprstufhye", strict=True)),
    **{"ё": "e", "ж": "zh", "й": "y", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch"},
    **{"ъ": "", "ь": "", "ю": "yu", "я": "ya"},
}
_TRANSLITERATED = str.maketrans(_CYRILLIC)
_WORD = re.compile(r"[a-z0-9]+")
# a sentence mark at the end, or a CJK one anywhere (full-width forms too: the line is not folded)
_SENTENCE_END = re.compile(r"[。!?;.\uff01\uff1f\uff1b\uff0e]\s*$|[。!?;\uff01\uff1f\uff1b]")
_BOOK_TITLE = re.compile(r"《([^《》\n]{4,80})》")
_QUOTED = re.compile(r"[\"“«]([^\"“”«»\n]{4,80})[\"”»]")
# up to the first space: no sentence or clause mark, four to forty characters
_HAN = re.compile(r"[\u3400-\u9fff]")
_LEADING = re.compile(r"([^\s,。!?;:、,!?;:]{4,40})\s+\S")
_FILE_EXTENSION = re.compile(r"\.(?:html?|php|aspx?|jsp|shtml|docx?|pdf|pptx?|txt)$", re.I)
_STOP = frozenset(("docx", "doc", "pdf", "ppt", "pptx", "txt", "html", "htm"))


@lru_cache(maxsize=256)
def slug_words(url: str | None) -> tuple[str, ...]:
    """The words of the URL's last path segment made of words (`graduation-speech-docx` →
    graduation speech), without numbers and file extensions; () for an id or no URL. Kept for
    the last pages' URLs: each pass over a page asks."""
    if not url:
        return ()
    try:
        path = urlsplit(url if "//" in url else "//" + url).path
    except ValueError:
        return ()
    for segment in reversed([s for s in unquote(path).split("/") if s]):
        segment = _FILE_EXTENSION.sub("", segment)
        words = [w for w in _WORD.findall(fold(segment)) if not w.isdigit() and w not in _STOP]
        if len(words) >= 2:
            return tuple(words)
    return ()


@lru_cache(maxsize=256)
def host_names(site: str | None) -> frozenset[str]:
    """How a line that is the site's own name reads once folded and compacted: the name of its
    registrable domain (`describe.detect.registrable_domain`), alone and with its suffix
    (`slideplayer` and `slideplayercom` for `slideplayer.com`); empty for a short name."""
    name, _, suffix = (site or "").partition(".")
    if len(name) < 4 or not name.isalnum():
        return frozenset()
    return frozenset((name, name + suffix.replace(".", "")))


def names_site(text: str, names: frozenset[str]) -> bool:
    """The line is the site's own name (`host_names`): `SlidePlayer`, `DocPlayer.net`. Most
    lines are told apart by the name's first letters."""
    if len(text) > 40 or not any(name[:4] in text.lower() for name in names):
        return False
    return "".join(_WORD.findall(fold(text))) in names


def fold(text: str) -> str:
    """Lower case, accents off, Cyrillic in Latin letters: how a slug writes a title."""
    if text.isascii():  # nothing to fold but the case (most URLs)
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATED))
    if text.isascii():  # no accent left to take off
        return text
    return "".join(c for c in text if not unicodedata.combining(c))


def title_line(
    lines: Sequence[Line],
    heading_like: Callable[[int], bool],
    run_start: int | None,
    url: str | None,
    crumbs: Sequence[str] = (),
) -> tuple[int, int] | None:
    """`(first, last)` lines of the title, or None: the lines that say the slug's words, else
    the first heading-like line before the main run or at its start that does not end a
    breadcrumb (`crumbs`: a breadcrumb's last item repeated as a heading names a category) and
    is not a label of a few characters over another heading. `heading_like(i)`: whether line
    `i` may be a title (asked of the lines near the top alone). A title in capitals gives way to
    a heading just below it that starts with the same words in their proper case (a user's
    shouted title over the document's own)."""
    top = len(lines) if run_start is None else run_start
    found = _by_slug(lines, heading_like, top, slug_words(url))
    if found is None:
        first = next(
            (
                i
                for i in range(min(top + 1, len(lines)))
                if heading_like(i)
                and not any(c != lines[i].text and c.endswith(lines[i].text) for c in crumbs)
                and not (lines[i].chars <= 4 and i + 1 < len(lines) and heading_like(i + 1))
            ),
            None,
        )
        found = None if first is None else (first, first)
    if found is not None and found[0] == found[1] and _shouted(lines[found[0]].text):
        said = _WORD.findall(fold(lines[found[0]].text))[:2]
        for i in range(found[0] + 1, min(len(lines), found[0] + 4)):
            if heading_like(i) and _WORD.findall(fold(lines[i].text))[:2] == said:
                return i, i
    return found


def guessed_title(lines: Sequence[Line], chrome: Sequence[bool]) -> str | None:
    """For a page that shows no heading: a title its chrome quotes in book-title marks
    (`收藏《…》`, `网友评论《…》`), or in quotation marks on a line without Han, where they do
    not mark emphasis (`Presentation on theme: "…"`), else the Chinese words a run-on first
    line (a dump that lost its line breaks) starts with, before its first space, when they
    read as a title."""
    quoting = [line.text for line, bad in zip(lines, chrome, strict=True) if bad]
    for text in quoting:
        if m := _BOOK_TITLE.search(text):
            return m.group(1)
    for text in quoting:
        if not _HAN.search(text) and (m := _QUOTED.search(text)):
            return m.group(1)
    if lines and len(lines[0].text) >= 200 and (m := _LEADING.match(lines[0].text)):
        return m.group(1) if len(_HAN.findall(m.group(1))) >= 4 else None  # a word is no title
    return None


def _by_slug(
    lines: Sequence[Line], heading_like: Callable[[int], bool], top: int, slug: Sequence[str]
) -> tuple[int, int] | None:
    """The window of one to three heading-like lines near the top that says most of the slug's
    words (three quarters at least, and not many more words than the slug)."""
    if not slug:
        return None
    want = Counter(slug)
    # each line's words, read once: a window says its lines' words in a row (the space that
    # joins two lines splits every word, and folding reads no character across it)
    words: dict[int, list[str]] = {}
    best, best_score = None, (0.75, -(10**6))
    for first in range(min(len(lines), top + 3)):
        matched, said = 0, []
        for last in range(first, min(first + 3, len(lines))):
            if not heading_like(last):
                break
            if last not in words:
                words[last] = _WORD.findall(fold(lines[last].text))
            said = said + words[last]
            if len(said) > 3 * len(slug):
                break
            now = sum((Counter(said) & want).values())
            gain, matched = now - matched, now
            if last > first and gain < 2:  # a line joins a title for two slug words or more
                break
            score = (matched / len(slug), -len(said))
            if score > best_score:  # most of the slug, then the fewest other words
                best, best_score = (first, last), score
    return best


def _shouted(text: str) -> bool:
    """Six letters or more, every one a capital."""
    if not text.isupper():  # most titles: a letter in lower case, or none with a case
        return False
    letters = "".join(filter(str.isalpha, text))
    return len(letters) >= 6 and all(map(str.isupper, letters))


def is_heading_like(line: Line) -> bool:
    """Short, holds and ends no sentence: the shape of a title (vocabulary and fields are the
    caller's)."""
    return 2 <= line.chars <= 100 and not _SENTENCE_END.search(line.text)
