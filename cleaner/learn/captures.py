"""Captures and labels: what a group's repeated lines say about each page.

- a label that starts lines with varying values (`上传人:jane`): a `[[meta]]` capture when it
  names a field (the field words are data in `rules/_learn.toml`) and a `drop_line` of the label
  line when it stands in the page frame; a `strip` of the label when what follows is the page's
  own text;
- a number next to a field word in a learned line (`浏览:1234次`, `1,234 views`): a capture;
- a learned line that carries the page's title (`收藏《title》到我的文库`), a title the top of
  the pages prints twice in a row, or one that stands right above a learned line: a title
  capture.
"""

from __future__ import annotations

from ..engine.rx import matching_view
from ..rulebook.types import META_FIELDS
from .config import LearnConfig
from .draft import Proposal, unique_name
from .evidence import HEADING, line_form
from .shape import NUMBER_MARK, TITLE_MARK, body_pattern, folded, line_pattern, literal_chars
from .stats import GroupStats, LineTally

Accepted = dict[str, tuple[LineTally, str]]  # learned line shapes: their tally and evidence


def label_rules(stats: GroupStats, cfg: LearnConfig) -> list[Proposal]:
    """Labels that start lines with varying values: captures of fields, strips of the rest."""
    out = []
    names: set[str] = set()
    for label, t in stats.prefixes:
        seen = t.seen
        if not cfg.supported(seen, stats.pages) or len(t.values) < min(seen, 3):
            continue
        in_frame = t.frame >= cfg.min_frame * seen
        name = field_of(label, cfg)
        prefix = f"^[ \\t]*{body_pattern(folded(label))}[ \\t]*"
        if name is not None:
            longest = min(200, 2 * t.value_chars)
            value = (  # a number may be followed by a unit or more counters
                r"(?P<value>\d[\d,]*)"
                if META_FIELDS[name] is int
                else rf"(?P<value>[^\n]{{1,{longest}}}?)[ \t]*$"
            )
            out.append(
                Proposal(
                    "meta",
                    {
                        "field": name,
                        "pattern": prefix + value,
                        "why": f"the {name} after the label '{label}'",
                        "examples": _views(t.examples),
                    },
                    seen,
                )
            )
            if in_frame and t.value_chars <= cfg.short_chars:
                out.append(
                    Proposal(
                        "text",
                        {
                            "id": unique_name(names, f"label-{name.replace('_', '-')}"),
                            "kind": "drop_line",
                            "pattern": f"{prefix}[^\\n]{{1,{min(200, 2 * t.value_chars)}}}$",
                            "why": f"the '{label}' line of the page frame",
                            "examples": list(t.examples),
                        },
                        seen,
                        lines=(folded(label),),
                    )
                )
            continue
        bare = label.rstrip(":| ").strip()
        if (
            in_frame
            and bare not in cfg.document_labels
            and line_form(label, cfg) != HEADING
            and t.value_chars >= cfg.prose_chars
        ):
            out.append(
                Proposal(
                    "text",
                    {
                        "id": unique_name(names, "label"),
                        "kind": "strip",
                        "pattern": prefix + r"(?=\S)",
                        "why": f"the label '{label}' before the page's own text",
                        "examples": list(t.examples),
                    },
                    seen,
                    lines=(folded(label),),
                )
            )
    return out


def title_captures(accepted: Accepted, cfg: LearnConfig) -> list[Proposal]:
    """A learned line that carries the page's title (`收藏《title》到我的文库`): it gives the
    title."""
    best = [
        (t.seen, key, t)
        for key, (t, _) in accepted.items()
        if key.count(TITLE_MARK) == 1 and literal_chars(key) >= 3
    ]
    if not best:
        return []
    seen, key, t = max(best, key=lambda x: (x[0], x[1]))
    return [
        Proposal(
            "meta",
            {
                "field": "title",
                "pattern": line_pattern(key, cfg.title_chars, title_group=True),
                "why": "the title, in a line of the page frame that carries it",
                "examples": _views(t.examples),
            },
            seen,
        )
    ]


def repeat_title_capture(stats: GroupStats, cfg: LearnConfig) -> list[Proposal]:
    """A title the top of the pages prints twice in a row (a list entry and a heading), when
    it differs from page to page (a line that does not is chrome, not a title)."""
    varied = len(stats.repeat_title_values) >= min(stats.repeat_titles, 3)
    t = stats.repeat_title_example
    if not (cfg.supported(stats.repeat_titles, stats.pages) and varied and t):
        return []
    keys = {
        "field": "title",
        "pattern": _title_line_then(r"[ \t]*(?P=value)[ \t]*$", cfg),
        "why": "the title, printed twice in a row near the top",
        "examples": [f"{t}\n\n{t}"],
    }
    return [Proposal("meta", keys, stats.repeat_titles)]


def title_above_capture(accepted: Accepted, pages: int, cfg: LearnConfig) -> list[Proposal]:
    """A learned line that the page's title stands right above, on enough pages (a title line
    over a fixed line, both in the page frame: the rule that takes the frame takes the title
    line too, and this capture keeps the title)."""
    best = [
        (t.title_above, key, t)
        for key, (t, _) in accepted.items()
        if t.title_example is not None
        and cfg.supported(t.title_above, pages)
        and literal_chars(key) >= 3
        and TITLE_MARK not in key
    ]
    if not best:
        return []
    seen, key, t = max(best, key=lambda x: (x[0], x[1]))
    keys = {
        "field": "title",
        "pattern": _title_line_then(line_pattern(key, cfg.title_chars), cfg),
        "why": "the title, on the line above a line of the page frame",
        "examples": _views([t.title_example]),
    }
    return [Proposal("meta", keys, seen)]


def _title_line_then(after: str, cfg: LearnConfig) -> str:
    """A line that is the title (the group `value`), blank lines, then a line of `after`."""
    return f"^[ \\t]*(?P<value>[^\\n]{{4,{cfg.title_chars}}}?)[ \\t]*\\n(?:[ \\t]*\\n)*{after}"


def number_captures(accepted: Accepted, cfg: LearnConfig) -> list[Proposal]:
    """A number next to a field word in a learned line (`浏览 1,234`, `1,234 views`)."""
    out = []
    for key, (t, _) in accepted.items():
        parts = key.split(NUMBER_MARK)
        if len(parts) < 2 or TITLE_MARK in key:
            continue
        for i in range(len(parts) - 1):
            left, right = parts[i].rstrip(": "), parts[i + 1].lstrip(" ")
            name = next(
                (
                    n
                    for n, words in cfg.fields.items()
                    if META_FIELDS[n] is int
                    and any(left.endswith(w) or right.startswith(w) for w in words)
                ),
                None,
            )
            if name is None:
                continue
            before = NUMBER_MARK.join(parts[: i + 1])
            after = NUMBER_MARK.join(parts[i + 1 :])
            pattern = (
                f"^[ \\t]*{body_pattern(before)}(?P<value>\\d[\\d,]*){body_pattern(after)}[ \\t]*$"
            )
            out.append(
                Proposal(
                    "meta",
                    {
                        "field": name,
                        "pattern": pattern,
                        "why": f"the {name} in a learned line",
                        "examples": _views(t.examples),
                    },
                    t.seen,
                )
            )
            break
    return out


def field_of(label: str, cfg: LearnConfig) -> str | None:
    bare = label.rstrip(":| ").strip()
    for name, words in cfg.fields.items():
        if bare in words:
            return name
    return None


def _views(examples: list[str]) -> list[str]:
    """Examples as captures see the page (full-width forms folded): a capture's examples are
    matched as they are written."""
    return [matching_view(x) for x in examples]
