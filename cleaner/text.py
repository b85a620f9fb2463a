"""The text-rule engine: each rule finds spans of chrome in the page text, named by its id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .errors import RuleTimeout
from .page import Removal
from .rulebook import TextRule

# a join never glues a part onto text that already ends a sentence (or a heading's colon)
SENTENCE_END = frozenset("。!?!?….;;::」』”\"'")


@dataclass(slots=True)
class RuleResult:
    """What one rule did to one page."""

    removals: list[Removal] = field(default_factory=list)
    fired: bool = False


def apply_rule(rule: TextRule, text: str, timeout: float | None = None) -> RuleResult:
    """Run one rule over the whole text; a regex that runs past `timeout` raises `RuleTimeout`."""
    try:
        return _KINDS[rule.kind](rule, text, timeout)
    except TimeoutError:
        raise RuleTimeout(rule.id, timeout or 0) from None


def apply_rules(
    rules: Sequence[TextRule], text: str, timeout: float | None = None
) -> tuple[list[Removal], list[tuple[TextRule, RuleResult]]]:
    """Run every rule on the same text; returns all removals and what each rule that fired did."""
    removals: list[Removal] = []
    fired: list[tuple[TextRule, RuleResult]] = []
    for rule in rules:
        result = apply_rule(rule, text, timeout)
        if result.fired:
            removals += result.removals
            fired.append((rule, result))
    return removals, fired


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    """End of the line holding `pos`, past its line break."""
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl + 1


def _last(m) -> int:
    return max(m.end() - 1, m.start())


def _joined(text: str, start: int, end: int, rule_id: str) -> Removal:
    """Widen a removal over the white space around it so the text on both sides joins."""
    p = start
    while p > 0 and text[p - 1].isspace():
        p -= 1
    q = end
    while q < len(text) and text[q].isspace():
        q += 1
    if p == 0 or q == len(text) or text[p - 1] in SENTENCE_END:
        return Removal(rule_id, start, end)
    a, b = text[p - 1], text[q]
    latin = a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
    return Removal(rule_id, p, q, " " if latin else "")


def _drop_line(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    res = RuleResult()
    covered = 0
    for m in rule.pattern.finditer(text, timeout=timeout):
        if m.end() == m.start() or m.start() < covered:
            continue
        start, end = _line_start(text, m.start()), _line_end(text, _last(m))
        res.removals.append(
            _joined(text, start, end, rule.id) if rule.join else Removal(rule.id, start, end)
        )
        covered = end
    res.fired = bool(res.removals)
    return res


def _drop_block(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    res = RuleResult()
    pos = 0
    while pos < len(text):
        s = rule.start.search(text, pos, timeout=timeout)
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


def _cut_before(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    m = rule.pattern.search(text, timeout=timeout)
    if m is None or m.end() == 0:
        return RuleResult()
    if rule.within is not None and m.start() > rule.within * len(text):
        return RuleResult()
    return RuleResult([Removal(rule.id, 0, m.end())], True)


def _cut_after(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    floor = 0 if rule.within is None else (1 - rule.within) * len(text)
    for m in rule.pattern.finditer(text, timeout=timeout):
        if m.start() >= floor and m.start() < len(text):
            return RuleResult([Removal(rule.id, m.start(), len(text))], True)
    return RuleResult()


def _strip(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    res = RuleResult()
    for m in rule.pattern.finditer(text, timeout=timeout):
        if m.end() > m.start():
            res.removals.append(
                _joined(text, m.start(), m.end(), rule.id)
                if rule.join
                else Removal(rule.id, m.start(), m.end())
            )
    res.fired = bool(res.removals)
    return res


def _linebreak(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    res = RuleResult()
    for m in rule.pattern.finditer(text, timeout=timeout):
        if m.end() > m.start() and m.group() != "\n":
            res.removals.append(Removal(rule.id, m.start(), m.end(), "\n"))
    res.fired = bool(res.removals)
    return res


def _flag(rule: TextRule, text: str, timeout: float | None) -> RuleResult:
    return RuleResult([], rule.pattern.search(text, timeout=timeout) is not None)


_KINDS = {
    "drop_line": _drop_line,
    "drop_block": _drop_block,
    "cut_before": _cut_before,
    "cut_after": _cut_after,
    "strip": _strip,
    "linebreak": _linebreak,
    "flag": _flag,
}
