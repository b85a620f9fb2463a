"""From a group's counts to rules: what repeats, generalised, kept only with evidence.

- a line shape on enough pages, with chrome evidence (`evidence`): a `drop_line`;
- such lines that follow each other on their pages: one `drop_block`;
- the lowest of them in the head whose lines above are all frame lines on its pages: a
  `cut_before` (everything above it goes, whatever it says); the highest in the tail: a
  `cut_after`;
- a label that starts lines with varying values (`上传人:jane`): a `[[meta]]` capture when it
  names a field, a `strip` of the label when the value is the page's own text;
- a number next to a field word in a learned line (`浏览 1,234`): a `[[meta]]` capture;
- a header printed twice on enough pages: a `drop_repeat`; a title printed twice: a title
  capture; the title glued to the text on enough pages: `[title] glued`.

Every rule is then tested on the group's body sample: a rule that fires on a body line is
dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine.rx import Rx, matching_view
from ..rulebook.types import META_FIELDS
from .config import LearnConfig
from .evidence import HEADING, chrome_evidence, line_form, nonspace
from .shape import (
    NUMBER_MARK,
    TITLE_MARK,
    body_pattern,
    folded,
    line_pattern,
    literal_chars,
    rule_name,
)
from .stats import GroupStats, LineTally, label_of

KEEPS = 2


@dataclass
class Proposal:
    """One rule of a learned pack: its TOML table, its keys in order, and its support."""

    table: str  # "text", "meta" or "html"
    keys: dict[str, Any]
    support: int
    note: str = ""
    lines: tuple[str, ...] = ()  # the shapes it stands for (a block: several)


@dataclass
class Draft:
    """Everything learned for one group, before it is written."""

    rules: list[Proposal] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    title_glued: int = 0  # pages that show it (0: not learned)


def propose(stats: GroupStats, cfg: LearnConfig) -> Draft:
    draft = Draft()
    accepted = _accepted_lines(stats, cfg)
    labels = {label for label, t in stats.prefixes if cfg.supported(t.seen, stats.pages)}
    body = [
        (v, key)
        for v, key in stats.body
        if key not in accepted and (label_of(v, cfg) or ("",))[0] not in labels
    ]
    prefixes = _prefix_rules(stats, cfg)
    labelled = {p.lines[0] for p in prefixes if p.table == "text"}  # their lines are dropped
    captured = {p.keys["field"] for p in prefixes if p.table == "meta"}
    accepted = {k: v for k, v in accepted.items() if not k.startswith(tuple(labelled))}
    lines = _title_captures(accepted, cfg)
    lines += _line_rules(stats, accepted, cfg)
    lines += _cuts(stats, accepted, cfg)
    lines += prefixes
    lines += [p for p in _number_captures(accepted, cfg) if p.keys["field"] not in captured]
    lines += _title_rules(stats, draft, cfg)
    for p in lines:
        if p.table == "text" and _fires_on_body(p, body):
            continue
        if p.table == "text" and p.keys["kind"] in ("drop_line", "strip"):
            keeps = _keeps(p, body)
            if keeps:
                p.keys["keeps"] = keeps
        draft.rules.append(p)
    draft.fingerprints = _fingerprints(accepted)
    unique_ids(draft.rules)
    return draft


def unique_ids(rules: list[Proposal]) -> None:
    """Rename rules whose id an earlier rule has: ids are unique in a pack."""
    names: set[str] = set()
    for p in rules:
        if "id" in p.keys:
            p.keys["id"] = _unique(names, p.keys["id"])


def _accepted_lines(stats: GroupStats, cfg: LearnConfig) -> dict[str, tuple[LineTally, str]]:
    """The line shapes that are chrome, with their tally and the evidence."""
    out: dict[str, tuple[LineTally, str]] = {}
    for key, t in stats.lines:
        if key == TITLE_MARK or literal_chars(key) < 2 or not t.examples:
            continue
        seen = t.seen
        if seen <= 0:
            continue
        why = chrome_evidence(folded(t.examples[0]), seen, stats.pages, t.frame / seen, cfg, t.vote)
        if why:
            out[key] = (t, why)
    return out


def _line_rules(
    stats: GroupStats, accepted: dict[str, tuple[LineTally, str]], cfg: LearnConfig
) -> list[Proposal]:
    """`drop_line` for each accepted shape, and a `drop_block` for a run of shapes that follow
    each other on (nearly) every page they are on."""
    follows: dict[str, str] = {}  # shape -> the accepted shape that follows it
    for key, (t, _) in accepted.items():
        nxt = t.next_key
        if nxt in accepted and nxt != key and t.next_agree >= cfg.consistent * t.seen:
            follows[key] = nxt
    heads = [k for k in accepted if k not in set(follows.values())]
    out: list[Proposal] = []
    names: set[str] = set()
    done: set[str] = set()
    for head in heads:
        run = [head]
        while run[-1] in follows and follows[run[-1]] not in run:
            run.append(follows[run[-1]])
        done.update(run)
        tallies = [accepted[k][0] for k in run]
        support = min(t.seen for t in tallies)
        if len(run) == 1:
            t, why = accepted[head]
            out.append(_drop_line(head, t, why, support, names, cfg))
            continue
        gaps = sum(t.gap or 1 for t in tallies[:-1])
        name = _unique(names, f"{_side(tallies[0])}-block")
        out.append(
            Proposal(
                "text",
                {
                    "id": name,
                    "kind": "drop_block",
                    "start": line_pattern(run[0], cfg.title_chars),
                    "end": line_pattern(run[-1], cfg.title_chars),
                    "max_lines": gaps + 2,
                    "why": f"{len(run)} lines that follow each other: {accepted[head][1]}",
                    "examples": ["\n".join(t.examples[0] for t in tallies)],
                },
                support,
                lines=tuple(run),
            )
        )
    for key in accepted.keys() - done:  # a loop of shapes: each on its own
        t, why = accepted[key]
        out.append(_drop_line(key, t, why, t.seen, names, cfg))
    return out


def _drop_line(
    key: str, t: LineTally, why: str, support: int, names: set[str], cfg: LearnConfig
) -> Proposal:
    keys = {
        "id": _unique(names, rule_name(key, f"{_side(t)}-line")),
        "kind": "drop_line",
        "pattern": line_pattern(key, cfg.title_chars),
        "why": why,
        "examples": list(t.examples),
    }
    return Proposal("text", keys, support, lines=(key,))


def _cuts(
    stats: GroupStats, accepted: dict[str, tuple[LineTally, str]], cfg: LearnConfig
) -> list[Proposal]:
    """The deepest head anchor (`cut_before`) and the highest tail anchor (`cut_after`)."""
    out = []
    for kind, ok, share in (
        ("cut_before", "head_ok", "head_share"),
        ("cut_after", "tail_ok", "tail_share"),
    ):
        best = None
        for key, (t, _) in accepted.items():
            anchored = getattr(t, ok) >= cfg.consistent * t.seen and getattr(t, share) > 0
            if anchored and (best is None or getattr(t, share) > getattr(best[1], share)):
                best = (key, t)
        if best is None:
            continue
        key, t = best
        within = round(min(cfg.cut_max, getattr(t, share) + cfg.cut_margin), 2)
        where = "above" if kind == "cut_before" else "below"
        out.append(
            Proposal(
                "text",
                {
                    "id": "cut-top" if kind == "cut_before" else "cut-bottom",
                    "kind": kind,
                    "pattern": line_pattern(key, cfg.title_chars),
                    "within": within,
                    "why": f"everything {where} this line is page frame on its pages",
                    "examples": [t.examples[0]],
                },
                getattr(t, ok),
                lines=(key,),
            )
        )
    return out


def _prefix_rules(stats: GroupStats, cfg: LearnConfig) -> list[Proposal]:
    """Labels that start lines with varying values: captures of fields, strips of the rest."""
    out = []
    names: set[str] = set()
    for label, t in stats.prefixes:
        seen = t.seen
        if not cfg.supported(seen, stats.pages) or len(t.values) < min(seen, 3):
            continue
        in_frame = t.frame >= cfg.min_frame * seen
        name = _field_of(label, cfg)
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
                        "examples": list(t.examples),
                    },
                    seen,
                )
            )
            if in_frame and t.value_chars <= cfg.short_chars:
                out.append(
                    Proposal(
                        "text",
                        {
                            "id": _unique(names, f"label-{name.replace('_', '-')}"),
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
                        "id": _unique(names, "label"),
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


def _title_captures(accepted: dict[str, tuple[LineTally, str]], cfg: LearnConfig) -> list[Proposal]:
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
                "examples": list(t.examples),
            },
            seen,
        )
    ]


def _field_of(label: str, cfg: LearnConfig) -> str | None:
    bare = label.rstrip(":| ").strip()
    for name, words in cfg.fields.items():
        if bare in words:
            return name
    return None


def _number_captures(
    accepted: dict[str, tuple[LineTally, str]], cfg: LearnConfig
) -> list[Proposal]:
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
                        "examples": list(t.examples),
                    },
                    t.seen,
                )
            )
            break
    return out


def _title_rules(stats: GroupStats, draft: Draft, cfg: LearnConfig) -> list[Proposal]:
    out = []
    pages = stats.pages
    if cfg.supported(stats.repeat_pages, pages) and stats.repeat_example:
        out.append(
            Proposal(
                "text",
                {
                    "id": "printed-twice",
                    "kind": "drop_repeat",
                    "within": round(min(cfg.repeat_max, stats.repeat_share + cfg.repeat_margin), 2),
                    "max_lines": stats.repeat_lines,
                    "why": "a header block the page prints twice in a row",
                    "examples": [stats.repeat_example],
                },
                stats.repeat_pages,
            )
        )
    varied = len(stats.repeat_title_values) >= min(stats.repeat_titles, 3)
    if cfg.supported(stats.repeat_titles, pages) and varied and stats.repeat_title_example:
        t = stats.repeat_title_example
        out.append(
            Proposal(
                "meta",
                {
                    "field": "title",
                    "pattern": (
                        f"^[ \\t]*(?P<value>[^\\n]{{4,{cfg.title_chars}}}?)[ \\t]*\\n"
                        "(?:[ \\t]*\\n)*[ \\t]*(?P=value)[ \\t]*$"
                    ),
                    "why": "the title, printed twice in a row near the top",
                    "examples": [f"{t}\n\n{t}"],
                },
                stats.repeat_titles,
            )
        )
    if cfg.supported(stats.glued, pages):
        draft.title_glued = stats.glued
    return out


def _fingerprints(accepted: dict[str, tuple[LineTally, str]]) -> list[str]:
    """The most frequent learned lines without numbers or title: the site's own chrome."""
    plain = [
        (t.seen, key)
        for key, (t, _) in accepted.items()
        if NUMBER_MARK not in key and TITLE_MARK not in key and literal_chars(key) >= 4
    ]
    return [line_pattern(key) for _, key in sorted(plain, key=lambda x: (-x[0], x[1]))[:3]]


