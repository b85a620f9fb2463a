"""HTML pages: safe parsing, DOM rules, metadata from the head, and block-aware text.

The parser is lxml's HTML parser (libxml2): it recovers from broken markup, never reaches the
network, loads no DTD and expands no entity that a page declares itself (`<!ENTITY …>` stays
text), so an external-entity or billion-laughs page is harmless. Comments and processing
instructions are dropped while parsing.

Selectors are compiled once: CSS is translated to XPath when a pack loads (a bad selector is a
`PackError` naming the file, the rule and the fix), and each XPath is compiled once per thread.
CSS made of tags, classes, ids, `[attr]`, `[attr=value]` and descendant combinators is matched
without XPath: every such rule of a chain in one walk of the tree.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import cssselect
from cssselect import HTMLTranslator, SelectorError
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash
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
class Compound:
    """What one element must have to match a compound CSS selector such as `div.a.b#c[role=x]`.

    Tag and attribute names are lower case, as lxml's HTML parser and cssselect's HTML
    translator both have them; values are compared exactly, as the XPath translation does.
    """

    tag: str | None = None
    id: str | None = None
    classes: frozenset[str] = frozenset()
    attrs: tuple[tuple[str, str | None], ...] = ()  # (name, value); None: present, any value

    def matches(self, el: etree._Element) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and el.get("id") != self.id:
            return False
        if self.classes and not self.classes.issubset(_class_tokens(el.get("class"))):
            return False
        for name, value in self.attrs:
            have = el.get(name)
            if have is None or (value is not None and have != value):
                return False
        return True


# compounds joined by descendant combinators (`.a .b`): the ancestors first, the element last
Selector = tuple[Compound, ...]


@dataclass(frozen=True, slots=True)
class DomRule:
    """An `[[html]]` rule with its selector as XPath (a string: rule sets stay picklable).

    When the rule is CSS made only of what a simple walk can check (tags, classes, ids,
    `[attr]` and `[attr=value]`, descendant combinators), `selectors` holds it too: such rules
    are matched together in one walk of the tree, far faster than XPath's string tests on every
    element. Other CSS (child or sibling combinators, pseudo-classes, other attribute operators)
    and XPath rules run as XPath.
    """

    id: str
    kind: str
    xpath: str
    selectors: tuple[Selector, ...] | None = None


def _class_tokens(value: str | None) -> list[str]:
    """The classes of an element as HTML splits them: at ASCII white space (space, tab, line
    breaks, form feed) only, so a class holding a no-break or ideographic space is one token."""
    if not value:
        return []
    if value.isascii() and value.isprintable():
        return value.split()  # the space is the only white space in printable ASCII
    return _WS.split(value)


def _selectors(css: str | None) -> tuple[Selector, ...] | None:
    """The CSS group as selectors the one-walk matcher checks, or None when it needs XPath."""
    if css is None:
        return None
    try:
        parsed = cssselect.parse(css)
    except SelectorError:
        return None
    out = []
    for selector in parsed:
        if selector.pseudo_element is not None:
            return None
        compounds = []
        tree = selector.parsed_tree
        while isinstance(tree, CombinedSelector):
            if tree.combinator != " ":
                return None
            compounds.append(_compound(tree.subselector))
            tree = tree.selector
        compounds.append(_compound(tree))
        if None in compounds:
            return None
        out.append(tuple(reversed(compounds)))
    return tuple(out)


def _compound(tree: Any) -> Compound | None:
    """A compound selector from cssselect's parse tree, or None if it holds anything else."""
    ident, classes, attrs = None, set(), []
    while not isinstance(tree, Element):
        if isinstance(tree, Class) and tree.class_name:
            classes.add(tree.class_name)
        elif isinstance(tree, Hash) and ident is None:
            ident = tree.id
        elif (
            isinstance(tree, Attrib)
            and tree.namespace is None
            and tree.flag is None
            and tree.operator in ("exists", "=")
        ):
            value = None if tree.value is None else tree.value.value
            attrs.append((tree.attrib.lower(), value))
        else:
            return None
        tree = tree.selector
    if tree.namespace is not None:
        return None
    compound = Compound(
        tree.element.lower() if tree.element else None,
        ident,
        frozenset(classes),
        tuple(reversed(attrs)),
    )
    return None if compound == Compound() else compound  # `*` selects every element: XPath


