"""The content-region model: after the site's pack, every line of a page is body or chrome.

A logistic model over the features of a line (`shape.py`, `features.py`) and its context, with
weights fitted by `make train` and kept readable in `rules/region/model.toml`, gives each line the
probability that it is chrome. A line goes when that probability reaches the threshold, and
never when the line is two or more sentences of prose that no chrome word touches, or the
page's title. Lines near the threshold are reported as uncertain: where the model is unsure,
it keeps.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter, mul
from pathlib import Path
from typing import Any, NamedTuple

from ..engine.spans import Edit, Rendered
from ..errors import PackError
from .features import (
    CONTEXT,
    LOCAL,
    Line,
    context_row,
    guarded,
    local_row,
    read_lines,
    relate,
    run_of,
    sentences,
    split_lines,
)
from .shape import line_shape
from .title import guessed_title, host_names, is_heading_like, names_site, title_line
from .vocabulary import STRONG, Coverage, Vocabulary

REGION = "region/"  # the prefix of the model's rule names
RULE = "region/chrome"
SENTENCE_RULE = "region/sentence"
HEADING_RULE = "region/heading"


class Decision(NamedTuple):
    """What the model said of one line: the chrome probability and, for a line it removed, the
    strongest reasons. A named tuple: the model makes one per line and pass, and a tuple is
    three times quicker to make than a frozen dataclass."""

    start: int
    end: int
    p: float
    removed: bool
    why: Callable[[], tuple[tuple[str, float], ...]] | None = None  # `reasons`, when asked

    @property
    def reasons(self) -> tuple[tuple[str, float], ...]:
        """(feature, its part of the score), largest first: worked out when asked (`explain`),
        as most runs never ask."""
        return self.why() if self.why is not None else ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "p": round(self.p, 3),
            "removed": self.removed,
        }


@dataclass(slots=True)
class Region:
    """The model's view of one page: the text it read, its lines, its decisions, and the
    edits that remove the chrome lines (offsets of `text`)."""

    text: str
    lines: list[Line] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    run: tuple[int, int] | None = None  # the main run of prose: first and last line
    title: tuple[int, int] | None = None  # the lines that hold the title, first and last
    guess: str | None = None  # a title guessed when no line holds one (`guessed_title`)
    threshold: float = 0.5  # the probability from which a line went
    site: str | None = None  # the registrable domain of the page's URL (its own name is chrome)

    @property
    def title_text(self) -> str | None:
        if self.title is None:
            return None
        return " ".join(line.text for line in self.lines[self.title[0] : self.title[1] + 1])

    def title_span(self) -> tuple[int, int]:
        """Offsets of the title lines in `text`, their last line break included."""
        first, last = self.lines[self.title[0]], self.lines[self.title[1]]
        return first.start, min(last.end + 1, len(self.text))

    def provenance(self, margin: float) -> dict[str, Any]:
        """`lines` read, `removed` by the model (over every pass), its `threshold`, and the
        `uncertain` decisions (within `margin` of it), in offsets of the input."""
        uncertain = [d.to_dict() for d in self.decisions if abs(d.p - self.threshold) < margin]
        return {
            "lines": len(self.lines),
            "removed": sum(d.removed for d in self.decisions),
            "threshold": self.threshold,
            "uncertain": uncertain,
        }


class RegionModel:
    """The model's data (`rules/region/`): vocabulary, weights and thresholds, read once."""

    def __init__(self, folder: Path):
        self.folder = folder
        path = folder / "model.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise PackError(str(path), f"cannot read the region model: {e}") from None
        self.vocabulary = Vocabulary(folder / "vocabulary.toml", folder / "traditional.txt")
        kinds = self.vocabulary.kinds
        self.names = (*LOCAL, *(f"vocab_{k}" for k in kinds), *CONTEXT)
        decide = data.get("decide", {})
        self.threshold = float(decide.get("threshold", 0.5))
        self.margin = float(decide.get("uncertain_margin", 0.15))
        self.most = float(decide.get("flag_share", 0.5))
        for table in ("prior", "weights"):
            unknown = set(data.get(table, {})) - {"bias", *self.names}
            if unknown:
                raise PackError(str(path), f"[{table}] names unknown features: {sorted(unknown)}")
        # the fitted weights, or the prior where nothing was fitted yet
        weights = data.get("weights") or data.get("prior", {})
        self.bias = float(weights.get("bias", 0.0))
        self.weights = [float(weights.get(name, 0.0)) for name in self.names]
        self.prior = data.get("prior", {})
        w = dict(zip(self.names, self.weights, strict=True))
        # the same weights, arranged for scoring a line without building its row
        self._shape_w = self.weights[: LOCAL.index("slug") + 1]
        self._w = w
        self._kind_w = {k: w[f"vocab_{k}"] for k in kinds}
        self._context_w = self.weights[len(self.names) - len(CONTEXT) :]

    def __getstate__(self) -> Path:
        return self.folder

    def __setstate__(self, folder: Path) -> None:
        self.__init__(folder)

    def read(self, text: str, site: str | None = None) -> Region:
        """The page's lines, read (shape, vocabulary, repeats), and its main run of prose. A
        line that is the site's own name (`title.host_names` of its registrable domain, `site`)
        reads as a strong chrome phrase: the vocabulary cannot list every site's name."""
        region = Region(text, split_lines(text), site=site)
        if region.lines:
            texts = [line.text for line in region.lines]
            cover = self.vocabulary.coverage(texts)
            names = host_names(site)
            if names:
                cover = [
                    _SITE_NAME if names_site(t, names) else c
                    for t, c in zip(texts, cover, strict=True)
                ]
            read_lines(region.lines, cover)
            region.run = run_of(region.lines)
        return region

    def forget(self) -> None:
        """Forget the lines read before (their shapes and vocabulary): the next page is read as
        the run's first is (a benchmark's page new to the run)."""
        line_shape.cache_clear()
        self.vocabulary.forget()

    def row(self, region: Region, i: int) -> list[float]:
        """Every feature of line `i`, in the order of `names` (for training and `explain`)."""
        line = region.lines[i]
        return local_row(line, self.vocabulary.kinds) + context_row(region.lines, i, region.run)

    def probability(self, row: Sequence[float]) -> float:
        return _sigmoid(self.bias + sum(map(mul, self.weights, row)))

    def reasons(self, row: Sequence[float], n: int = 3) -> tuple[tuple[str, float], ...]:
        parts = [(name, w * x) for name, w, x in zip(self.names, self.weights, row, strict=True)]
        parts = [p for p in parts if p[1] > 0]
        return tuple((name, round(v, 2)) for name, v in sorted(parts, key=lambda p: -p[1])[:n])

    def _why(self, region: Region, i: int) -> tuple[tuple[str, float], ...]:
        return self.reasons(self.row(region, i))

    def local_score(self, line: Line) -> float:
        """The line's own part of the score: what `probability` of its row adds up to, less the
        bias and the context, without building the row (most features are zero)."""
        w, found = self._w, line.cover
        z = sum(map(mul, self._shape_w, line.shape))  # `shape` ends in 6 more values: unpaired
        if line.repeated:
            z += w["repeated"]
        if line.flat:
            z += w["flat_repeat"]
        if found.shares:
            strong = found.shares.get(STRONG, 0.0)
            z += w["vocab_hits"] * min(found.hits, 4) / 4 + w["vocab_all"] * min(found.total, 1.0)
            z += w["vocab_strong"] * strong
            kind_w = self._kind_w
            z += sum(kind_w[k] * v for k, v in found.shares.items() if k != STRONG)
        return z

    def context_score(self, region: Region, i: int) -> float:
        return sum(map(mul, self._context_w, context_row(region.lines, i, region.run)))

    def decide(
        self,
        text: str,
        threshold: float | None = None,
        url: str | None = None,
        site: str | None = None,
    ) -> Region:
        """Read the page and decide each line; `threshold` overrides the model's (a pack's).
        The title lines (`title.py`) are kept; the caller takes them for the title. In a line
        that stays, chrome sentences at its start or its end go on their own (`sentences`).
        Lines the guard keeps (`features.guarded`) are not scored (p 0), and have no decision
        unless the threshold is within the uncertain margin of 0. `url` names the title (its
        slug), `site` (its registrable domain) the site's own name."""
        region = self.read(text, site)
        return self._judge(region, self.threshold if threshold is None else threshold, url)

    def _judge(self, region: Region, threshold: float, url: str | None) -> Region:
        """Decide each line of a page read (`decide`)."""
        region.threshold = threshold
        lines, text = region.lines, region.text
        if not lines:
            return region
        chances, crumbs = [], []  # each line's chrome probability (None: the guard keeps it)
        for i, line in enumerate(lines):
            if guarded(line):
                chances.append(None)
                continue
            z = self.bias + self.local_score(line) + self.context_score(region, i)
            chances.append(_sigmoid(z))
            if line.cover.shares.get("nav"):
                crumbs.append(line.text)
        title_like = self._title_like(lines)
        region.title = title_line(lines, title_like, region.run and region.run[0], url, crumbs)
        if region.title is None:
            chrome = [
                p is not None and (line.chrome or p >= threshold)
                for line, p in zip(lines, chances, strict=True)
            ]
            region.guess = guessed_title(lines, chrome)
        kept = range(region.title[0], region.title[1] + 1) if region.title else range(0)
        # a guarded line's decision (p 0) is of interest only within the margin of the threshold
        note_guarded = threshold - self.margin < 0.0
        for i, (line, p) in enumerate(zip(lines, chances, strict=True)):
            if p is None:
                if note_guarded:
                    region.decisions.append(Decision(line.start, line.end, 0.0, False))
                continue
            removed = p >= threshold and i not in kept
            cuts = []
            if i not in kept and self._mixed(line, p, threshold):
                cuts = self._sentences(region, i, threshold, must_keep_prose=removed)
                if cuts is None:  # no sentence of it is body: the whole line goes
                    cuts = []
                elif removed:  # chrome sentences around a body: only they go
                    removed = False
            why = partial(self._why, region, i) if removed else None
            region.decisions.append(Decision(line.start, line.end, p, removed, why))
            if removed:
                end = line.end + 1 if line.end < len(text) else line.end
                region.edits.append(Edit(RULE, line.start, end))
            region.edits += cuts
        return region

    def _sentences(
        self, region: Region, i: int, threshold: float, must_keep_prose: bool
    ) -> list[Edit] | None:
        """The chrome sentences at the start and at the end of line `i`: each sentence read as a
        line of its own, in the line's place. None when no sentence is body (with
        `must_keep_prose`, a line the model would remove: none is clean prose, twenty
        characters or more or the salutation a speech opens with, and no chrome word)."""
        parts = sentences(region.lines[i])
        if len(parts) < 2:
            return None if must_keep_prose else []
        read_lines(parts, self.vocabulary.coverage([part.text for part in parts]))
        context = self.bias + self.context_score(region, i)
        gone = [
            not guarded(part) and _sigmoid(context + self.local_score(part)) >= threshold
            for part in parts
        ]
        if must_keep_prose and not any(
            not g and not part.cover.hits and (part.chars >= 20 or part.shape[_SALUTATION])
            for g, part in zip(gone, parts, strict=True)
        ):
            return None
        first = next((k for k, g in enumerate(gone) if not g), len(parts))
        last = next((k for k in range(len(parts) - 1, -1, -1) if not gone[k]), -1)
        if first > last:
            return None if must_keep_prose else []
        edits = [Edit(SENTENCE_RULE, parts[0].start, parts[first].start)] if first else []
        if last < len(parts) - 1:
            edits.append(Edit(SENTENCE_RULE, parts[last].end, parts[-1].end))
        return edits

    def settle(
        self,
        rendered: Rendered,
        region: Region,
        decorated: Callable[[str], bool],
        url: str | None,
        joins: Sequence[Edit] = (),
    ) -> Rendered:
        """`rendered` less what the model finds, then less what it finds in what is left, until
        it finds nothing: the clean text is the model's fixed point, so cleaning it again
        removes nothing more. Each pass also takes the site's heading for the document: a
        title line the site `decorated` (`…范文5篇`). `joins`: edits of the first pass's text
        that join lines (made with the model's first edits, so the next pass reads the joined
        lines). The region's decisions end up in offsets of the input (`rendered.source`)."""
        near = region.threshold - self.margin  # below it, a kept line is of no interest
        region.decisions = [_moved(d, rendered) for d in region.decisions if d.p > near]
        edits = region.edits + _headings(region, decorated) + list(joins)
        now, pending = region, []  # the last pass, and its edits made on its lines alone
        for _ in range(4):
            if not edits:
                break
            rest = _left(now, edits)
            if rest is None:  # a line was cut or joined: the text is made and read again
                edits = sorted(pending + edits, key=_start)
                rendered, pending = Rendered(rendered.source, rendered.compose(edits)), []
                now = self.decide(rendered.text, region.threshold, url, region.site)
            else:  # whole lines went: the others are not read again, only related again
                pending += edits
                now = self._judge(_related(now.text, rest), region.threshold, url)
            region.decisions += [_moved(d, rendered) for d in now.decisions if d.removed]
            edits = now.edits + _headings(now, decorated)
        if pending:
            rendered = Rendered(rendered.source, rendered.compose(sorted(pending, key=_start)))
        region.decisions.sort(key=lambda d: d.start)
        return rendered

    def _mixed(self, line: Line, p: float, threshold: float) -> bool:
        """Whether a line may hold chrome sentences beside body ones: two sentences or more, a
        chrome word, and a line the model does not find plainly body."""
        return (
            line.shape[_SENTENCES] >= 1 / 3
            and line.cover.hits > 0
            and (p >= threshold / 2 or STRONG in line.cover.shares)
        )

    def _title_like(self, lines: Sequence[Line]) -> Callable[[int], bool]:
        """Whether line `i` has the shape of a title and nothing that rules it out, found when
        the title search asks (it looks at the lines near the top alone), once per line."""

        found: dict[int, bool] = {}

        def title_like(i: int) -> bool:
            if i not in found:
                found[i] = is_heading_like(lines[i]) and self._plain(lines[i])
            return found[i]

        return title_like

    def _plain(self, line: Line) -> bool:
        """No strong chrome word, date, slug, closing colon, several fields or much vocabulary
        (a file name aside): can be a title."""
        shape, shares = line.shape, line.cover.shares
        if any(_not_in_titles(shape)) or shape[_FIELDS] >= 0.5:
            return False  # a section heading (`1.0 总则`, `一、…`, `目录`) is the document's part
        if not shares:
            return True
        if STRONG in shares:
            return False
        in_titles = self.vocabulary.title_kinds
        return sum(v for k, v in shares.items() if k not in in_titles) < 0.3


