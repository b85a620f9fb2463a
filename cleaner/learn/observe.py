"""One page, as the learner sees it: the lines the packs in use leave (with their place in the
page), the page's title, a header printed twice, and for HTML pages its nodes (`learn.nodes`).

The page is cleaned first with the packs that will run anyway (bundled, `--rules`, generic):
what they remove is not learned again, and the lines are those of the text the text rules see
(`Cleaned.source_text`, for HTML the text after the DOM rules).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from ..describe.normalize import SPACE_RULE
from ..engine.text import apply_rule
from ..page import Cleaned
from ..region.model import REGION
from ..rulebook.types import TextRule
from .config import LearnConfig
from .evidence import frame_like, line_form, nonspace
from .shape import MIN_TITLE, folded, shape

REPEAT_MAX_LINES = 12  # the longest block a header printed twice is looked for with
TOP_LINES = 60  # the top of a page, where its title is looked for


@dataclass(slots=True)
class Line:
    """A line that the packs in use leave whole."""

    number: int  # its line number in `Cleaned.source_text`, from 0
    text: str  # as written, stripped
    view: str  # folded (see `shape.folded`)
    key: str  # its shape
    form: str
    frame: bool  # near the top or the bottom of the page
    head_ok: bool  # every kept line above it can stand in a page frame
    tail_ok: bool  # every kept line below it can
    share_before: float  # of the page's kept non-space text
    share_after: float
    gap: int = 0  # source lines from this line to the next kept one
    vote: float | None = None


@dataclass(slots=True)
class Repeat:
    """A block of lines the page prints twice in a row near its top."""

    lines: int
    share: float  # of the page's non-space text above it
    text: str  # both copies, as written


@dataclass(slots=True)
class PageView:
    lines: list[Line] = field(default_factory=list)
    title: str | None = None  # folded
    repeat_title: str | None = None  # a title-like line the page prints twice in a row
    glued: bool = False  # the title is glued to the start of a later line's text
    repeat: Repeat | None = None


def observe(cleaned: Cleaned, cfg: LearnConfig) -> PageView:
    source = cleaned.source_text
    view = PageView(repeat=header_repeat(source, cfg))
    rows = _kept(source, cleaned)
    top = [folded(x) for x in source.split("\n", TOP_LINES)[:TOP_LINES] if x.strip()]
    view.repeat_title = _repeat_title(top, cfg)
    # a line the top prints twice in a row names the document better than the title the
    # cleaning found, which may be a collection's heading above it
    title = cleaned.metadata.get("title")
    view.title = view.repeat_title or (folded(title) if title else None)
    view.title = view.title or _recurring_title(top, cfg)
    sizes = [nonspace(v) for _, _, v, _ in rows]
    total = sum(sizes) or 1
    forms = [line_form(v, cfg) for _, _, v, _ in rows]
    ok = [frame_like(f, row[2], cfg) for f, row in zip(forms, rows, strict=True)]
    head_ok = _running_all(ok)
    tail_ok = _running_all(ok[::-1])[::-1]
    before = 0
    n = len(rows)
    for i, ((number, text, v, gap), form) in enumerate(zip(rows, forms, strict=True)):
        after = total - before - sizes[i]
        frame = (
            i < cfg.frame_lines
            or i >= n - cfg.frame_lines
            or before <= cfg.frame_share * total
            or after <= cfg.frame_share * total
        )
        view.lines.append(
            Line(
                number,
                text,
                v,
                shape(v, view.title),
                form,
                frame,
                head_ok[i],
                tail_ok[i],
                before / total,
                after / total,
                gap,
            )
        )
        before += sizes[i]
    for line, vote in zip(view.lines, region_votes(cleaned, view.lines), strict=True):
        line.vote = vote
    view.glued = _glued(view, cfg)
    return view


def region_votes(cleaned: Cleaned, lines: list[Line]) -> list[float | None]:
    """The content-region model's chrome vote for each kept line: its chrome probability where
    the model removed the line or came near to, else None (a line it kept at ease, or a page
    it did not read). The learner counts a vote of 0.5 or more as chrome evidence
    (`evidence.chrome_evidence`)."""
    region = cleaned.region
    if region is None:
        return [None] * len(lines)
    starts, pos = [], 0
    for line in cleaned.source_text.split("\n"):
        starts.append(pos)
        pos += len(line) + 1
    votes = {bisect_right(starts, d.start) - 1: d.p for d in region.decisions}
    return [votes.get(line.number) for line in lines]


def _kept(source: str, cleaned: Cleaned) -> list[tuple[int, str, str, int]]:
    """(line number, text, folded text, source lines to the next kept line) of each line no
    rule touched."""
    # the lines as the packs leave them: what the region model removes is learned too (as its
    # vote), so that the site's pack says it in rules a person can read
    cuts = [
        (r.start, r.end)
        for r in cleaned.removals
        if r.rule != SPACE_RULE and not r.rule.startswith(REGION)
    ]
    rows: list[tuple[int, str, str, int]] = []
    pos = j = 0
    last = None  # source line number of the last kept line
    for number, line in enumerate(source.split("\n")):
        a, b = pos, pos + len(line)
        pos = b + 1
        text = line.strip()
        if not text:
            continue
        while j < len(cuts) and cuts[j][1] <= a:
            j += 1
        if j < len(cuts) and cuts[j][0] < b:
            continue
        if last is not None:
            rows[-1] = (*rows[-1][:3], number - last)
        rows.append((number, text, folded(text), 0))
        last = number
    return rows


def _running_all(flags: list[bool]) -> list[bool]:
    """For each place, whether every flag before it is true."""
    out, good = [], True
    for flag in flags:
        out.append(good)
        good = good and flag
    return out


def header_repeat(source: str, cfg: LearnConfig) -> Repeat | None:
    """The first block the page prints twice in a row in the top of its frame (the
    `drop_repeat` engine)."""
    rule = TextRule(
        "learn/repeat", "drop_repeat", "", within=cfg.frame_share, max_lines=REPEAT_MAX_LINES
    )
    found = apply_rule(rule, source).removals
    if not found:
        return None
    r = found[0]
    text = source[r.start : r.end]
    lines = sum(1 for line in text.split("\n") if line.strip()) // 2
    total = nonspace(source) or 1
    return Repeat(lines, nonspace(source[: r.start]) / total, text.strip("\n"))


def _title_like(line: str, cfg: LearnConfig) -> bool:
    return len(line) >= MIN_TITLE and frame_like(line_form(line, cfg), line, cfg)


def _repeat_title(top: list[str], cfg: LearnConfig) -> str | None:
    """A title-like line that the top of the page (`top`: its first lines, folded) prints twice
    in a row (a list entry and a heading, say); None when there is none."""
    for a, b in pairwise(top[: 2 * cfg.frame_lines + 1]):
        if a == b and _title_like(a, cfg):
            return a
    return None


def _recurring_title(top: list[str], cfg: LearnConfig) -> str | None:
    """A title-like line near the top that recurs inside another line (`收藏《title》`,
    `title_第1页`, the title glued to the text): the page's own title."""
    for line in top[: cfg.frame_lines]:
        if _title_like(line, cfg) and any(line in other and line != other for other in top):
            return line
    return None


def _glued(view: PageView, cfg: LearnConfig) -> bool:
    """Whether a line near the top starts with the title glued to its next word."""
    title = view.title
    if not title:
        return False
    for line in view.lines[: 2 * cfg.frame_lines]:
        if line.view.startswith(title) and len(line.view) > len(title):
            return not line.view[len(title)].isspace()
    return False
