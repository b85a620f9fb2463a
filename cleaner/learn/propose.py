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

from ..engine.rx import Rx, matching_view
from .captures import (
    Accepted,
    label_rules,
    number_captures,
    repeat_title_capture,
    title_above_capture,
    title_captures,
)
from .config import LearnConfig
from .draft import Draft, Proposal, unique_ids, unique_name
from .evidence import chrome_evidence, nonspace
from .shape import NUMBER_MARK, TITLE_MARK, folded, line_pattern, literal_chars, rule_name
from .stats import GroupStats, LineTally, label_of

KEEPS = 2
KEEP_CHARS = 120  # a keep longer than this would not read as one


def propose(stats: GroupStats, cfg: LearnConfig) -> Draft:
    draft = Draft()
    accepted = _accepted_lines(stats, cfg)
    labels = {label for label, t in stats.prefixes if cfg.supported(t.seen, stats.pages)}
    body = [
        (v, key)
        for v, key in stats.body
        if key not in accepted and (label_of(v, cfg) or ("",))[0] not in labels
    ]
    labels = label_rules(stats, cfg)
    labelled = tuple(p.lines[0] for p in labels if p.table == "text")  # lines they handle
    captured = {p.keys["field"] for p in labels if p.table == "meta"}
    accepted = {k: v for k, v in accepted.items() if not k.startswith(labelled)}
    proposals = title_captures(accepted, cfg) + repeat_title_capture(stats, cfg)
    proposals += title_above_capture(accepted, stats.pages, cfg)
    proposals += _line_rules(stats, accepted, cfg)
    proposals += _cuts(stats, accepted, cfg)
    proposals += _printed_twice(stats, cfg)
    proposals += labels
    proposals += [p for p in number_captures(accepted, cfg) if p.keys["field"] not in captured]
    if cfg.supported(stats.glued, stats.pages):
        draft.title_glued = stats.glued
    for p in proposals:
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


def _accepted_lines(stats: GroupStats, cfg: LearnConfig) -> Accepted:
    """The line shapes that are chrome, with their tally and the evidence."""
    out: Accepted = {}
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


def _line_rules(stats: GroupStats, accepted: Accepted, cfg: LearnConfig) -> list[Proposal]:
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
        name = unique_name(names, f"{_side(tallies[0])}-block")
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
        "id": unique_name(names, rule_name(key, f"{_side(t)}-line")),
        "kind": "drop_line",
        "pattern": line_pattern(key, cfg.title_chars),
        "why": why,
        "examples": list(t.examples),
    }
    return Proposal("text", keys, support, lines=(key,))


def _cuts(stats: GroupStats, accepted: Accepted, cfg: LearnConfig) -> list[Proposal]:
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


def _printed_twice(stats: GroupStats, cfg: LearnConfig) -> list[Proposal]:
    """A header block the pages print twice in a row near their top: `drop_repeat`."""
    if not (cfg.supported(stats.repeat_pages, stats.pages) and stats.repeat_example):
        return []
    keys = {
        "id": "printed-twice",
        "kind": "drop_repeat",
        "within": round(min(cfg.repeat_max, stats.repeat_share + cfg.repeat_margin), 2),
        "max_lines": stats.repeat_lines,
        "why": "a header block the page prints twice in a row",
        "examples": [stats.repeat_example],
    }
    return [Proposal("text", keys, stats.repeat_pages)]


def _fingerprints(accepted: Accepted) -> list[str]:
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
        if nonspace(line) < 4 or len(line) > KEEP_CHARS:
            continue
        score = sum(1 for i in range(len(line) - 1) if line[i : i + 2] in pairs)
        if score:
            scored.append((-score, len(line), line))
    return [line for _, _, line in sorted(scored)[:KEEPS]]


def _side(t: LineTally) -> str:
    """Where a learned line stands: on top of the text or below it."""
    return "top" if t.head_ok >= t.tail_ok else "bottom"
