"""HTML pages: safe parsing, DOM rules, metadata from the head, and block-aware text.

The parser is lxml's HTML parser (libxml2): it recovers from broken markup, never reaches the
network, loads no DTD and expands no entity that a page declares itself (`<!ENTITY …>` stays
text), so an external-entity or billion-laughs page is harmless. Comments and processing
instructions are dropped while parsing.

Selectors are compiled once: CSS is translated to XPath when a pack loads (a bad selector is a
`PackError` naming the file, the rule and the fix), and each XPath is compiled once per thread.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cssselect import HTMLTranslator, SelectorError
from lxml import etree

from .errors import PageError
from .rulebook import HtmlRule, Pack

# elements whose content is never page text, whatever the packs say
SKIP = frozenset(
    (
        *("script", "style", "template", "head", "title", "noscript", "iframe", "object"),
        *("embed", "svg", "math", "select", "textarea", "frame", "frameset", "canvas"),
        *("audio", "video", "map"),
    )
)
# as a browser's innerText has it: a paragraph stands apart (a blank line around it), every
# other block element and every list item and table row ends a line
PARAGRAPH = frozenset(("p",))
LINE = frozenset(
    (
        *("li", "tr", "dt", "dd", "caption", "option", "thead", "tbody", "tfoot", "div"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section"),
        *("article", "main", "header", "footer", "nav", "aside", "table", "ul", "ol", "dl"),
        *("figure", "figcaption", "form", "fieldset", "hr", "address", "details", "summary"),
        *("center", "body", "html", "dialog", "menu", "hgroup", "legend"),
    )
)
CELL = frozenset(("td", "th"))
PRE = frozenset(("pre", "listing", "xmp", "plaintext"))
_WS = re.compile(r"[ \t\n\r\f]+")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TRANSLATOR = HTMLTranslator()
_local = threading.local()


# --- parsing -----------------------------------------------------------------------------------


def _parser() -> etree.HTMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            encoding="utf-8",
            no_network=True,
            remove_comments=True,
            remove_pis=True,
            huge_tree=True,
            default_doctype=False,
        )
        _local.parser = parser
    return parser


def parse(html: str) -> etree._Element:
    """The `<html>` element of a page (decoded text); broken markup parses, empty input too."""
    data = html.encode("utf-8", errors="replace")
    root = None
    if data.strip():
        parser = _parser()
        try:
            root = etree.fromstring(data, parser)
        except etree.ParserError:
            root = None
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            raise PageError(
                "HTML nested too deeply to parse (libxml2 stops at 2048 levels): not a page"
            )
    if root is None:
        root = etree.Element("html")
        etree.SubElement(root, "body")
    return root


def body_of(root: etree._Element) -> etree._Element:
    body = root.find("body")
    return body if body is not None else root


_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta|title)\b|<html\b|<body\b",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(content: str | bytes) -> bool:
    """True for a page that is HTML markup rather than a text dump (sniffed from its start)."""
    head = content[:2048]
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    return _HTML_START.search(head.lstrip("\ufeff\xef\xbb\xbf")) is not None


# --- DOM rules ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DomRule:
    """An `[[html]]` rule with its selector as XPath (a string: rule sets stay picklable).

    A CSS group made only of simple selectors (`tag`, `.class`, `#id`) also carries them as
    sets: such rules are matched together in one walk of the tree, far faster than XPath's
    string tests on every element.
    """

    id: str
    kind: str
    xpath: str
    tags: frozenset[str] | None = None
    classes: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()


_SIMPLE = re.compile(r"^(?:(?P<tag>[a-z][a-z0-9]*)|\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+))$")


def _simple_sets(css: str | None) -> tuple[frozenset[str], frozenset[str], frozenset[str]] | None:
    if css is None:
        return None
    tags, classes, ids = set(), set(), set()
    for part in css.split(","):
        m = _SIMPLE.match(part.strip())
        if m is None:
            return None
        if m["tag"]:
            tags.add(m["tag"])
        elif m["cls"]:
            classes.add(m["cls"])
        else:
            ids.add(m["id"])
    return frozenset(tags), frozenset(classes), frozenset(ids)


def _dom_rule(rule: HtmlRule) -> DomRule:
    simple = _simple_sets(rule.css) if rule.kind == "drop" else None
    if simple is None:
        return DomRule(rule.id, rule.kind, selector_xpath(rule))
    return DomRule(rule.id, rule.kind, selector_xpath(rule), *simple)


def selector_xpath(rule: HtmlRule) -> str:
    """The rule's selector as an XPath expression; `ValueError` says what is wrong with it."""
    if rule.css is not None:
        try:
            xpath = _TRANSLATOR.css_to_xpath(rule.css)
        except SelectorError as e:
            raise ValueError(f"css selector {rule.css!r} is not valid: {e}") from None
    else:
        xpath = rule.xpath or ""
    try:
        etree.XPath(xpath)
    except etree.XPathSyntaxError as e:
        raise ValueError(f"xpath {xpath!r} is not valid: {e}") from None
    return xpath


