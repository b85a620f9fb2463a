"""The title of a page no capture named: the heading the region model found at the top of the
text, or the page's head title with the site's name cut off, both through the packs'
`[title] strip` and `decorations` (hosting decorations: file extensions, page counts, SEO
suffixes), which the caller applies (`cut`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from .metadata import script, slug_words

# `标题_站名`, `标题 - 站名`, `标题|站名`, `Title | Site`, `Title — Site`
_SLUG_WORD = re.compile(r"[A-Za-z0-9]+")
_EXTENSION = re.compile(r"\.(?:html?|php|aspx?|jsp|shtml)$", re.I)
_FILE_TYPES = frozenset(("docx", "doc", "pdf", "ppt", "pptx", "txt", "html", "htm"))
_ID = re.compile(r"\d{5,}")
_SITE_SEPARATOR = re.compile(r"\s+[-–—|·»]\s+|\s*[|_|]\s*")


def choose_title(
    heading: str | None,
    head_title: str | None,
    cut: Callable[[str], str | None],
    fallback: str | None = None,
) -> tuple[str | None, str | None]:
    """(title, where from: "text", "head" or "guess"), or (None, None); "head" when the head
    says it (a heading the head confirms is the head's title, in the heading's words).

    The heading at the top of the text is the document's own; the head title (`<title>`,
    `og:title`) is the site's name for the page. When both exist and one holds the other, the
    heading wins; when they disagree, the head title (less the site's name) does, as the
    heading may be the site's banner. With neither, the `fallback`: a title the page's chrome
    quotes, or the URL's slug. `cut(title)`: the title less its decorations (`clean_title`).
    """
    heading = cut(heading) if heading else None
    head = cut(site_cut(head_title, heading)) if head_title else None
    if heading and head is None:
        return heading, "text"
    if heading and (_key(heading) in _key(head) or _key(head) in _key(heading)):
        return heading, "head"  # the head confirms the heading: the title, as the head says
    if head:
        return head, "head"
    fallback = cut(fallback) if fallback else None
    return (fallback, "guess") if fallback else (None, None)


def slug_title(url: str | None) -> str | None:
    """The URL's last path segment of two words or more as a title (`graduation-speech-docx` →
    Graduation Speech, `GD-2016-Welcome-Speech` → GD 2016 Welcome Speech; a number of five
    digits or more is an id, not the title's): a last witness, for pages in Latin script that
    show no title."""
    if not url:
        return None
    try:
        path = urlsplit(url if "//" in url else "//" + url).path
    except ValueError:
        return None
    for segment in reversed([s for s in unquote(path).split("/") if s]):
        words = _SLUG_WORD.findall(_EXTENSION.sub("", segment))
        words = [w for w in words if w.lower() not in _FILE_TYPES and not _ID.fullmatch(w)]
        if sum(not w.isdigit() for w in words) >= 2 and all(w.isascii() for w in words):
            return slug_words(" ".join(words))
    return None


def latin(text: str) -> bool:
    """The page is written in Latin letters (where slugs say its words)."""
    return script(text) == "latin"


def site_cut(title: str, heading: str | None = None) -> str:
    """The page's head title less the site's name: of the parts between separators, the one
    that is the heading, else the first when it is the longest or nearly, else the longest."""
    parts = [p.strip() for p in _SITE_SEPARATOR.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    if heading:
        for part in parts:
            if _key(part) == _key(heading):
                return part
    longest = max(parts, key=len)
    return parts[0] if len(parts[0]) >= 0.6 * len(longest) else longest


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()
