"""The DOM-rule engine: the `[[html]]` rules of a chain pick the content root and find the nodes
to drop; the tree is left whole.

Selectors are compiled once, when a pack loads (`compile_selector`; a bad one is a `PackError`
naming the file, the rule and the fix): CSS is translated to XPath by cssselect's public
translator, and each XPath is compiled once per thread. CSS made of tags, classes, ids, `[attr]`,
`[attr=value]` and descendant combinators is also read here, by a small parser of that subset
(cssselect's parse tree changes between releases), and matched without XPath: every such rule of
a chain in one walk of the tree.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cssselect import HTMLTranslator, SelectorError
from lxml import etree

from ..rulebook.types import HtmlRule, Pack

_WS = re.compile(r"[ \t\n\r\f]+")
_TRANSLATOR = HTMLTranslator()
_local = threading.local()


def body_of(root: etree._Element) -> etree._Element:
    """The page's `<body>`, or the root when it has none."""
    body = root.find("body")
    return body if body is not None else root


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
Walk = tuple[Compound, ...]


@dataclass(frozen=True, slots=True)
class Selector:
    """A rule's selector, compiled: its XPath (a string, so rule sets stay picklable) and, for
    CSS the one-walk matcher can check, its compounds (`walk`; None: the rule runs as XPath)."""

    xpath: str
    walk: tuple[Walk, ...] | None = None


def compile_selector(css: str | None, xpath: str | None) -> Selector:
    """The selector of a rule given as CSS or as XPath; `ValueError` says what is wrong."""
    if css is not None:
        try:
            xpath = _TRANSLATOR.css_to_xpath(css)
        except SelectorError as e:
            raise ValueError(f"css selector {css!r} is not valid: {e}") from None
    xpath = xpath or ""
    try:
        etree.XPath(xpath)
    except etree.XPathSyntaxError as e:
        raise ValueError(f"xpath {xpath!r} is not valid: {e}") from None
    return Selector(xpath, walk_selectors(css))


_IDENT = r"-?(?:[_a-zA-Z]|[^\x00-\x7f])(?:[_a-zA-Z0-9-]|[^\x00-\x7f])*"
# one token of the CSS subset the walk matches; anything else (escapes, other combinators,
# pseudo-classes, other attribute operators, namespaces) leaves the rule to XPath
_TOKEN = re.compile(
    rf"(?P<tag>{_IDENT}|\*)|\.(?P<cls>{_IDENT})|#(?P<id>{_IDENT})"
    rf"|\[\s*(?P<attr>{_IDENT})\s*(?:=\s*(?:(?P<bare>{_IDENT})"
    r"|\"(?P<dq>[^\"\\\n]*)\"|'(?P<sq>[^'\\\n]*)')\s*)?\]"
    r"|(?P<comma>\s*,\s*)|(?P<space>\s+)"
)


def walk_selectors(css: str | None) -> tuple[Walk, ...] | None:
    """The CSS group as selectors the one-walk matcher checks, or None when it needs XPath.

    Tag and attribute names are lower-cased, as cssselect's HTML translator and lxml's HTML
    parser have them; classes, ids and values are compared exactly, as the XPath does.
    """
    if css is None:
        return None
    text, pos, tokens = css.strip(), 0, []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        tokens.append(m)
        pos = m.end()
    group: list[Walk] = []
    selector: list[Compound] = []
    compound: Compound | None = None
    for m in [*tokens, None]:
        kind = m.lastgroup if m is not None else "comma"
        if kind in ("space", "comma"):
            if compound is None or compound == Compound():  # nothing, or `*`: XPath
                return None
            selector.append(compound)
            compound = None
            if kind == "comma":
                group.append(tuple(selector))
                selector = []
        elif kind == "tag":
            if compound is not None:
                return None
            compound = Compound(None if m["tag"] == "*" else m["tag"].lower())
        else:
            compound = _refine(compound or Compound(), m)
            if compound is None:
                return None
    return tuple(group)


def _refine(compound: Compound, m: re.Match) -> Compound | None:
    """The compound with the class, id or attribute of token `m` added (None: two ids)."""
    if m["cls"] is not None:
        return replace(compound, classes=compound.classes | {m["cls"]})
    if m["id"] is not None:
        return replace(compound, id=m["id"]) if compound.id is None else None
    value = next((v for v in (m["bare"], m["dq"], m["sq"]) if v is not None), None)
    return replace(compound, attrs=(*compound.attrs, (m["attr"].lower(), value)))


def _class_tokens(value: str | None) -> list[str]:
    """The classes of an element as HTML splits them: at ASCII white space (space, tab, line
    breaks, form feed) only, so a class holding a no-break or ideographic space is one token."""
    if not value:
        return []
    if value.isascii() and value.isprintable():
        return value.split()  # the space is the only white space in printable ASCII
    return _WS.split(value)


class _Matcher:
    """The selectors of several rules, indexed once by what their last element must have (an id,
    else a class, else an attribute, else a tag), so that one walk of a tree finds the nodes of
    every rule: each element only meets the selectors its own tag, id, classes and attributes
    point to."""

    def __init__(self, groups: Sequence[tuple[Walk, ...] | None]):
        self.by_tag: dict[str, list[tuple[int, Walk | None]]] = {}
        self.by_id: dict[str, list[tuple[int, Walk | None]]] = {}
        self.by_class: dict[str, list[tuple[int, Walk | None]]] = {}
        self.by_attr: dict[str, list[tuple[int, Walk | None]]] = {}
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


def _asks_more(selector: Walk) -> bool:
    """Whether the selector asks more than one tag, id, class or attribute name."""
    last = selector[-1]
    asks = (last.tag is not None) + (last.id is not None) + len(last.classes) + len(last.attrs)
    return len(selector) > 1 or asks > 1 or any(value is not None for _, value in last.attrs)


def _matches(el: etree._Element, selector: Walk, scope: etree._Element) -> bool:
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

    def __init__(self, rules: Iterable[HtmlRule] = ()):
        rules = tuple(rules)
        self.body = tuple(r for r in rules if r.kind == "body")
        self.drop = tuple(r for r in rules if r.kind == "drop")
        self.body_matchers = tuple(_Matcher([r.selector.walk]) for r in self.body)
        self.drop_matcher = _Matcher([r.selector.walk for r in self.drop])

    def __iter__(self) -> Iterator[HtmlRule]:
        return iter(self.body + self.drop)

    def __len__(self) -> int:
        return len(self.body) + len(self.drop)

    def __repr__(self) -> str:
        return f"DomRules({[r.id for r in self]})"


def compile_rules(packs: Iterable[Pack]) -> DomRules:
    """The DOM rules of a chain of packs in order: every `body` rule, then every `drop` rule."""
    return DomRules(r for p in packs for r in p.html)


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


def _first(rule: HtmlRule, matcher: _Matcher, root: etree._Element) -> etree._Element | None:
    """The first element (in document order) a `body` rule selects under `root`."""
    if rule.selector.walk is not None:
        return next((el for _, el in matcher.hits(root)), None)
    nodes = _xpath(rule.selector.xpath)(root)
    return next((n for n in nodes if isinstance(n, etree._Element)), None)


def apply_rules(
    root: etree._Element, rules: DomRules | Iterable[HtmlRule], samples: int = 3
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
        walk, xpath = rule.selector.walk, rule.selector.xpath
        nodes = matched.get(i, ()) if walk is not None else _xpath(xpath)(content)
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