def _headings(region: Region, decorated: Callable[[str], bool]) -> list[Edit]:
    """The site's heading for the document: the title line, when the site decorated it."""
    if region.title is None or not decorated(region.title_text):
        return []
    return [Edit(HEADING_RULE, *region.title_span())]


def _left(region: Region, edits: Sequence[Edit]) -> list[Line] | None:
    """The region's lines less those the edits remove whole (each edit from a line's start to
    the end of its line break); None when an edit cuts inside a line or joins two."""
    lines, size = region.lines, len(region.text)
    first = {line.start: i for i, line in enumerate(lines)}
    gone = set()
    for edit in edits:
        i = first.get(edit.start)
        if i is None or edit.insert:
            return None
        while i < len(lines) and min(lines[i].end + 1, size) < edit.end:
            gone.add(i)
            i += 1
        if i == len(lines) or min(lines[i].end + 1, size) != edit.end:
            return None
        gone.add(i)
    return [line for i, line in enumerate(lines) if i not in gone]


def _related(text: str, lines: Sequence[Line]) -> Region:
    """A region of these lines of `text` (read before: shape and vocabulary), related anew."""
    lines = [line.as_read() for line in lines]  # the first pass's lines keep their marks
    relate(lines)
    return Region(text, lines, run=run_of(lines))


def _start(edit: Edit) -> int:
    return edit.start


def _moved(decision: Decision, rendered: Rendered) -> Decision:
    """The decision with its span in offsets of the input text."""
    start, end = rendered.to_source(decision.start), rendered.to_source(decision.end)
    return Decision(start, end, decision.p, decision.removed, decision.why)


# a line with any of these is no title: a date, a slug, a colon at its end, a section number
_not_in_titles = itemgetter(*(LOCAL.index(n) for n in ("date", "slug", "ends_colon", "heading")))
_FIELDS = LOCAL.index("fields")
_SITE_NAME = Coverage({STRONG: 1.0}, 1, 1.0)  # a line that is the site's own name
_SENTENCES = LOCAL.index("sentences")
_SALUTATION = LOCAL.index("salutation")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