def _patterns(p: Proposal) -> list[Rx]:
    keys = p.keys
    if keys["kind"] == "drop_repeat":
        return []
    if keys["kind"] == "drop_block":
        return [Rx(keys["start"])]
    return [Rx(keys["pattern"])]


def _fires_on_body(p: Proposal, body: list[tuple[str, str]]) -> bool:
    """Whether a rule's pattern finds a line of the body sample."""
    return any(rx.search(matching_view(line)) for rx in _patterns(p) for line, _ in body)


def _keeps(p: Proposal, body: list[tuple[str, str]]) -> list[str]:
    """Body lines most like the rule's example (shared character pairs) that it leaves."""
    example = p.keys["examples"][0]
    pairs = {example[i : i + 2] for i in range(len(example) - 1)}
    scored = []
    for line, _ in body:
        if nonspace(line) < 4 or "'" in line or "\\" in line:
            continue
        score = sum(1 for i in range(len(line) - 1) if line[i : i + 2] in pairs)
        if score:
            scored.append((-score, len(line), line))
    return [line[:120] for _, _, line in sorted(scored)[:KEEPS] if len(line) <= 120]


def _side(t: LineTally) -> str:
    """Where a learned line stands: on top of the text or below it."""
    return "top" if t.head_ok >= t.tail_ok else "bottom"


def _unique(names: set[str], name: str) -> str:
    """`name`, or `name-2`, `name-3`… when it is taken: rule ids are unique in a pack."""
    base, n = name, 2
    while name in names:
        name = f"{base}-{n}"
        n += 1
    names.add(name)
    return name
