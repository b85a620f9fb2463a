"""HTML pages: safe parsing and block-aware text.

The parser is lxml's HTML parser (libxml2): it recovers from broken markup, never reaches the
network, loads no DTD and expands no entity that a page declares itself (`<!ENTITY …>` stays
text), so an external-entity or billion-laughs page is harmless. Comments and processing
instructions are dropped while parsing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from typing import Any

from lxml import etree

from ..errors import PageError

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
_local = threading.local()


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
        if any(_too_deep(e) for e in parser.error_log):
            raise PageError(
                "HTML nested too deeply to parse (libxml2 stops at 2048 levels): not a page"
            )
    if root is None:
        root = etree.Element("html")
        etree.SubElement(root, "body")
    return root


_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta|title)\b|<html\b|<body\b",
    re.IGNORECASE | re.DOTALL,
)


def _too_deep(error: etree._LogEntry) -> bool:
    """libxml2 (2.13 and later, in lxml 5.4 and later) stops at 2048 levels; its versions name
    the error differently, the message stays."""
    return error.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in error.message


def looks_like_html(content: str | bytes) -> bool:
    """True for a page that is HTML markup rather than a text dump (sniffed from its start)."""
    head = content[:2048]
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    return _HTML_START.search(head.lstrip("\ufeff\xef\xbb\xbf")) is not None


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
