"""Lines as shapes, shapes as patterns: what makes lines of different pages one rule.

A line's shape is its text with white space runs as one space, every number (`5`, `1,234`,
`2024-05-01`, `9:00-18:30`) as one mark and the page's own title as another, so that
`已阅读5页,还剩37页未读` on one page and `已阅读5页,还剩12页未读` on the next are one shape,
and its pattern is `已阅读\\d+页,还剩\\d+页未读`. Lines are read as the rule patterns see them
(full-width forms folded), so the patterns are written in ASCII punctuation.
"""

from __future__ import annotations

import regex

from ..engine.rx import matching_view

NUMBER_MARK = "\x01"
TITLE_MARK = "\x02"
MARKS = (NUMBER_MARK, TITLE_MARK)
NUMBER = regex.compile(r"\d+(?:[.,:/-]\d+)*")
NUMBER_PATTERN = r"\d+(?:[.,:/-]\d+)*"
_TOKENS = regex.compile(f"({NUMBER_MARK}|{TITLE_MARK}| )")
_WORDS = regex.compile(r"[a-z0-9]+")
MIN_TITLE = 4  # a shorter title is too common a string to stand for the title


def folded(line: str) -> str:
    """The line as patterns see it, white space runs as one space, no space around it."""
    return " ".join(matching_view(line).split())


def shape(line: str, title: str | None = None) -> str:
    """The shape of a folded line (see `folded`); `title` folded too."""
    if title and len(title) >= MIN_TITLE and title != line and title in line:
        line = line.replace(title, TITLE_MARK)
        return TITLE_MARK.join(NUMBER.sub(NUMBER_MARK, part) for part in line.split(TITLE_MARK))
    return NUMBER.sub(NUMBER_MARK, line)


def literal_chars(key: str) -> int:
    """Characters of a shape that are the line's own text (not marks, not spaces)."""
    return sum(1 for c in key if c not in MARKS and not c.isspace())


def body_pattern(key: str, title_chars: int = 120, title_group: bool = False) -> str:
    """The pattern of a shape, without anchors: numbers as `\\d+`, the title as a run of up to
    `title_chars` characters of one line (`title_group`: as the group `value`, for a title
    capture), spaces as `[ \\t]+`."""
    out = []
    for token in _TOKENS.split(key):
        if token == NUMBER_MARK:
            out.append(NUMBER_PATTERN)
        elif token == TITLE_MARK:
            run = f"[^\\n]{{1,{title_chars}}}"
            out.append(f"(?P<value>{run}?)" if title_group else run)
        elif token == " ":
            out.append("[ \\t]+")
        elif token:
            out.append(regex.escape(token))
    return "".join(out)


def line_pattern(key: str, title_chars: int = 120, title_group: bool = False) -> str:
    """The pattern of a whole line of this shape."""
    return f"^[ \\t]*{body_pattern(key, title_chars, title_group)}[ \\t]*$"


def rule_name(key: str, fallback: str) -> str:
    """A short rule id from a shape's Latin words (`you-are-on-page`), else `fallback`."""
    words = _WORDS.findall(key.replace(NUMBER_MARK, " ").lower())
    name = "-".join(words[:5])[:40].strip("-")
    return name if len(name) >= 3 else fallback
