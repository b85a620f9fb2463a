"""The learner's thresholds and vocabularies, read from `rules/_learn.toml` (data, not code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex

from ..rulebook.load import BUNDLED_RULES

CONFIG_FILE = "_learn.toml"


@dataclass(frozen=True)
class LearnConfig:
    """Every number and word list the learner decides with; `rules/_learn.toml` says what each
    one means."""

    group_min_pages: int
    max_templates: int
    template_lines: int
    template_overlap: float
    template_chrome: float
    min_pages: int
    min_share: float
    ubiquitous_share: float
    consistent: float
    frame_share: float
    frame_lines: int
    min_frame: float
    cut_margin: float
    cut_max: float
    repeat_margin: float
    repeat_max: float
    short_chars: int
    prose_chars: int
    title_chars: int
    sentence_end: frozenset[str]
    label_end: frozenset[str]
    headings: Any  # one compiled alternation of the heading patterns
    document_labels: frozenset[str]
    fields: dict[str, tuple[str, ...]]
    field_word: Any  # a line that starts with a field word and a space: `Uploaded by jane`
    html_max_chars: int
    html_max_share: float
    lines_capacity: int
    prefixes_capacity: int
    nodes_capacity: int
    body_sample: int

    def supported(self, pages: int, group_pages: int) -> bool:
        """Support on several pages: enough pages, and enough of the group's."""
        return pages >= self.min_pages and pages >= self.min_share * group_pages


@cache
def load_config(path: str | None = None) -> LearnConfig:
    """The configuration in `path`, or the bundled `rules/_learn.toml`."""
    file = Path(path) if path else BUNDLED_RULES / CONFIG_FILE
    d: dict[str, Any] = tomllib.loads(file.read_text(encoding="utf-8"))
    g, s, p, f, h, m = (d[k] for k in ("groups", "support", "position", "form", "html", "memory"))
    return LearnConfig(
        group_min_pages=g["min_pages"],
        max_templates=g["max_templates"],
        template_lines=g["template_lines"],
        template_overlap=g["template_overlap"],
        template_chrome=g["template_chrome"],
        min_pages=s["min_pages"],
        min_share=s["min_share"],
        ubiquitous_share=s["ubiquitous_share"],
        consistent=s["consistent"],
        frame_share=p["frame_share"],
        frame_lines=p["frame_lines"],
        min_frame=p["min_frame"],
        cut_margin=p["cut_margin"],
        cut_max=p["cut_max"],
        repeat_margin=p["repeat_margin"],
        repeat_max=p["repeat_max"],
        short_chars=f["short_chars"],
        prose_chars=f["prose_chars"],
        title_chars=f["title_chars"],
        sentence_end=frozenset(f["sentence_end"]),
        label_end=frozenset(f["label_end"]),
        headings=regex.compile("|".join(f"(?:{x})" for x in f["headings"])),
        document_labels=frozenset(f["document_labels"]),
        fields={k: tuple(v) for k, v in d["fields"].items()},
        field_word=regex.compile(
            "^(?P<label>"
            + "|".join(regex.escape(w) for w in sorted(_words(d["fields"]), key=len, reverse=True))
            + ") (?P<value>.+)$"
        ),
        html_max_chars=h["max_chars"],
        html_max_share=h["max_share"],
        lines_capacity=m["lines"],
        prefixes_capacity=m["prefixes"],
        nodes_capacity=m["nodes"],
        body_sample=m["body_sample"],
    )


def _words(fields: dict[str, list[str]]) -> set[str]:
    return {w for words in fields.values() for w in words}