def _dom_rule(rule: HtmlRule) -> DomRule:
    return DomRule(rule.id, rule.kind, selector_xpath(rule), _selectors(rule.css))


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


class _Matcher:
    """The selectors of several rules, indexed once by what their last element must have (an id,
    else a class, else an attribute, else a tag), so that one walk of a tree finds the nodes of
    every rule: each element only meets the selectors its own tag, id, classes and attributes
    point to."""

    def __init__(self, groups: Sequence[tuple[Selector, ...] | None]):
        self.by_tag: dict[str, list[tuple[int, Selector | None]]] = {}
        self.by_id: dict[str, list[tuple[int, Selector | None]]] = {}
        self.by_class: dict[str, list[tuple[int, Selector | None]]] = {}
        self.by_attr: dict[str, list[tuple[int, Selector | None]]] = {}
        for i, group in enumerate(groups):
            for selector in group or ():
                last = selector[-1]
                if last.id is not None:
                    index, key = self.by_id, last.id
                elif last.classes:
                    index, key = self.by_class, min(last.classes)
                elif last.attrs:
                    index, key = self.by_attr, last.attrs[0][0]
                else:
                    index, key = self.by_tag, last.tag
                # None: the key is all the selector asks, an element that has it matches
                index.setdefault(key, []).append((i, selector if _asks_more(selector) else None))

    def hits(self, scope: etree._Element) -> Iterator[tuple[int, etree._Element]]:
        """(rule, element) for every element under `scope` (itself included) that a rule
        selects, in document order; ancestors count up to `scope`, as for XPath run on it. A
        pair comes twice when two selectors of a rule match the same element."""
        by_tag, by_id, by_class, by_attr = self.by_tag, self.by_id, self.by_class, self.by_attr
        for el in scope.iter(etree.Element):
            candidates = by_tag.get(el.tag, ())
            for name in el.attrib:  # the names at once: cheaper than a get() for each index
                if name == "class":
                    for token in _class_tokens(el.get("class")):
                        if token in by_class:
                            candidates = [*candidates, *by_class[token]]
                elif name == "id":
                    ident = el.get("id")
                    if ident in by_id:
                        candidates = [*candidates, *by_id[ident]]
                if name in by_attr:
                    candidates = [*candidates, *by_attr[name]]
            for i, selector in candidates:
                if selector is None or _matches(el, selector, scope):
                    yield i, el

    def select(self, scope: etree._Element) -> dict[int, list[etree._Element]]:
        """The elements each rule selects under `scope`, in document order."""
        found: dict[int, list[etree._Element]] = {}
        if self.by_tag or self.by_id or self.by_class or self.by_attr:
            for i, el in self.hits(scope):
                nodes = found.setdefault(i, [])
                if not nodes or nodes[-1] is not el:
                    nodes.append(el)
        return found


def _asks_more(selector: Selector) -> bool:
    """Whether the selector asks more than one tag, id, class or attribute name."""
    last = selector[-1]
    asks = (last.tag is not None) + (last.id is not None) + len(last.classes) + len(last.attrs)
    return len(selector) > 1 or asks > 1 or any(value is not None for _, value in last.attrs)


def _matches(el: etree._Element, selector: Selector, scope: etree._Element) -> bool:
    """Whether `el` matches; for `.a .b` the nearest ancestor up to `scope` that matches each
    compound on the left is taken (with descendant combinators only, the nearest never fails
    where a farther one would succeed)."""
    *ancestors, last = selector
    if not last.matches(el):
        return False
    node = el
    for compound in reversed(ancestors):
        while True:
            if node is scope:
                return False
            node = node.getparent()
            if compound.matches(node):
                break
    return True


class DomRules:
    """The DOM rules of a chain of packs: the `body` rules, then the `drop` rules, each in pack
    order, with their CSS indexed for the one-walk matcher once (not on every page)."""

    def __init__(self, rules: Iterable[DomRule] = ()):
        rules = tuple(rules)
        self.body = tuple(r for r in rules if r.kind == "body")
        self.drop = tuple(r for r in rules if r.kind == "drop")
        self.body_matchers = tuple(_Matcher([r.selectors]) for r in self.body)
        self.drop_matcher = _Matcher([r.selectors for r in self.drop])

    def __iter__(self) -> Iterator[DomRule]:
        return iter(self.body + self.drop)

    def __len__(self) -> int:
        return len(self.body) + len(self.drop)

    def __repr__(self) -> str:
        return f"DomRules({[r.id for r in self]})"


