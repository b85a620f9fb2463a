"""The summary of a report: the accounts of the run, then per site, per rule (with a bar
chart), per flag and per error kind, and the list of the pages shown.

Every number a test or a reader may check is also in a `data-` attribute, as a plain integer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..io.readers import MB
from .markup import Html, el
from .pick import Pick
from .style import Palette
from .tally import Tally, site_of

BAR_WIDTH = 160
SCROLL_ROWS = 12


def accounts(tally: Tally, run: dict[str, Any] | None) -> Html:
    """The run in numbers: records in = cleaned + errors, characters in and out.

    With the run's own summary (`clean --report`), its accounts are shown: they count the error
    records that went to stderr too. Without it, the records read are counted."""
    src: dict[str, Any] = (
        run
        if run is not None
        else {
            "records_in": tally.records_in,
            "cleaned": tally.cleaned,
            "errors": tally.errors,
            "chars_in": tally.chars_in,
            "chars_out": tally.chars_out,
        }
    )
    removed = src["chars_in"] - src["chars_out"]
    share = f" ({removed / src['chars_in']:.1%})" if src["chars_in"] else ""
    cards = [
        _card("records_in", src["records_in"], "records in"),
        _card("cleaned", src["cleaned"], "cleaned"),
        _card("errors", src["errors"], "errors", bad=src["errors"] > 0),
        _card("chars_in", src["chars_in"], "characters in"),
        _card("chars_out", src["chars_out"], "characters out"),
        _card("chars_removed", removed, f"characters removed{share}"),
    ]
    if tally.html_pages:
        cards.append(_card("html_pages", tally.html_pages, "HTML pages"))
        cards.append(_card("dom_chars", tally.dom_chars, "characters dropped by DOM rules"))
    if tally.unreadable:
        cards.append(_card("unreadable", tally.unreadable, "unreadable lines", bad=True))
    warnings = []
    if run is not None and run["cleaned"] != tally.cleaned:
        warnings.append(
            f"The run cleaned {run['cleaned']:,} records, but its output holds {tally.cleaned:,}:"
            " the output was changed after the run."
        )
    if run is None and not tally.errors:
        warnings.append(
            "No error records were read: if the run had errors, give its error file (--errors)"
            " beside its output to count them here."
        )
    lines = []
    if run is not None:
        seconds = max(run.get("seconds") or 0, 1e-9)
        lines.append(
            f"Run time {seconds:,.1f} s, {run['records_in'] / seconds:,.0f} records/s,"
            f" {run.get('bytes_in', 0) / MB:,.1f} MB of input."
        )
        if run.get("skipped"):
            skipped = ", ".join(f"{k} {n:,}" for k, n in Counter(run["skipped"]).most_common())
            lines.append(f"Not pages, passed over: {skipped}.")
    return Html(
        el("div", {"class": "cards"}, cards)
        + "".join(el("p", {"class": "warn"}, w) for w in warnings)
        + "".join(el("p", {"class": "sub"}, line) for line in lines)
    )


def _card(key: str, value: int, label: str, bad: bool = False) -> Html:
    return el(
        "div",
        {"class": "card bad" if bad else "card", "id": f"n-{key}", "data-value": value},
        el("b", None, f"{value:,}"),
        el("span", None, label),
    )


def sites_table(tally: Tally) -> Html:
    head = ["site", "pages", "chars in", "chars out", "removed", "DOM chars"]
    head += ["cleaned by", "found by"]
    rows = []
    for site, row in sorted(tally.sites.items(), key=lambda kv: (-kv[1].pages, kv[0])):
        rows.append(
            el(
                "tr",
                {"data-site": site, "data-pages": row.pages},
                el("td", None, site),
                _num(row.pages),
                _num(row.chars_in),
                _num(row.chars_out),
                el("td", {"class": "n"}, _share(row.removed, row.chars_in)),
                _num(row.dom_chars),
                el("td", None, _counts(row.by)),
                el("td", None, _counts(row.found)),
            )
        )
    return _table(head, rows, numeric=range(1, 6))


def rules_table(tally: Tally, palette: Palette) -> Html:
    """Each rule: kind, pages it fired on, characters it removed, a bar; most removed first."""
    ranked = tally.rules_by_removal()
    top = max((row.chars for _, row in ranked), default=0) or 1
    text_removed = sum(row.chars for _, row in ranked if row.kind != "DOM") or 1
    rows = []
    for rule, row in ranked:
        width = round(BAR_WIDTH * row.chars / top) if row.chars > 0 else 0
        bar = el(
            "svg",
            {
                "class": f"bar {palette.cls(rule)}",
                "width": BAR_WIDTH,
                "height": 10,
                "viewBox": f"0 0 {BAR_WIDTH} 10",
                "role": "img",
                "aria-label": f"{row.chars:,} characters",
            },
            el("rect", {"class": "bg", "width": BAR_WIDTH, "height": 10}),
            el("rect", {"width": max(width, 1 if row.chars > 0 else 0), "height": 10}),
        )
        share = "" if row.kind == "DOM" else _share(row.chars, text_removed)
        rows.append(
            el(
                "tr",
                {"data-rule": rule, "data-pages": row.pages, "data-chars": row.chars},
                el("td", None, el("span", {"class": f"swatch {palette.cls(rule)}"}), rule),
                el("td", None, row.kind + (f", {_plural(row.nodes, 'node')}" if row.nodes else "")),
                _num(row.pages),
                _num(row.chars),
                el("td", {"class": "n"}, share),
                el("td", None, bar),
            )
        )
    head = ["rule", "kind", "pages", "chars removed", "of text removed", ""]
    return _table(head, rows, numeric=(2, 3, 4))


def flags_table(tally: Tally) -> Html:
    rows = [
        el(
            "tr",
            {"data-flag": flag, "data-pages": n},
            el("td", None, el("span", {"class": "flag"}, flag)),
            _num(n),
            el("td", {"class": "n"}, _share(n, tally.cleaned)),
        )
        for flag, n in tally.flags.most_common()
    ]
    return _table(["flag", "pages", "of pages"], rows, numeric=(1, 2)) if rows else _none()


def errors_table(tally: Tally, run: dict[str, Any] | None) -> Html:
    kinds = Counter(run["error_kinds"]) if run is not None else tally.error_kinds
    rows = []
    for kind, n in kinds.most_common():
        examples = [
            el("li", None, el("code", None, r.where), " ", _origin(r.data), r.data.get("message"))
            for r in tally.error_examples.get(kind, ())
        ]
        rows.append(
            el(
                "tr",
                {"data-kind": kind, "data-count": n},
                el("td", None, kind),
                _num(n),
                el("td", None, el("ul", None, examples) if examples else "–"),
            )
        )
    if not rows:
        return _none()
    note = None
    if run is not None and not tally.errors:
        note = el(
            "p",
            {"class": "note"},
            "The error records went to stderr; with --errors FILE they are listed here.",
        )
    return Html(_table(["error", "records", "examples"], rows, numeric=(1,)) + (note or ""))


def unreadable_list(tally: Tally) -> Html | None:
    if not tally.unreadable:
        return None
    items = [
        el("li", None, el("code", None, u.where), " ", u.message) for u in tally.unreadable_examples
    ]
    return Html(
        el("h2", None, f"Unreadable lines ({tally.unreadable:,})")
        + el("p", {"class": "note"}, "Lines of the files given that are not records; the first:")
        + el("ul", None, items)
    )


def shown_table(picks: Sequence[tuple[str, str, Pick]]) -> Html:
    """The pages shown below, with a link to each: anchor, heading, pick."""
    rows = []
    for anchor, heading, pick in picks:
        chars_in = pick.record["provenance"].get("chars_in")
        rows.append(
            el(
                "tr",
                None,
                el("td", None, el("a", {"href": f"#{anchor}"}, heading)),
                el("td", None, "; ".join(pick.reasons)),
                el("td", None, site_of(pick.record)),
                el("td", None, (pick.record.get("metadata") or {}).get("title") or "–"),
                el("td", {"class": "n"}, f"{chars_in:,}" if isinstance(chars_in, int) else "–"),
            )
        )
    head = ["page", "why", "site", "title", "chars in"]
    return _table(head, rows, numeric=(4,)) if rows else _none()


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _counts(counter: Counter) -> str:
    """`pack` when all pages agree, else `pack 10 · learned pack 2`."""
    if len(counter) == 1:
        return next(iter(counter))
    return " · ".join(f"{key} {n:,}" for key, n in counter.most_common())


def _origin(error: dict[str, Any]) -> str:
    origin = error.get("origin")
    if isinstance(origin, dict) and origin:
        return ":".join(str(v) for v in origin.values()) + ": "
    return ""


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "–"


def _num(value: int) -> Html:
    return el("td", {"class": "n"}, f"{value:,}")


def _none() -> Html:
    return el("p", {"class": "note"}, "none")


def _table(head: list[str], rows: list[Html], numeric: Sequence[int] = ()) -> Html:
    """A table; a long one scrolls in a box of its own, so the summary stays one screen."""
    cells = [el("th", {"class": "n" if i in numeric else None}, h) for i, h in enumerate(head)]
    table = el("table", None, el("thead", None, el("tr", None, cells)), el("tbody", None, rows))
    return el("div", {"class": "scroll"}, table) if len(rows) > SCROLL_ROWS else table
