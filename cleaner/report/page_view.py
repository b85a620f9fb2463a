"""One page as a report shows it, like `cleaner explain`: the text with every removed span
struck through and coloured by its rule (the rule on hover), the metadata beside it.

With the page's source text, the spans are shown where they were cut from. Without it (the
inputs were not given) the clean text is shown with a marker where each span was removed.
Every span is an element carrying `data-rule`, `data-start` and `data-end` (source offsets), so
a reader, or a test, can check each one against the record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .markup import Html, el, esc
from .pick import closest_call, region_calls, removed_share
from .sources import Source
from .style import WHITE_SPACE, Palette
from .tally import cleaned_by, flags_of, found_by, net_removed, site_of, spans_of

VIEW_CHARS = 30_000  # characters of a page shown; the rest is counted, so a report stays small
SAMPLE_CHARS = 80  # of a region decision's line, in the side panel


def page_section(
    record: dict[str, Any],
    where: str,
    source: Source,
    palette: Palette,
    *,
    anchor: str,
    heading: str,
    reasons: Sequence[str] = (),
) -> Html:
    """A page of a report: heading, why it is shown, its text marked, its metadata."""
    prov = record["provenance"]
    spans = _disjoint(spans_of(prov))
    if source.text is not None:
        text, cut = marked_source(source.text, spans, palette)
        view = "source"
    else:
        text, cut = marked_clean(record.get("text") or "", spans, palette)
        view = "clean"
    title = (record.get("metadata") or {}).get("title")
    head = el(
        "h3",
        None,
        el("a", {"href": f"#{anchor}"}, heading),
        f" · {site_of(record)}",
        f" · {title}" if title else "",
    )
    return el(
        "section",
        {"class": "page", "id": anchor, "data-id": record.get("id"), "data-view": view},
        head,
        el("p", {"class": "why"}, "; ".join(reasons)) if reasons else None,
        el(
            "div",
            {"class": "cols"},
            el(
                "div",
                None,
                el("p", {"class": "note"}, source.note) if source.note else None,
                el("pre", {"class": "src"}, Html("\n"), text),  # a parser drops one \n there
                el("p", {"class": "note"}, cut) if cut else None,
            ),
            side_panel(record, where, source, palette, spans),
        ),
    )


def marked_source(source: str, spans: list[dict[str, Any]], palette: Palette) -> tuple[Html, str]:
    """The source text with each span as a struck-through `<del>`; what is past VIEW_CHARS is
    left out and said."""
    parts: list[Html] = []
    pos = hidden = 0
    for i, s in enumerate(spans):
        start, end = s["start"], s["end"]
        if start >= VIEW_CHARS:
            hidden = len(spans) - i
            break
        parts.append(esc(source[pos:start]))
        more = "…" if end > VIEW_CHARS else ""
        gone = source[start : min(end, VIEW_CHARS)]
        parts.append(el("del", _span_attrs(s, palette, "rm"), gone, more))
        pos = end
    parts.append(esc(source[pos:VIEW_CHARS]))
    return Html("".join(parts)), _cut_note(len(source), hidden)


def marked_clean(text: str, spans: list[dict[str, Any]], palette: Palette) -> tuple[Html, str]:
    """The clean text with a marker (`⟦rule −N⟧`) where each span was removed: a span's place
    in the clean text is its start less what the spans before it removed."""
    parts: list[Html] = []
    shown = at = prev_end = hidden = 0
    for i, s in enumerate(spans):
        at += s["start"] - prev_end  # the characters kept since the span before
        if at > VIEW_CHARS:
            hidden = len(spans) - i
            break
        parts.append(esc(text[shown:at]))
        shown = at
        label = "" if s["rule"] == WHITE_SPACE else f"⟦{s['rule']} −{net_removed(s)}⟧"
        parts.append(el("span", _span_attrs(s, palette, "gap"), label))
        at += len(s.get("insert", ""))  # what a span inserted is clean text, shown after it
        prev_end = s["end"]
    parts.append(esc(text[shown:VIEW_CHARS]))
    return Html("".join(parts)), _cut_note(len(text), hidden)


def _disjoint(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans in order, none overlapping the one before (`cleaner` writes no others)."""
    out: list[dict[str, Any]] = []
    for s in sorted(spans, key=lambda s: s["start"]):
        if not out or s["start"] >= out[-1]["end"]:
            out.append(s)
    return out


def _span_attrs(s: dict[str, Any], palette: Palette, kind: str) -> dict[str, Any]:
    insert = s.get("insert", "")
    size = s["end"] - s["start"]
    hint = f"{s['rule']} · {size:,} characters" + (f" → {insert!r}" if insert else "")
    return {
        "class": f"{kind} {palette.cls(s['rule'])}",
        "title": hint,
        "data-rule": s["rule"],
        "data-start": s["start"],
        "data-end": s["end"],
        "data-insert": insert or None,
    }


