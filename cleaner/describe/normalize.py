"""White space and the repeated title: the edits that make the text one paragraph per line."""

from __future__ import annotations

import unicodedata

import regex

from ..engine.spans import Edit

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


def title_edits(text: str, title: str | None, glued: bool = False) -> list[Edit]:
    """Remove the title where the clean text repeats it at the top (once or more); `glued`
    (a pack's `[title] glued = true`): also where it is glued to the first line's next word."""
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
        prefix = _title_prefix(line, title, glued)
        if prefix:
            pos += prefix
        break
    return [Edit(TITLE_RULE, 0, min(pos, len(text)))] if pos else []


def _title_prefix(line: str, title: str, glued: bool = False) -> int:
    """Length of a title standing at the start of a longer line, with the space after it.

    White space inside the title may differ (a PDF dump breaks lines inside it); the title must
    be followed by white space, never glued to the next word, unless `glued`.
    """
    want = "".join(title.split())
    if not want:
        return 0
    i = j = 0
    while j < len(want):
        if i >= len(line):
            return 0
        if line[i].isspace():
            i += 1
            continue
        if line[i] != want[j]:
            return 0
        i += 1
        j += 1
    if i == len(line) or not (glued or line[i].isspace()):
        return 0
    while i < len(line) and line[i].isspace():
        i += 1
    return i if i < len(line) else 0