def selector_error(rule: HtmlRule) -> str | None:
    """What is wrong with the rule's selector, or None (used when a pack loads)."""
    try:
        selector_xpath(rule)
    except ValueError as e:
        return str(e)
    return None


def compile_rules(packs: Iterable[Pack]) -> tuple[DomRule, ...]:
    """The DOM rules of a chain of packs in order: every `body` rule, then every `drop` rule."""
    rules = [_dom_rule(r) for p in packs for r in p.html]
    return tuple(r for r in rules if r.kind == "body") + tuple(r for r in rules if r.kind == "drop")


def _xpath(expr: str) -> etree.XPath:
    cache = getattr(_local, "xpaths", None)
    if cache is None:
        cache = _local.xpaths = {}
    compiled = cache.get(expr)
    if compiled is None:
        compiled = cache[expr] = etree.XPath(expr)
    return compiled


@dataclass(slots=True)
class DomRemoval:
    """What one DOM rule removed from a page: node count, characters of text, a few samples."""

    rule: str
    nodes: int = 0
    chars: int = 0
    samples: list[str] = field(default_factory=list)
    raw: str = field(default="", repr=False)  # the removed text, unformatted (for captures)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "nodes": self.nodes, "chars": self.chars}


def _chars(el: etree._Element) -> int:
    """Characters of text in an element, white space aside."""
    return _count("".join(el.itertext()))


def _count(text: str) -> int:
    return sum(len(t) - t.count(" ") for t in _WS.sub(" ", text).split("\n"))


