"""Show a page with every removed span marked and named by the rule that removed it.

For an HTML page the DOM removals come first (rule, node count, characters of text, samples of
what went); the text that follows is the page's text after the DOM rules, with the spans that
the text rules removed marked in it. Last come the content-region model's decisions: each line
it removed, and each it kept by a narrow margin, with its chrome probability and the features
that weighed most.
"""

from __future__ import annotations

from ..page import Cleaned


def explain(cleaned: Cleaned, color: bool = False) -> str:
    """The input with removals shown as `[-rule: text-]` (red on a terminal)."""
    out: list[str] = []
    if cleaned.provenance.get("text_source") == "html":
        out.append(_dom_section(cleaned, color))
    source = cleaned.source_text
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
    if cleaned.region is not None and cleaned.region.decisions:
        out.append("\n" + _region_section(cleaned, color))
    return "".join(out)


def _region_section(cleaned: Cleaned, color: bool) -> str:
    region = cleaned.region
    lines = [f"--- the region model (a line goes from p(chrome) {region.threshold:.2f}):"]
    for d in region.decisions:
        text = " ".join(cleaned.source_text[d.start : d.end].split())
        text = text if len(text) <= 60 else text[:59] + "…"
        verdict = "removed" if d.removed else "kept"
        if color:
            verdict = f"\x1b[33m{verdict}\x1b[0m" if d.removed else verdict
        why = ", ".join(f"{name} {weight:+.2f}" for name, weight in d.reasons)
        lines.append(f"  {verdict} p={d.p:.2f}{f' ({why})' if why else ''}: {text}")
    return "\n".join(lines)


def _dom_section(cleaned: Cleaned, color: bool) -> str:
    enc = cleaned.provenance.get("encoding")
    lines = ["=== HTML page"]
    if enc:
        lines[0] += f" (encoding {enc['encoding']}, by {enc['by']})"
    lines.append("--- removed by DOM rules:")
    if not cleaned.dom_removals:
        lines.append("  (nothing)")
    for d in cleaned.dom_removals:
        name = f"\x1b[33m{d.rule}\x1b[0m" if color else d.rule
        lines.append(f"  {name}: {d.nodes} node(s), {d.chars} chars")
        for sample in d.samples:
            lines.append(f"      - {sample}")
    lines.append("--- page text after DOM rules, with text-rule removals marked:")
    return "\n".join(lines) + "\n"
