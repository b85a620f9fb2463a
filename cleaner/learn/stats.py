"""What one group of pages (a site, or a template) shows, counted as its pages stream by.

Everything here is bounded: the counters keep a fixed number of candidates (`counter`), the
examples and value sets a few items each, the body sample a fixed number of lines. A group of
ten pages and a group of a million take the same memory.
"""

from __future__ import annotations

import zlib
from collections import Counter

import regex

from .config import LearnConfig
from .counter import BottomK, Tally, TopCounter
from .observe import PageView

EXAMPLES = 3
VALUES = 8  # distinct values a prefix must show to count as varying
_LABEL = regex.compile(r"^(?P<label>[^:|]{1,16}?) ?(?P<sep>[:|]) ?(?P<value>\S.*)$")


class LineTally(Tally):
    """A line shape: where it stood on its pages, what followed it, a few examples."""

    __slots__ = (
        "examples",
        "frame",
        "gap",
        "head_ok",
        "head_share",
        "next_agree",
        "next_key",
        "tail_ok",
        "tail_share",
        "title_above",
        "title_example",
        "vote_n",
        "vote_sum",
    )

    def __init__(self) -> None:
        super().__init__()
        self.frame = self.head_ok = self.tail_ok = self.next_agree = 0
        self.head_share = self.tail_share = self.vote_sum = 0.0
        self.vote_n = self.gap = 0
        self.next_key: str | None = None
        self.examples: list[str] = []
        self.title_above = 0  # pages where the line above it is the page's title
        self.title_example: str | None = None  # such a title and the line, as written

    @property
    def vote(self) -> float | None:
        return self.vote_sum / self.vote_n if self.vote_n else None


class PrefixTally(Tally):
    """A label that starts lines (`上传人:`), with the values that follow it."""

    __slots__ = ("examples", "frame", "value_chars", "values")

    def __init__(self) -> None:
        super().__init__()
        self.frame = self.value_chars = 0
        self.values: set[int] = set()
        self.examples: list[str] = []


def _example(examples: list[str], text: str) -> None:
    if len(examples) < EXAMPLES and text not in examples:
        examples.append(text)


def label_of(view: str, cfg: LearnConfig) -> tuple[str, str] | None:
    """(label, value) of a folded line that starts with a label (`上传人:jane`, `Uploaded by
    jane`), else None."""
    m = cfg.field_word.match(view)
    if m is not None:
        return m["label"], m["value"]
    m = _LABEL.match(view)
    if m is None or any(c in cfg.sentence_end for c in m["label"]):
        return None
    return m["label"] + m["sep"], m["value"]


class GroupStats:
    """The counts of one group."""

    def __init__(self, key: str, cfg: LearnConfig):
        self.key = key
        self.cfg = cfg
        self.pages = 0
        self.lines: TopCounter[LineTally] = TopCounter(cfg.lines_capacity, LineTally)
        self.prefixes: TopCounter[PrefixTally] = TopCounter(cfg.prefixes_capacity, PrefixTally)
        self.body: BottomK[str] = BottomK(cfg.body_sample)  # folded line -> its shape
        self.sites: Counter[str] = Counter()  # the site the packs in use found, by page
        self.hosts: Counter[str] = Counter()
        self.repeat_pages = self.repeat_lines = 0
        self.repeat_share = 0.0
        self.repeat_example: str | None = None
        self.repeat_titles = 0
        self.repeat_title_values: set[str] = set()
        self.repeat_title_example: str | None = None
        self.glued = 0
        self.nodes = None  # `nodes.NodeStats`, made on the first HTML page

    def add(self, view: PageView, site: str | None, host: str | None) -> None:
        self.pages += 1
        if site is not None and (site in self.sites or len(self.sites) < 16):
            self.sites[site] += 1
        if host is not None and (host in self.hosts or len(self.hosts) < 16):
            self.hosts[host] += 1
        self._add_lines(view)
        self._add_prefixes(view)
        self._add_title(view)

    def _add_lines(self, view: PageView) -> None:
        seen: set[str] = set()
        for i, line in enumerate(view.lines):
            self.body.add(line.view, line.key)
            if line.key in seen:
                continue
            seen.add(line.key)
            t = self.lines.hit(line.key)
            _example(t.examples, line.text)
            t.frame += line.frame
            if line.head_ok:
                t.head_ok += 1
                t.head_share = max(t.head_share, line.share_before)
            if line.tail_ok:
                t.tail_ok += 1
                t.tail_share = max(t.tail_share, line.share_after)
            if line.vote is not None:
                t.vote_sum += line.vote
                t.vote_n += 1
            above = view.lines[i - 1] if i else None
            if above is not None and above.view == view.title:
                t.title_above += 1
                t.title_example = t.title_example or f"{above.text}\n{line.text}"
            nxt = view.lines[i + 1].key if i + 1 < len(view.lines) else None
            if t.next_key is None and t.seen == 1:
                t.next_key = nxt
            if nxt is not None and nxt == t.next_key:
                t.next_agree += 1
                t.gap = max(t.gap, line.gap)

    def _add_prefixes(self, view: PageView) -> None:
        seen: set[str] = set()
        for line in view.lines:
            found = label_of(line.view, self.cfg)
            if found is None or found[0] in seen:
                continue
            label, value = found
            seen.add(label)
            t = self.prefixes.hit(label)
            t.frame += line.frame
            t.value_chars = max(t.value_chars, len(value))
            if len(t.values) < VALUES:
                t.values.add(zlib.crc32(value.encode("utf-8", "surrogatepass")))
            _example(t.examples, line.text)

    def _add_title(self, view: PageView) -> None:
        if view.repeat is not None:
            self.repeat_pages += 1
            self.repeat_lines = max(self.repeat_lines, view.repeat.lines)
            self.repeat_share = max(self.repeat_share, view.repeat.share)
            if self.repeat_example is None or len(view.repeat.text) < len(self.repeat_example):
                self.repeat_example = view.repeat.text
        if view.repeat_title is not None:
            self.repeat_titles += 1
            if len(self.repeat_title_values) < VALUES:
                self.repeat_title_values.add(view.repeat_title)
            self.repeat_title_example = self.repeat_title_example or view.repeat_title
        self.glued += view.glued
