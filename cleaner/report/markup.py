"""Building HTML that escapes by default: every string is page text until it is `Html`.

Page text is hostile (a scraped page may hold `<script>`), so nothing is written as markup that
did not come from `el()`. The document shell adds a Content-Security-Policy that allows no
script, no network and only the report's own style sheet: if escaping ever failed, nothing
injected could run or load.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
# what an HTML parser would change in text: a carriage return (made a line feed) and NUL;
# written as references they stay one character each, so offsets in the page hold
_PARSER_CHANGES = {ord("\r"): "&#13;", 0: "\ufffd"}
_VOID = frozenset({"meta", "br", "hr", "img", "input", "col", "wbr"})


class Html(str):
    """Markup, written as it is."""

    __slots__ = ()


def esc(value: Any) -> Html:
    """`value` as text in HTML: markup characters escaped, a carriage return kept as one, lone
    surrogates and NUL made U+FFFD (one character for one, so offsets hold)."""
    if isinstance(value, Html):
        return value
    text = html.escape(str(value), quote=True)
    return Html(_SURROGATE.sub("\ufffd", text).translate(_PARSER_CHANGES))


def el(tag: str, attrs: dict[str, Any] | None = None, *children: Any) -> Html:
    """`<tag attrs>children</tag>`: attribute values and children are escaped unless `Html`;
    None and False are left out, True is a bare attribute, lists are flattened."""
    parts = [f"<{tag}"]
    for name, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    parts.append(">")
    if tag in _VOID:
        return Html("".join(parts))
    parts.append(join(children))
    parts.append(f"</{tag}>")
    return Html("".join(parts))


def join(children: Iterable[Any]) -> Html:
    out = []
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, list | tuple):
            out.append(join(child))
        else:
            out.append(esc(child))
    return Html("".join(out))


def document(title: str, body: Html, css: str) -> str:
    """A whole page: no script, nothing fetched, the style sheet allowed by its hash."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    policy = (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:;"
        " base-uri 'none'; form-action 'none'"
    )
    head = join(
        [
            Html('<meta charset="utf-8">'),
            el("meta", {"http-equiv": "Content-Security-Policy", "content": policy}),
            el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
            el("title", None, title),
            Html(f"<style>{css}</style>"),
        ]
    )
    return f'<!DOCTYPE html>\n<html lang="en"><head>{head}</head><body>{body}</body></html>\n'
