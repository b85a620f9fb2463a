"""Show a page with every removed span marked and named by the rule that removed it."""

from __future__ import annotations

from .page import Cleaned


def explain(cleaned: Cleaned, color: bool = False) -> str:
    """The input with removals shown as `[-rule: text-]` (red on a terminal)."""
    source = cleaned.source_text
    out: list[str] = []
    pos = 0
    for r in cleaned.removals:
        out.append(source[pos : r.start])
        gone = source[r.start : r.end]
        if r.rule == "normalize/space":
            out.append(gone)
        elif color:
            out.append(f"\x1b[2;31m{gone}\x1b[0m\x1b[33m⟦{r.rule}⟧\x1b[0m")
        else:
            out.append(f"[-{r.rule}: {gone}-]")
        pos = r.end
    out.append(source[pos:])
    return "".join(out)