def _sample(el: etree._Element, n: int = 80) -> str:
    text = _WS.sub(" ", "".join(el.itertext())).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def _inside(node: etree._Element, root: etree._Element) -> bool:
    return any(ancestor is root for ancestor in node.iterancestors())


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text (which belongs to its parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        try:
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        except ValueError:  # control characters lxml parsed but will not take back
            if prev is not None:
                prev.tail = _XML_UNSAFE.sub("\ufffd", (prev.tail or "") + el.tail)
            else:
                parent.text = _XML_UNSAFE.sub("\ufffd", (parent.text or "") + el.tail)
    parent.remove(el)


def apply_rules(
    root: etree._Element, rules: Sequence[DomRule], samples: int = 3
) -> tuple[etree._Element, list[DomRemoval]]:
    """Choose the content root (first `body` rule that matches, else `<body>`) and drop the
    nodes of every `drop` rule inside it. Returns the root and what each rule removed."""
    removed: list[DomRemoval] = []
    content = None
    for rule in rules:
        if rule.kind != "body":
            continue
        found = [n for n in _xpath(rule.xpath)(root) if isinstance(n, etree._Element)]
        if found:
            content = found[0]
            everything = "".join(root.itertext())
            outside = _count(everything) - _chars(content)
            removed.append(
                DomRemoval(rule.id, 1, outside, ["(everything outside the root)"], everything)
            )
            break
    if content is None:
        content = body_of(root)
    drops = [r for r in rules if r.kind == "drop"]
    simple = _match_simple(content, drops)
    for i, rule in enumerate(drops):
        record = None
        nodes = simple.get(i, ()) if rule.tags is not None else _xpath(rule.xpath)(content)
        for node in nodes:
            if not isinstance(node, etree._Element) or node is content:
                continue
            if not _inside(node, content):  # outside the root, or in a node already dropped
                continue
            if record is None:
                record = DomRemoval(rule.id)
                removed.append(record)
            record.nodes += 1
            text = "".join(node.itertext())
            record.chars += _count(text)
            record.raw += text + "\n"
            if len(record.samples) < samples:
                record.samples.append(_sample(node))
            _drop(node)
    return content, removed


def _match_simple(content: etree._Element, drops: Sequence[DomRule]) -> dict[int, list]:
    """The nodes each simple rule selects under `content` (itself included), in one walk."""
    by_tag: dict[str, list[int]] = {}
    by_class: dict[str, list[int]] = {}
    by_id: dict[str, list[int]] = {}
    for i, rule in enumerate(drops):
        if rule.tags is None:
            continue
        for tag in rule.tags:
            by_tag.setdefault(tag, []).append(i)
        for cls in rule.classes:
            by_class.setdefault(cls, []).append(i)
        for ident in rule.ids:
            by_id.setdefault(ident, []).append(i)
    found: dict[int, list] = {}
    if not (by_tag or by_class or by_id):
        return found
    for el in content.iter(etree.Element):
        hits = by_tag.get(el.tag, ())
        cls = el.get("class")
        if cls:
            for token in cls.split():
                if token in by_class:
                    hits = [*hits, *by_class[token]]
        ident = el.get("id")
        if ident and ident in by_id:
            hits = [*hits, *by_id[ident]]
        for i in dict.fromkeys(hits):
            found.setdefault(i, []).append(el)
    return found


# --- block-aware text --------------------------------------------------------------------------


def block_text(root: etree._Element) -> str:
    """The text of an element as a reader sees it (close to a browser's innerText): block
    elements (`<div>`, headings, lists…) end lines, `<p>` stands as a paragraph, `<br>` breaks a
    line, list items and table rows are lines (cells apart by a tab), inline elements join,
    `<pre>` keeps its white space, entities are decoded. No markup survives."""
    out: list[str] = []
    pending = 0  # line breaks owed before the next text: 1 a line, 2 a paragraph
    trailing_nl = 0  # line breaks at the end of `out`
    at_line_start = True
    cell = False  # a table cell started on a line that has text: a tab goes first
    pre = 0

    def put(text: str) -> None:
        nonlocal pending, trailing_nl, at_line_start, cell
        if not pre:
            text = _WS.sub(" ", text)
            if at_line_start or pending:
                text = text.lstrip(" ")
            if not text:
                return
        if pending:
            if out:
                _rstrip_spaces(out)
                if pending > trailing_nl:
                    out.append("\n" * (pending - trailing_nl))
            pending = 0
            cell = False
            if not pre:
                text = text.lstrip(" ")
                if not text:
                    return
        elif out and not at_line_start and not pre and text[0] == " " and out[-1][-1:] == " ":
            text = text[1:]
            if not text:
                return
        if cell:
            _rstrip_spaces(out)
            out.append("\t")
            cell = False
            text = text.lstrip(" ") if not pre else text
        out.append(text)
        nl = len(text) - len(text.rstrip("\n"))
        trailing_nl = nl if nl < len(text) else trailing_nl + nl
        at_line_start = text.endswith("\n")

    def hard_break() -> None:
        nonlocal trailing_nl, at_line_start, pending, cell
        if pending and out:
            _rstrip_spaces(out)
            if pending > trailing_nl:
                out.append("\n" * (pending - trailing_nl))
                trailing_nl = pending
        pending = 0
        cell = False
        _rstrip_spaces(out)
        out.append("\n")
        trailing_nl += 1
        at_line_start = True

    def soft_break(level: int) -> None:
        nonlocal pending
        if out and level > pending:
            pending = level

    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        if closing:
            if tag in PRE:
                pre -= 1
            if tag in PARAGRAPH:
                soft_break(2)
            elif tag in LINE:
                soft_break(1)
            if node.tail and node is not root:
                put(node.tail)
            continue
        if not isinstance(tag, str) or tag in SKIP:
            if node.tail and node is not root:
                put(node.tail)
            continue
        if tag == "br":
            hard_break()
            if node.tail:
                put(node.tail)
            continue
        if tag in PARAGRAPH:
            soft_break(2)
        elif tag in LINE:
            soft_break(1)
        elif tag in CELL and not at_line_start and not pending:
            cell = True
        if tag in PRE:
            pre += 1
        if node.text:
            put(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    _rstrip_spaces(out)
    return "".join(out).rstrip("\n")


def _rstrip_spaces(out: list[str]) -> None:
    while out and out[-1].endswith(" "):
        out[-1] = out[-1].rstrip(" ")
        if not out[-1]:
            out.pop()


# --- metadata from the head --------------------------------------------------------------------


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


_JSONLD_KEYS = ("name", "headline", "author", "datePublished")
# JSON-LD objects that describe the site or the page, not the hosted document
_JSONLD_NOT_THE_DOCUMENT = frozenset(
    ("WebSite", "WebPage", "Organization", "BreadcrumbList", "SearchAction", "ImageObject")
)


def head_metadata(root: etree._Element) -> Head:
    head = Head()
    lang = root.get("lang")
    head.lang = lang.strip().lower() if lang and lang.strip() else None
    for el in root.iter("title", "meta", "link", "script"):
        tag = el.tag
        if tag == "title":
            if head.title is None:
                head.title = _clean("".join(el.itertext()))
        elif tag == "meta":
            key = (el.get("property") or el.get("name") or "").strip().lower()
            value = _clean(el.get("content"))
            if not key or not value:
                continue
            if key.startswith("og:"):
                head.og.setdefault(key[3:], value)
            elif key == "author" and head.author is None:
                head.author = value
            elif key in ("article:published_time", "pubdate", "publishdate") and not head.published:
                head.published = value
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and head.canonical is None:
                head.canonical = _clean(el.get("href"))
        elif (el.get("type") or "").strip().lower() == "application/ld+json":
            _read_jsonld(el.text or "", head.jsonld)
    return head


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


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
