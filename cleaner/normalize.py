"""White space and the repeated title: the edits that make the text one paragraph per line."""

from __future__ import annotations

import unicodedata

import regex

from .spans import Edit

SPACE_RULE = "normalize/space"
TITLE_RULE = "normalize/title"
# the content of one line: from its first to its last non-space character (as str.isspace)
_CONTENT = regex.compile(r"[^\s\x1c-\x1f](?:[^\n]*[^\s\x1c-\x1f])?")


def whitespace_edits(text: str) -> list[Edit]:
    """Strip every line, drop blank lines, and end with no line break: one paragraph a line."""
    edits: list[Edit] = []
    end = None  # end of the last line's content
    for m in _CONTENT.finditer(text):
        if end is None:
            if m.start() > 0:
                edits.append(Edit(SPACE_RULE, 0, m.start()))
        elif m.start() - end != 1 or text[end] != "\n":
            edits.append(Edit(SPACE_RULE, end, m.start(), "\n"))
        end = m.end()
    if (end or 0) < len(text):
        edits.append(Edit(SPACE_RULE, end or 0, len(text)))
    return edits


def _key(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split()).casefold()


def title_edits(text: str, title: str | None) -> list[Edit]:
    """Remove the title where the clean text repeats it at the top (once or more)."""
    if not title or not text:
        return []
    key = _key(title)
    if not key:
        return []
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end]
        if _key(line) == key:
            pos = line_end + 1 if nl >= 0 else line_end
            continue
        prefix = _title_prefix(line, title)
        if prefix:
            pos += prefix
        break
    return [Edit(TITLE_RULE, 0, min(pos, len(text)))] if pos else []


def _title_prefix(line: str, title: str) -> int:
    """Length of a title standing at the start of a longer line, with the space after it."""
    if not line.startswith(title) or len(line) == len(title):
        return 0
    rest = len(title)
    if line[rest].isspace():
        while rest < len(line) and line[rest].isspace():
            rest += 1
        return rest
    return 0