def _cut_note(length: int, hidden: int) -> str:
    if length <= VIEW_CHARS and not hidden:
        return ""
    return (
        f"Shown: the first {min(length, VIEW_CHARS):,} of {length:,} characters;"
        f" {hidden:,} removal(s) further on are not marked here."
    )


def side_panel(
    record: dict[str, Any],
    where: str,
    source: Source,
    palette: Palette,
    spans: list[dict[str, Any]],
) -> Html:
    prov, meta = record["provenance"], record.get("metadata") or {}
    chars_in, chars_out = prov.get("chars_in"), prov.get("chars_out")
    rows: list[tuple[str, Any]] = [
        ("id", record.get("id")),
        ("record", where),
        ("origin", _json(prov.get("origin"))),
        ("cleaned by", f"{cleaned_by(record)}; site found by {found_by(record)}"),
        ("characters", f"{chars_in:,} in → {chars_out:,} out ({removed_share(prov):.1%} removed)")
        if isinstance(chars_in, int) and isinstance(chars_out, int)
        else None,
        ("HTML", f"{prov['html_chars']:,} characters of markup") if "html_chars" in prov else None,
        ("encoding", _json(prov.get("encoding"))) if prov.get("encoding") else None,
        ("flags", [el("span", {"class": "flag"}, f) for f in flags_of(prov)] or "none"),
        ("packs", ", ".join(_pack(p) for p in prov.get("rules") or () if isinstance(p, dict))),
    ]
    known = [(k, _json(v)) for k, v in meta.items() if v is not None]
    unknown = [k for k, v in meta.items() if v is None]
    return el(
        "aside",
        {"class": "meta"},
        _table([r for r in rows if r is not None]),
        el("h4", None, "Rules on this page"),
        _rules_here(spans, palette),
        el("h4", None, "Metadata"),
        _table(known + ([("null", ", ".join(unknown))] if unknown else [])),
        _dom_panel(prov, source),
        _region_panel(prov, source),
    )


def _rules_here(spans: list[dict[str, Any]], palette: Palette) -> Html:
    totals: dict[str, list[int]] = {}
    for s in spans:
        t = totals.setdefault(s["rule"], [0, 0])
        t[0] += 1
        t[1] += net_removed(s)
    if not totals:
        return el("p", None, "none")
    rows = [
        (
            [el("span", {"class": f"swatch {palette.cls(rule)}"}), rule],
            f"{n}× · {chars:,} chars",
        )
        for rule, (n, chars) in sorted(totals.items(), key=lambda kv: -kv[1][1])
    ]
    return _table(rows)


def _dom_panel(prov: dict[str, Any], source: Source) -> Html | None:
    if prov.get("text_source") != "html":
        return None
    items = []
    for d in prov.get("dom_removed") or ():
        if not isinstance(d, dict):
            continue
        line = f"{d.get('rule')}: {d.get('nodes')} node(s), {d.get('chars')} chars"
        samples = source.dom_samples.get(str(d.get("rule"))) or []
        items.append(el("li", None, line, el("ul", None, [el("li", None, x) for x in samples])))
    return Html(
        el("h4", None, "Removed by DOM rules (before the text above)")
        + (el("ul", None, items) if items else el("p", None, "nothing"))
    )


def _region_panel(prov: dict[str, Any], source: Source) -> Html | None:
    region = prov.get("region")
    if not isinstance(region, dict):
        return None
    closest = (closest_call(prov) or ({}, 0))[0]
    items = []
    for u in region_calls(prov):
        line = None
        start, end = u.get("start"), u.get("end")
        if source.text is not None and isinstance(start, int) and isinstance(end, int):
            text = source.text[start:end][:SAMPLE_CHARS]
            line = [": ", el("code", None, text)]
        decision = "removed" if u.get("removed") else "kept"
        mark = " (closest)" if u is closest else ""
        items.append(el("li", None, f"p {u['p']:.2f}, {decision}{mark}", line))
    summary = f"{region.get('lines')} line(s), {region.get('removed')} removed"
    return Html(
        el("h4", None, "Region model")
        + el("p", None, summary)
        + (el("ul", None, items) if items else Html(""))
    )


def _pack(p: dict[str, Any]) -> str:
    return f"{p.get('pack')}{' (learned)' if p.get('learned') else ''}"


def _json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _table(rows: list[tuple[Any, Any]]) -> Html:
    cells = [el("tr", None, el("td", None, k), el("td", None, v)) for k, v in rows]
    return el("table", None, cells)