def compile_rules(packs: Iterable[Pack]) -> DomRules:
    """The DOM rules of a chain of packs in order: every `body` rule, then every `drop` rule."""
    return DomRules(_dom_rule(r) for p in packs for r in p.html)


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
    texts: list[str] = field(default_factory=list, repr=False)  # of the first nodes, for samples
    raw: str = field(default="", repr=False)  # the removed text, unformatted (for captures)

    @property
    def samples(self) -> list[str]:
        """The first nodes' text, white space collapsed and cut short; made only when asked for
        (`explain` shows them), as collapsing costs more than the rest of a removal."""
        return [_sample(text) for text in self.texts]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "nodes": self.nodes, "chars": self.chars}


def _text(el: etree._Element) -> str:
    """All the text in an element, its tail aside: on a parsed page the same as
    `"".join(el.itertext())`, but from libxml2's text serialiser, several times faster."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _count(text: str) -> int:
    """Characters of text, white space aside (only the ASCII white space `_WS` collapses: a
    no-break or ideographic space counts)."""
    return len(text) - sum(map(text.count, " \t\n\r\f"))


def _sample(text: str, n: int = 80) -> str:
    text = _WS.sub(" ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def _kept(node: etree._Element, content: etree._Element, dropped: set[etree._Element]) -> bool:
    """Whether `node` is under `content` and not under a node already dropped."""
    for ancestor in node.iterancestors():
        if ancestor is content:
            return True
        if ancestor in dropped:
            return False
    return False


def _first(rule: DomRule, matcher: _Matcher, root: etree._Element) -> etree._Element | None:
    """The first element (in document order) a `body` rule selects under `root`."""
    if rule.selectors is not None:
        return next((el for _, el in matcher.hits(root)), None)
    return next((n for n in _xpath(rule.xpath)(root) if isinstance(n, etree._Element)), None)


def apply_rules(
    root: etree._Element, rules: DomRules | Iterable[DomRule], samples: int = 3
) -> tuple[etree._Element, list[DomRemoval], set[etree._Element]]:
    """Choose the content root (first `body` rule that matches, else `<body>`) and find the
    nodes every `drop` rule drops inside it. Returns the root, what each rule removed and the
    dropped nodes; the tree is left whole, so the page's full text can still be read from it
    (`block_text(content, skip=dropped)` is the text that is left)."""
    if not isinstance(rules, DomRules):
        rules = DomRules(rules)
    removed: list[DomRemoval] = []
    dropped: set[etree._Element] = set()
    content = None
    for rule, matcher in zip(rules.body, rules.body_matchers, strict=True):
        content = _first(rule, matcher, root)
        if content is not None:
            everything = _text(root)
            outside = _count(everything) - _count(_text(content))
            label = "(everything outside the root)"  # the sample shown: collapsing keeps it
            removed.append(DomRemoval(rule.id, 1, outside, [label], everything))
            break
    if content is None:
        content = body_of(root)
    matched = rules.drop_matcher.select(content)
    for i, rule in enumerate(rules.drop):
        record = None
        nodes = matched.get(i, ()) if rule.selectors is not None else _xpath(rule.xpath)(content)
        for node in nodes:
            if not isinstance(node, etree._Element) or node is content or node in dropped:
                continue
            if not _kept(node, content, dropped):  # outside the root, or in a dropped node
                continue
            if record is None:
                record = DomRemoval(rule.id)
                removed.append(record)
            record.nodes += 1
            text = _text(node)
            record.raw += text + "\n"
            if len(record.texts) < samples:
                record.texts.append(text)
            dropped.add(node)
        if record is not None:
            record.chars = _count(record.raw)  # the line breaks between nodes do not count
    return content, removed, dropped


# --- block-aware text --------------------------------------------------------------------------


# what block_text does at an element's start and end, by tag (a tag not here is inline)
_KIND: dict[Any, str] = {
    **dict.fromkeys(SKIP, "skip"),
    **dict.fromkeys(LINE, "line"),
    **dict.fromkeys(PARAGRAPH, "paragraph"),
    **dict.fromkeys(CELL, "cell"),
    **dict.fromkeys(PRE - LINE, "pre"),
    **dict.fromkeys(PRE & LINE, "pre line"),  # `<pre>`: preformatted, and a line of its own
    "br": "br",
    # comments, processing instructions and entities have these factories as their tag; only
    # their tail is text
    etree.Comment: "skip",
    etree.ProcessingInstruction: "skip",
    etree.Entity: "skip",
}
_OWED = {"line": 1, "pre line": 1, "paragraph": 2}  # line breaks before and after
_PRE_KINDS = frozenset(("pre", "pre line"))
_ASCII_WS = " \t\n\r\f"  # the white space `_WS` collapses


def block_text(root: etree._Element, skip: Collection[etree._Element] = ()) -> str:
    """The text of an element as a reader sees it (close to a browser's innerText): block
    elements (`<div>`, headings, lists…) end lines, `<p>` stands as a paragraph, `<br>` breaks a
    line, list items and table rows are lines (cells apart by a tab), inline elements join,
    `<pre>` keeps its white space, entities are decoded. No markup survives. The elements in
    `skip` are left out as if they were not there (their tails are text of their parents).

    It runs on every HTML page, once or twice, so it is written for speed: one walk with lxml's
    `iterwalk` (no stack of our own), each tag's part found in one dict, the text put in place
    inline (no closure), white space alone told by a strip, and the regex run only on text that
    has white space to collapse.
    """
    if not isinstance(root.tag, str) or root.tag in SKIP:
        return ""
    out: list[str] = []
    pending = 0  # line breaks owed before the next text: 1 a line, 2 a paragraph
    trailing_nl = 0  # line breaks at the end of `out`
    at_line_start = True
    cell = False  # a table cell started on a line that has text: a tab goes first
    pre = 0  # depth of preformatted elements: their white space is kept
    skipped = None  # the element in `skip` whose subtree is being passed over
    walk = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, node in walk:
        if node is skipped or (skip and event == "start" and node in skip):
            skipped = node
            kind = "skip"
        else:
            kind = _KIND.get(node.tag, "inline")
        owed = _OWED.get(kind)  # a block owes line breaks at its start and its end
        if owed and out and pending < owed:
            pending = owed  # written before the next text
        if event == "start":
            if kind == "skip":
                walk.skip_subtree()
                continue
            if kind == "br":  # a hard break: written now, even on an empty line
                walk.skip_subtree()
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
                continue
            if kind == "cell" and not at_line_start and not pending:
                cell = True
            elif kind in _PRE_KINDS:
                pre += 1
            text = node.text
        else:  # the end of an element, or a comment or processing instruction: then its tail
            if kind in _PRE_KINDS:
                pre -= 1
            text = node.tail
            if node is root and kind != "br":  # the root's tail is not its text (a `<br>`'s is)
                continue
        if not text:
            continue

        # put the text in place
        if not pre:
            if not text.strip(_ASCII_WS):  # white space alone: a space, unless one is there
                if at_line_start or pending or (out and out[-1][-1:] == " "):
                    continue
                text = " "
            elif "  " in text or not text.isprintable():  # tabs, line breaks, runs of spaces
                text = _WS.sub(" ", text)
            if at_line_start or pending:
                text = text.lstrip(" ")
        if pending:
            if out:
                _rstrip_spaces(out)
                if pending > trailing_nl:
                    out.append("\n" * (pending - trailing_nl))
            pending = 0
            cell = False
        elif out and not at_line_start and not pre and text[0] == " " and out[-1][-1:] == " ":
            text = text[1:]
        if cell:
            _rstrip_spaces(out)
            out.append("\t")
            cell = False
            if not pre:
                text = text.lstrip(" ")
        out.append(text)
        if pre:
            nl = len(text) - len(text.rstrip("\n"))
            trailing_nl = nl if nl < len(text) else trailing_nl + nl
            at_line_start = text.endswith("\n")
        else:  # collapsed text holds no line break
            if text:
                trailing_nl = 0
            at_line_start = False
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
