r"""Compiled rule patterns with a literal prefilter.

Most rules never match most pages. Before a pattern scans a page, the page must hold at least
one of the literal strings every match must contain (its *needles*, found once when the pack
loads): `Rx.may_match` tests them one by one, and a `NeedleIndex` (`engine.needles`) finds
the needles of a whole chain in one pass. The prefilter only ever skips scans that could not
match: a pattern whose needles cannot be proven gets none and always scans.

A pattern whose every branch starts at a line start (`^[ \t]*(?:举报|收藏|…)`) is also searched
from the line breaks: the `regex` engine tests a MULTILINE `^` at every position of the page,
but it jumps from one `\n` to the next when the pattern begins with one. Such a pattern gets a
*line twin*, `\n\K(?:…)`, whose matches are the same matches of the same text. A pattern with
one required literal keeps the engine's own literal search, which is faster still.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any

import regex

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_QUANT = regex.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_FEW = 4  # a set of at most this many plain characters gives each as a needle
_SET_SYNTAX = frozenset("-&~|")  # ranges and version 1 set operations
_UNSAFE_FLAGS = regex.compile(r"\(\?[a-zA-Z0-9]*[ixf]")


# full-width ASCII forms and the ideographic space, one to one onto ASCII
_NARROW = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_WIDE = re.compile("[\uff01-\uff5e\u3000]")


def matching_view(text: str) -> str:
    """The text that patterns are matched against: full-width ASCII folded to ASCII.

    Pages write the same chrome as `，（）：` or as `,():` (scrapers often NFKC-fold, browsers do
    not); patterns are written once, in ASCII. The mapping is one to one, so every offset found
    in the view is an offset of the page, and removals and captured values come from the page.
    Each wide form the text holds is replaced everywhere at once: `str.translate` looks every
    character up: three to seven times slower on a line or a page of Chinese.
    """
    found = _WIDE.search(text)
    while found is not None:
        wide = found.group()
        text = text.replace(wide, _NARROW[wide])
        found = _WIDE.search(text, found.start())
    return text


class _Abort(Exception):
    """The pattern uses syntax the prefilter does not reason about: no needles."""


class Rx:
    """A compiled pattern (MULTILINE) and the needles one of which every match contains."""

    __slots__ = ("_lines", "_one", "groupindex", "needles", "pattern", "regex")

    def __init__(self, pattern: str, flags: int = regex.MULTILINE):
        self.pattern = pattern
        self.regex = regex.compile(pattern, flags)
        self.groupindex = self.regex.groupindex
        self.needles = needles(pattern)
        self._one = self.needles[0] if self.needles and len(self.needles) == 1 else None
        self._lines = None
        if self.needles and self._one is None and flags & regex.MULTILINE:
            self._lines = line_twin(pattern, flags)

    def __getstate__(self) -> tuple[str, int]:
        return self.pattern, self.regex.flags

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.__init__(*state)

    def may_match(self, text: str) -> bool:
        if self._one is not None:
            return self._one in text
        if self.needles is None:
            return True
        return any(needle in text for needle in self.needles)

    def search(
        self, text: str, pos: int = 0, timeout: float | None = None, checked: bool = False
    ) -> Any:
        """The first match at or after `pos`; `checked`: the caller found a needle in `text`."""
        if not checked and not self.may_match(text):
            return None
        if self._lines is None:
            return self.regex.search(text, pos, timeout=timeout)
        return self._search_lines(text, pos, timeout)

    def _search_lines(self, text: str, pos: int, timeout: float | None) -> Any:
        if pos == 0 and (m := self.regex.match(text, timeout=timeout)):
            return m  # the first line has no line break before it
        # from the break before `pos`: the twin then finds the line starts at `pos` and after
        return self._lines.search(text, max(pos - 1, 0), timeout=timeout)

    def finditer(
        self, text: str, timeout: float | None = None, checked: bool = False
    ) -> Iterator[Any]:
        """Every match, as `regex` finds them; `checked`: the caller found a needle in `text`."""
        if not checked and not self.may_match(text):
            return iter(())
        if self._lines is None:
            return self.regex.finditer(text, timeout=timeout)
        return self._line_matches(text, timeout)

    def _line_matches(self, text: str, timeout: float | None) -> Iterator[Any]:
        first = self.regex.match(text, timeout=timeout)  # the first line has no break before it
        if first is not None:
            if first.end() == first.start():
                yield from self.regex.finditer(text, timeout=timeout)
                return
            yield first
        pos = first.end() if first is not None else 0
        while True:
            # from the break before `pos`: the twin then finds the line starts at `pos` and after
            for m in self._lines.finditer(text, max(pos - 1, 0), timeout=timeout):
                if m.end() == m.start():
                    # after an empty match a longer one may start at the same place: the plain
                    # scan from here knows that rule (it finds this empty match first)
                    rest = self.regex.finditer(text, m.start(), timeout=timeout)
                    next(rest)
                    yield m
                    yield from rest
                    return
                yield m
                pos = m.end()
                if text[pos - 1] == "\n":
                    break  # the match took the line break the twin needs for the next line
            else:
                return

    def sub(self, repl: str, text: str) -> str:
        return self.regex.sub(repl, text) if self.may_match(text) else text


def any_of(patterns: Sequence[Rx]) -> Any:
    """One pattern that matches a text where any of `patterns` does (their alternation, each
    leading `(?ims)` made a scoped `(?ims:…)`), or None when one of them cannot join it: other
    inline flags, a group named or referred back to, or compile flags that differ."""
    parts, flags = [], set()
    for p in patterns:
        m = _LEADING_FLAGS.match(p.pattern)
        body = p.pattern[m.end() :] if m else p.pattern
        if _JOIN_BREAKERS.search(body):
            return None
        inline = sum(_FLAG_BITS[c] for c in m[1]) if m else 0
        flags.add(p.regex.flags & ~inline & ~regex.UNICODE)
        parts.append(f"(?{m[1]}:{body})" if m else f"(?:{body})")
    if len(flags) != 1:
        return None
    return regex.compile("|".join(parts), flags.pop())


_LEADING_FLAGS = regex.compile(r"\(\?([ims]+)\)")
_FLAG_BITS = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL}
# inline flags, named groups and back references change meaning in an alternation
_JOIN_BREAKERS = regex.compile(r"\(\?[a-zA-Z&\d]|\\[1-9g]|\(\?<[a-zA-Z]")


def line_twin(pattern: str, flags: int) -> Any:
    r"""`\n\K(?:…)` for a pattern whose every top-level branch starts with `^`, else None.

    A branch that starts with a character class or a dot gains nothing: the engine then tries
    it at every line start in any case.
    """
    branches = top_level_branches(pattern)
    if not branches or not all(_starts_line(b) for b in branches):
        return None
    try:
        return regex.compile("\\n\\K(?:" + "|".join(b[1:] for b in branches) + ")", flags)
    except regex.error:
        return None


def _starts_line(branch: str) -> bool:
    return branch.startswith("^") and (
        branch[1:2] not in ("[", ".") or branch.startswith("^[ \\t]")
    )


def top_level_branches(pattern: str) -> list[str] | None:
    """The pattern split at its top-level `|`, or None if its syntax is beyond the prefilter."""
    parser = _Parser(pattern)
    cuts = []
    try:
        parser.sequence()
        while parser.i < len(pattern) and pattern[parser.i] == "|":
            cuts.append(parser.i)
            parser.i += 1
            parser.sequence()
    except _Abort:
        return None
    if parser.i != len(pattern):
        return None
    bounds = [-1, *cuts, len(pattern)]
    return [pattern[a + 1 : b] for a, b in pairwise(bounds)]


def needles(pattern: str) -> tuple[str, ...] | None:
    """Literal strings one of which every match of `pattern` contains, or None if unknown."""
    if _UNSAFE_FLAGS.search(pattern):
        return None
    try:
        parser = _Parser(pattern)
        found = parser.alternation()
        if parser.i != len(pattern):
            return None
    except _Abort:
        return None
    return tuple(sorted(found)) if found else None


class _Parser:
    """A small recursive-descent reader of regex syntax that only tracks required literals."""

    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0

    def alternation(self) -> set[str] | None:
        branches = [self.sequence()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.sequence())
        if any(b is None for b in branches):
            return None
        return set().union(*branches)

    def sequence(self) -> set[str] | None:
        candidates: list[set[str]] = []
        run = ""
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            atom, literal = self.atom()
            lo, hi = self.quantifier()
            if literal is not None and lo >= 1:
                run += literal
                if hi != 1:  # a repeated char: what follows may be more of it
                    candidates.append({run})
                    run = ""
                continue
            if run:
                candidates.append({run})
                run = ""
            if atom is not None and lo >= 1:
                candidates.append(atom)
        if run:
            candidates.append({run})
        if not candidates:
            return None
        return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))

    def quantifier(self) -> tuple[int, int]:
        """(min, max) repeats of the atom just read; max -1 is unbounded."""
        if self.i >= len(self.p):
            return 1, 1
        c = self.p[self.i]
        if c in "?*+":
            self.i += 1
            lo, hi = {"?": (0, 1), "*": (0, -1), "+": (1, -1)}[c]
        elif c == "{":
            m = _QUANT.match(self.p, self.i)
            if m is None:
                if regex.match(r"\{[^}]*[a-z]", self.p[self.i :]):
                    raise _Abort  # fuzzy matching such as {e<=1}
                return 1, 1  # a literal brace, read as the next atom
            self.i = m.end()
            lo = int(m[1] or 0)
            hi = lo if not m[2] else (int(m[3]) if m[3] else -1)
        else:
            return 1, 1
        if self.i < len(self.p) and self.p[self.i] in "?+":
            self.i += 1  # lazy or possessive
        return lo, hi

    def atom(self) -> tuple[set[str] | None, str | None]:
        """(needles a group requires, None) or (None, the literal char read) or (None, None)."""
        c = self.p[self.i]
        if c == "\\":
            return None, self.escape()
        if c == "[":
            return self.char_class(), None
        if c == "(":
            return self.group(), None
        self.i += 1
        if c in ".^$":
            return None, None
        if c in "*+?":
            raise _Abort
        return None, c

    def escape(self) -> str | None:
        p, i = self.p, self.i + 1
        if i >= len(p):
            raise _Abort
        c = p[i]
        self.i = i + 1
        if c in _ESCAPES:
            return _ESCAPES[c]
        if c in "xu":
            width = 2 if c == "x" else 4
            digits = p[self.i : self.i + width]
            if len(digits) != width or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise _Abort
            self.i += width
            return chr(int(digits, 16))
        if c in "pPN" and self.i < len(p) and p[self.i] == "{":
            self.i = p.index("}", self.i) + 1
            return None
        if c.isalnum():
            return None  # a class (\d \w \s), an anchor (\b \A \Z) or a back-reference
        return c

    def char_class(self) -> set[str] | None:
        """Skip a set; its characters when it is a few plain ones (`[页頁]`, `[ \\t]`): one of
        them is in every match, so each is a needle."""
        p, i = self.p, self.i + 1
        negated = i < len(p) and p[i] == "^"
        if negated:
            i += 1
        chars: set[str] | None = None if negated else set()
        if i < len(p) and p[i] == "]":
            i += 1
            chars = None
        while i < len(p) and p[i] != "]":
            if p[i] == "\\":
                escaped = p[i + 1 : i + 2]
                if chars is not None and escaped in _ESCAPES:
                    chars.add(_ESCAPES[escaped])
                elif chars is not None and escaped and not escaped.isalnum():
                    chars.add(escaped)
                else:
                    chars = None  # a class (`\\d`), a code point or a property
                i += 2
            elif p[i] == "[":
                if p.startswith("[:", i):
                    i = p.index(":]", i) + 2
                    chars = None
                else:
                    raise _Abort  # a nested set (version 1 syntax)
            else:
                if chars is not None and p[i] in _SET_SYNTAX:
                    chars = None  # a range (`a-z`) or a set operation
                elif chars is not None:
                    chars.add(p[i])
                i += 1
        if i >= len(p):
            raise _Abort
        self.i = i + 1
        return chars if chars and len(chars) <= _FEW else None

    def group(self) -> set[str] | None:
        p = self.p
        self.i += 1
        lookaround = False
        if p.startswith("?", self.i):
            head = p[self.i : self.i + 4]
            if head.startswith(("?:", "?>", "?|")):
                self.i += 2
            elif head.startswith(("?=", "?!")):
                self.i += 2
                lookaround = True
            elif head.startswith(("?<=", "?<!")):
                self.i += 3
                lookaround = True
            elif head.startswith(("?P<", "?<")):
                self.i = p.index(">", self.i) + 1
            elif head.startswith("?#"):
                self.i = p.index(")", self.i) + 1
                return None
            else:
                raise _Abort  # inline flags, conditionals, recursion, back-references
        inner = self.alternation()
        if self.i >= len(p) or p[self.i] != ")":
            raise _Abort
        self.i += 1
        return None if lookaround else inner
