"""Safety: repetition alone is not chrome. A repeated line becomes a rule only with support on
several pages (`LearnConfig.supported`) *and* evidence that it is chrome, from its form and its
place in the page:

- never a numbered heading (`第一章`, `一、`, `1.2 …`) or a line that ends with a colon (a
  salutation such as `同志们:` or `各位领导、各位来宾:`, a label above what follows);
- never a short line that ends a sentence (`谢谢大家!`);
- a short line (no sentence end, up to `short_chars`) must stand in the page frame (near the top
  or the bottom) on `min_frame` of its pages;
- a longer line (a notice) must also be on `ubiquitous_share` of the group's pages;
- or the content-region model votes chrome (`vote`): see `observe.region_votes`, where the
  pipeline's per-line vote is to be read once the model exists.
"""

from __future__ import annotations

from .config import LearnConfig

HEADING, LABEL, PROSE, SHORT, LONG = "heading", "label", "prose", "short", "long"


def nonspace(text: str) -> int:
    return len("".join(text.split()))


def line_form(line: str, cfg: LearnConfig) -> str:
    """What a (folded, stripped) line looks like: a heading, a label, prose, a short or a long
    line without a sentence end."""
    if cfg.headings.match(line):
        return HEADING
    last = line[-1:]
    if last in cfg.label_end:
        return LABEL
    if last in cfg.sentence_end:
        return PROSE
    return SHORT if nonspace(line) <= cfg.short_chars else LONG


def frame_like(form: str, line: str, cfg: LearnConfig) -> bool:
    """A line that can stand in a page's frame: no heading, label or sentence, title-sized.
    The lines above a learned head anchor (below a tail anchor) must all be such lines."""
    return form in (SHORT, LONG) and nonspace(line) <= cfg.title_chars


def chrome_evidence(
    line: str,
    pages: int,
    group_pages: int,
    frame: float,
    cfg: LearnConfig,
    vote: float | None = None,
) -> str | None:
    """Why a line seen on `pages` of the group's `group_pages` pages is chrome, or None.

    `frame` is the share of its pages where it stood in the page frame; `vote` the mean chrome
    vote of the content-region model (None while there is none).
    """
    if not cfg.supported(pages, group_pages):
        return None
    form = line_form(line, cfg)
    if form in (HEADING, LABEL):
        return None
    if vote is not None and vote >= 0.5:
        return "the content-region model votes chrome"
    if frame < cfg.min_frame:
        return None
    if form == SHORT:
        return "a short line in the page frame"
    ubiquitous = pages >= cfg.ubiquitous_share * group_pages
    if ubiquitous and (form == LONG or nonspace(line) >= cfg.prose_chars):
        return "a notice on most pages, in the page frame"
    return None
