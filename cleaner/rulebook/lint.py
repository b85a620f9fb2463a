"""Warnings about rule patterns that can backtrack catastrophically (nested quantifiers)."""

from __future__ import annotations

from collections.abc import Iterator

from .types import Pack

_QUANT_START = "*+{"


def nested_quantifier(pattern: str) -> str | None:
    """The first quantified group whose inside is quantified too, as in `(a+)+` or `(\\w+\\s?)*`."""
    # (group start, has an inner unbounded quantifier; None inside an atomic group)
    stack: list[tuple[int, bool | None]] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            stack.append((i, False))
            if pattern.startswith("(?>", i):  # an atomic group gives nothing back
                stack[-1] = (i, None)
        elif c == ")" and stack:
            start, inner = stack.pop()
            if inner and _unbounded_at(pattern, i + 1):
                return pattern[start : i + 2]
            if stack and inner and stack[-1][1] is not None:
                stack[-1] = (stack[-1][0], True)
        elif c in _QUANT_START:
            end = pattern.find("}", i) + 1 if c == "{" else i + 1
            possessive = pattern.startswith("+", end)
            if _unbounded_at(pattern, i) and not possessive and stack and stack[-1][1] is not None:
                stack[-1] = (stack[-1][0], True)
            i = end + (end < n and pattern[end] in "+?") if end > i else i + 1
            continue
        i += 1
    return None


def _unbounded_at(pattern: str, i: int) -> bool:
    if i >= len(pattern):
        return False
    c = pattern[i]
    if c in "*+":
        return True
    if c == "{":
        close = pattern.find("}", i)
        body = pattern[i + 1 : close] if close > 0 else ""
        return "," in body and (body.endswith(",") or _large(body.split(",")[1]))
    return False


def _large(bound: str) -> bool:
    return bound.strip().isdigit() and int(bound) > 20


def lint_pack(pack: Pack) -> Iterator[str]:
    """One warning per pattern of the pack that nests unbounded quantifiers."""
    for rule in pack.text:
        for what in ("pattern", "start", "end"):
            compiled = getattr(rule, what)
            if compiled is not None and (bad := nested_quantifier(compiled.pattern)):
                yield (
                    f"{pack.path}: rule '{rule.id.split('/', 1)[1]}': {what} nests quantifiers "
                    f"in {bad!r}, which can backtrack catastrophically on some pages "
                    "(fix: make the inner part possessive or atomic, e.g. (?>…) or ++)"
                )
    for rule in pack.meta:
        if bad := nested_quantifier(rule.pattern.pattern):
            yield f"{pack.path}: rule '{rule.id.split('/', 1)[1]}': nests quantifiers in {bad!r}"
