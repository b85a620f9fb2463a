"""Metadata: the packs' captures, typed and cleaned, plus the fields derived from the result."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import regex

from .errors import RuleTimeout
from .rulebook import META_FIELDS, Pack

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
_DATE = regex.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# stdlib re with explicit ranges: counting scripts is on the hot path and needs no timeout
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z]+")
_TRUE = {"true", "yes", "1", "是", "有"}


def empty() -> dict[str, Any]:
    return dict.fromkeys(FIELDS)


def capture(
    packs: Sequence[Pack], text: str, meta: dict[str, Any], source: str, timeout: float = 2.0
) -> None:
    """Fill the fields still null from the captures of `source` ("page" or "clean")."""
    for pack in packs:
        for rule in pack.meta:
            if rule.source != source or meta.get(rule.field) is not None:
                continue
            try:
                m = rule.pattern.search(text, timeout=timeout)
            except TimeoutError:
                raise RuleTimeout(rule.id, timeout) from None
            if m is None:
                continue
            raw = rule.value if rule.value is not None else m.group("value")
            value = _typed(rule.field, raw)
            if rule.field == "title" and value is not None:
                value = clean_title(value, packs)
            if value is not None:
                meta[rule.field] = value


def clean_title(title: str, packs: Sequence[Pack]) -> str | None:
    """Apply every pack's `[title] strip` patterns; an empty title is unknown."""
    for pack in packs:
        for pattern in pack.title_strip:
            title = pattern.sub("", title)
    title = title.strip()
    return title or None


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
        digits = regex.sub(r"[,,\s]", "", str(raw))
        return int(digits) if digits.isdigit() else None
    text = str(raw).strip()
    if not text:
        return None
    if name == "upload_date":
        m = _DATE.search(text)
        return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else text
    if name == "doc_format":
        return text.lower()
    return text


def is_truncated(text: str) -> bool | None:
    """A text that stops mid-sentence was cut (a preview); unknown for an empty text."""
    if not text:
        return None
    return _COMPLETE_END.search(text[-8:]) is None


def language(text: str, default: str | None = None) -> str | None:
    """`zh` or `en` when the script says so clearly; otherwise the pack's default or null."""
    sample = text[:1500]
    han = sum(map(len, _HAN.findall(sample)))
    latin = sum(map(len, _LATIN.findall(sample)))
    if han >= 20 and han >= latin / 4:
        return "zh"
    if latin >= 50 and han == 0:
        return "en"
    return default
