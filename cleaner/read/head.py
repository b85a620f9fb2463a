"""What a page says about itself in its head: `<title>`, Open Graph, canonical URL, author,
dates, language and JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

_WS = re.compile(r"[ \t\n\r\f]+")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass(slots=True)
class Head:
    """What a page says about itself in its markup (values as written, stripped)."""

    title: str | None = None
    og: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None
    author: str | None = None
    published: str | None = None
    lang: str | None = None
    jsonld: dict[str, str] = field(default_factory=dict)

    def candidates(self) -> dict[str, tuple[tuple[str, str | None], ...]]:
        """For each metadata field the head can fill: (where it says so, value), most trusted
        first."""
        return {
            "title": (
                ("og:title", self.og.get("title")),
                ("json-ld", self.jsonld.get("headline") or self.jsonld.get("name")),
                ("title", self.title),
            ),
            "author": (("meta", self.author), ("json-ld", self.jsonld.get("author"))),
            "upload_date": (
                ("json-ld", iso_date(self.jsonld.get("datePublished"))),
                ("meta", iso_date(self.published)),
            ),
            "url": (("canonical", self.canonical), ("og:url", self.og.get("url"))),
        }


_JSONLD_KEYS = ("name", "headline", "author", "datePublished")
# JSON-LD objects that describe the site or the page, not the hosted document
_JSONLD_NOT_THE_DOCUMENT = frozenset(
    ("WebSite", "WebPage", "Organization", "BreadcrumbList", "SearchAction", "ImageObject")
)


def head_metadata(root: etree._Element) -> Head:
    """What the page's markup says about it. It runs on every HTML page, so attributes are read
    only when they matter: a `<meta>`'s content only for the keys kept, a `<script>`'s type
    compared only when it has one (a page may carry a hundred scripts)."""
    head = Head()
    lang = root.get("lang")
    head.lang = lang.strip().lower() if lang and lang.strip() else None
    for el in root.iter("title", "meta", "link", "script"):
        tag = el.tag
        if tag == "script":
            kind = el.get("type")
            if kind and kind.strip().lower() == "application/ld+json":
                _read_jsonld(el.text or "", head.jsonld)
        elif tag == "meta":
            key = el.get("property") or el.get("name")
            key = key.strip().lower() if key else ""
            if key.startswith("og:"):
                value = _clean(el.get("content"))
                if value:
                    head.og.setdefault(key[3:], value)
            elif key == "author" and head.author is None:
                head.author = _clean(el.get("content"))
            elif key in ("article:published_time", "pubdate", "publishdate") and not head.published:
                head.published = _clean(el.get("content"))
        elif tag == "title":
            if head.title is None:
                head.title = _clean("".join(el.itertext()))
        else:  # link
            rel = el.get("rel")
            if rel and "canonical" in rel.lower().split() and head.canonical is None:
                head.canonical = _clean(el.get("href"))
    return head


def _clean(value: str | None) -> str | None:
    """The value with white space collapsed and stripped, or None if nothing is left (the regex
    only runs on a value that has a run of white space or a tab, line break… to collapse)."""
    if value is None:
        return None
    if "  " in value or not value.isprintable():
        value = _WS.sub(" ", value)
    return value.strip() or None


def _read_jsonld(text: str, into: dict[str, str]) -> None:
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        return
    for obj in _jsonld_objects(data):
        kind = obj.get("@type")
        if (kind if isinstance(kind, str) else "") in _JSONLD_NOT_THE_DOCUMENT:
            continue
        for key in _JSONLD_KEYS:
            if key in into:
                continue
            value = _jsonld_value(obj.get(key))
            if value:
                into[key] = value


def _jsonld_objects(data: Any, depth: int = 0) -> Iterable[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _jsonld_objects(data["@graph"], depth + 1)


def _jsonld_value(value: Any) -> str | None:
    if isinstance(value, list):
        names = [v for v in (_jsonld_value(x) for x in value) if v]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        return _jsonld_value(value.get("name"))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return _clean(str(value))
    return None


def iso_date(value: str | None) -> str | None:
    """`YYYY-MM-DD` from a date as pages write it (`2023-05-12T08:00:00+08:00`, `2023年5月12日`)."""
    if not value:
        return None
    m = _DATE.search(value)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None
