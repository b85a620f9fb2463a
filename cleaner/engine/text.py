"""The text-rule engine: each rule finds spans of chrome in the page text, named by its id."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..errors import RuleTimeout
from ..page import Removal
from ..rulebook.types import CUT_KINDS, TextRule
from .needles import NeedleIndex
from .rx import matching_view
from .spans import Edit, Rendered, merge

# a join never glues a part onto text that already ends a sentence (or a heading's colon)
SENTENCE_END = frozenset("。!?!?….;;::」』”\"'")


class Join(NamedTuple):
    """A `join` across a line break, left for later: the white space `[start, end)` of the input
    around a removal (a page marker on a line of its own, or at a line's end) becomes `insert`
    only if the lines on both sides stay. Read apart, each line is judged on its own: a chrome
    line glued to a body line would make one line of both."""

    rule: str
    start: int  # just after the part before
    end: int  # the first character of the part after
    insert: str


@dataclass(slots=True)
class RuleResult:
    """What one rule did to one page."""

    removals: list[Removal] = field(default_factory=list)
    fired: bool = False
    joins: list[Join] = field(default_factory=list)


def apply_rule(
    rule: TextRule, text: str, timeout: float | None = None, window: Window | None = None
) -> RuleResult:
    """Run one rule over the whole text; a regex that runs past `timeout` raises `RuleTimeout`."""
    view = matching_view(text)
    trigger = rule.pattern or rule.start
    if trigger is not None and not trigger.may_match(view):
        return RuleResult()
    if window is None and _windowed(rule):
        window = Window(view, [])
    return _apply(rule, view, timeout, window)


def _windowed(rule: TextRule) -> bool:
    """A cut with a `within` window: it runs after the others, on what they leave."""
    return rule.within is not None and rule.kind in CUT_KINDS


def _apply(rule: TextRule, view: str, timeout: float | None, window: Window | None) -> RuleResult:
    """Run a rule whose needles are in `view` (a cut with `within` needs its `window`)."""
    if rule.kind in CUT_KINDS:
        return _cut(rule, _spans(rule, view, timeout), len(view), window)
    try:
        return _KINDS[rule.kind](rule, view, timeout)
    except TimeoutError:
        raise RuleTimeout(rule.id, timeout or 0) from None


def _spans(rule: TextRule, view: str, timeout: float | None) -> list[tuple[int, int]]:
    try:
        return [m.span() for m in rule.pattern.finditer(view, timeout=timeout, checked=True)]
    except TimeoutError:
        raise RuleTimeout(rule.id, timeout or 0) from None


class TextRules:
    """The text rules of a chain of packs, in order, with their needles indexed once."""

    def __init__(self, rules: Iterable[TextRule] = ()):
        self.rules = tuple(rules)
        self.needles = NeedleIndex(r.pattern or r.start for r in self.rules)  # None: always

    def __iter__(self) -> Iterator[TextRule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __repr__(self) -> str:
        return f"TextRules({[r.id for r in self.rules]})"


def apply_rules(
    rules: TextRules | Iterable[TextRule], text: str, timeout: float | None = None
) -> tuple[list[Removal], list[tuple[TextRule, RuleResult]]]:
    """Run every rule on the same text; returns all removals and what each rule that fired did.
    Only the rules one of whose needles is in the text run (all found in one pass).

    Cuts with a `within` window run last: their window is measured on what the other rules
    leave, so cleaning a clean text again cuts nothing more.
    """
    if not isinstance(rules, TextRules):
        rules = TextRules(rules)
    text = matching_view(text)  # offsets are the page's: the view maps one to one
    candidates = [rules.rules[i] for i in rules.needles.candidates(text)]
    removals: list[Removal] = []
    fired: list[tuple[TextRule, RuleResult]] = []
    for rule in candidates:
        if not _windowed(rule):
            result = _apply(rule, text, timeout, None)
            if result.fired:
                removals += result.removals
                fired.append((rule, result))
    # a cut shortens what is left, which can bring another match (of the same cut or another)
    # into its window: measure again after each cut until none removes more (a clean text then
    # has nothing left to cut)
    windowed = [
        (rule, spans)  # the matches stay; only their window changes
        for rule in candidates
        if _windowed(rule) and (spans := _spans(rule, text, timeout))
    ]
    while windowed:
        window = Window(text, merge(removals))
        for rule, spans in windowed:
            result = _cut(rule, spans, len(text), window)
            if result.fired and any(window.kept_between(r.start, r.end) for r in result.removals):
                removals += result.removals
                fired.append((rule, result))
                break
        else:
            break
    return removals, fired


class Window:
    """Where a position sits in the text the other rules leave, counted in non-space characters."""

    def __init__(self, text: str, removals: list[Removal]):
        self._text = text
        self._kept: list[tuple[int, int, int]] = []  # (start, end, non-space chars before it)
        before = pos = 0
        for r in [*removals, Removal("", len(text), len(text))]:
            if r.start > pos:
                self._kept.append((pos, r.start, before))
                before += _nonspace(text[pos : r.start])
            pos = max(pos, r.end)
        self._starts = [k[0] for k in self._kept]
        self.total = before

    def kept_between(self, start: int, end: int) -> int:
        """Non-space characters in `[start, end)` that the other rules leave."""
        return self._before(end) - self._before(start)

    def share(self, pos: int) -> float:
        """The share of the kept non-space text that stands before `pos`."""
        return self._before(pos) / self.total if self.total else 0.0

    def _before(self, pos: int) -> int:
        k = bisect_right(self._starts, pos) - 1
        if k < 0:
            return 0
        start, end, count = self._kept[k]
        return count + _nonspace(self._text[start : min(pos, end)])


def _nonspace(s: str) -> int:
    return len("".join(s.split()))


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    """End of the line holding `pos`, past its line break."""
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl + 1


def _last(m) -> int:
    return max(m.end() - 1, m.start())


def _joined(res: RuleResult, text: str, start: int, end: int, rule_id: str) -> None:
    """Add the removal `[start, end)` to `res`, widened over the white space around it so the
    text on both sides joins; across a line break, the join is left for later (`Join`)."""
    p = start
    while p > 0 and text[p - 1].isspace():
        p -= 1
    q = end
    while q < len(text) and text[q].isspace():
        q += 1
    if p == 0 or q == len(text) or text[p - 1] in SENTENCE_END:
        res.removals.append(Removal(rule_id, start, end))
        return
    a, b = text[p - 1], text[q]
    insert = " " if a.isascii() and a.isalnum() and b.isascii() and b.isalnum() else ""
    if "\n" in text[p:q]:
        res.removals.append(Removal(rule_id, start, end))
        res.joins.append(Join(rule_id, p, q, insert))
    else:
        res.removals.append(Removal(rule_id, p, q, insert))


def join_edits(rendered: Rendered, joins: Sequence[Join], edits: Sequence[Edit] = ()) -> list[Edit]:
    """The edits of `rendered.text` that make the `joins` whose two sides stay (no edit of
    `edits` takes the last character before or the first after): the white space left between
    them becomes the join's insert."""
    out = []
    for join in joins:
        before, after = rendered.from_source(join.start - 1), rendered.from_source(join.end)
        if before is None or after is None or rendered.text[before + 1 : after].strip():
            continue
        if any(e.start <= before < e.end or e.start <= after < e.end for e in edits):
            continue
        if after > before + 1:
            out.append(Edit(join.rule, before + 1, after, join.insert))
    return out


def _drop_line(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    res = RuleResult()
    covered = 0
    for m in rule.pattern.finditer(text, timeout=timeout, checked=True):
        if m.end() == m.start() or m.start() < covered:
            continue
        start, end = _line_start(text, m.start()), _line_end(text, _last(m))
        if rule.join:
            _joined(res, text, start, end, rule.id)
        else:
            res.removals.append(Removal(rule.id, start, end))
        covered = end
    res.fired = bool(res.removals)
    return res


def _drop_block(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    res = RuleResult()
    pos = 0
    while pos < len(text):
        s = rule.start.search(text, pos, timeout=timeout, checked=True)
        if s is None:
            break
        after = _line_end(text, _last(s))
        e = rule.end.search(text, after, timeout=timeout)
        if e is None:
            break
        if text.count("\n", after, e.start()) <= rule.max_lines:
            end = _line_end(text, _last(e))
            res.removals.append(Removal(rule.id, _line_start(text, s.start()), end))
            pos = end
        else:
            pos = after
    res.fired = bool(res.removals)
    return res


def _drop_repeat(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    """A block of 1 to `max_lines` lines printed twice in a row (blank lines and the white
    space around lines aside), starting within the top `within` share of the page's non-space
    text: both copies go. The first such block wins; the search goes on after it."""
    limit = _nonspace(text) * (rule.within if rule.within is not None else 1.0)
    spans: list[tuple[int, int]] = []  # (start, end) of each line with text, from the top
    lines: list[str] = []  # its content, white space runs as one space
    sizes: list[int] = []  # its non-space characters
    pos = before = 0
    past = None  # lines read since the window ended: a block starting in it ends in them
    for line in text.split("\n"):
        if words := line.split():
            spans.append((pos, pos + len(line)))
            lines.append(" ".join(words))
            sizes.append(sum(map(len, words)))
            before += sizes[-1]
            if past is not None:
                past += 1
                if past >= 2 * rule.max_lines:
                    break
            elif before > limit:
                past = 0
        pos += len(line) + 1
    res = RuleResult()
    i = before = 0  # `before`: non-space characters above line i
    while i < len(lines) and before <= limit:
        step = 1
        for k in range(1, min(rule.max_lines, (len(lines) - i) // 2) + 1):
            if lines[i] == lines[i + k] and lines[i : i + k] == lines[i + k : i + 2 * k]:
                end = _line_end(text, spans[i + 2 * k - 1][1])
                res.removals.append(Removal(rule.id, spans[i][0], end))
                step = 2 * k
                break
        before += sum(sizes[i : i + step])
        i += step
    res.fired = bool(res.removals)
    return res


def _cut(
    rule: TextRule, spans: list[tuple[int, int]], size: int, window: Window | None
) -> RuleResult:
    """`cut_before`: the top through the first match; `cut_after`: the first match to the end
    (`spans` are the rule's matches in a text of `size` characters)."""
    for start, end in spans:
        if rule.kind == "cut_before":
            if end == 0 or (window is not None and window.share(start) > rule.within):
                return RuleResult()
            return RuleResult([Removal(rule.id, 0, end)], True)
        if start < size and (window is None or window.share(start) >= 1 - rule.within):
            return RuleResult([Removal(rule.id, start, size)], True)
    return RuleResult()


def _strip(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    res = RuleResult()
    for m in rule.pattern.finditer(text, timeout=timeout, checked=True):
        if m.end() == m.start():
            continue
        if rule.join:
            _joined(res, text, m.start(), m.end(), rule.id)
        else:
            res.removals.append(Removal(rule.id, m.start(), m.end()))
    res.fired = bool(res.removals)
    return res


def _linebreak(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    res = RuleResult()
    for m in rule.pattern.finditer(text, timeout=timeout, checked=True):
        if m.end() > m.start() and m.group() != "\n":
            res.removals.append(Removal(rule.id, m.start(), m.end(), "\n"))
    res.fired = bool(res.removals)
    return res


def _flag(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    return RuleResult([], rule.pattern.search(text, timeout=timeout, checked=True) is not None)


_KINDS = {
    "drop_line": _drop_line,
    "drop_block": _drop_block,
    "drop_repeat": _drop_repeat,
    "strip": _strip,
    "linebreak": _linebreak,
    "flag": _flag,
}
