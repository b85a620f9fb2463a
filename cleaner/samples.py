"""Samples: composed pages with golden outputs, and the snippet metric used by the quality gate.

A sample is a folder `samples/<site>/<case>/` holding the page (`input.txt` or `input.html`),
`case.json` (url, site, title, and `with` / `without` snippets as in the dev corpus), and the
golden outputs `expected.txt` (clean text) and `expected.json` (metadata and flags).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .page import Cleaned, Page
from .pipeline import Cleaner
from .rulebook.load import example_failures
from .rulebook.types import Pack

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@dataclass(frozen=True)
class Sample:
    path: Path
    input: Path
    case: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def site(self) -> str | None:
        return self.case.get("site")

    def page(self) -> Page:
        kind = "html" if self.input.suffix in (".html", ".htm") else "text"
        return Page(
            self.input.read_bytes(),
            url=self.case.get("url"),
            encoding=self.case.get("encoding"),
            origin={"path": str(self.input)},
            kind=kind,
        )

    def expected(self) -> tuple[str, dict[str, Any]] | None:
        text, meta = self.path / "expected.txt", self.path / "expected.json"
        if not (text.exists() and meta.exists()):
            return None
        return text.read_text(encoding="utf-8"), json.loads(meta.read_text(encoding="utf-8"))

    def write_expected(self, cleaned: Cleaned) -> None:
        (self.path / "expected.txt").write_text(cleaned.text, encoding="utf-8")
        (self.path / "expected.json").write_text(
            json.dumps(golden_record(cleaned), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )


def golden_record(cleaned: Cleaned) -> dict[str, Any]:
    """What a golden file pins: the metadata and the flags (not hashes or versions)."""
    return {"metadata": cleaned.metadata, "flags": cleaned.provenance["flags"]}


def find_samples(root: Path = SAMPLES) -> list[Sample]:
    out = []
    for case_file in sorted(root.glob("*/*/case.json")):
        inputs = sorted(case_file.parent.glob("input.*"))
        if inputs:
            case = json.loads(case_file.read_text(encoding="utf-8"))
            out.append(Sample(case_file.parent, inputs[0], case))
    return out


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


@dataclass
class Score:
    """The snippet metric of the dev corpus: body snippets kept, chrome snippets removed."""

    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, case: dict[str, Any], text: str) -> None:
        clean = _norm(text)
        for s in case.get("with", []):
            if _norm(s) in clean:
                self.tp += 1
            else:
                self.fn += 1
                self.misses.append(f"{name}: body lost: {s!r}")
        for s in case.get("without", []):
            if _norm(s) in clean:
                self.fp += 1
                self.misses.append(f"{name}: chrome kept: {s!r}")
            else:
                self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(cleaner: Cleaner, samples: Iterable[Sample]) -> Score:
    total = Score()
    for sample in samples:
        total.add(sample.name, sample.case, cleaner.clean_page(sample.page()).text)
    return total


def samples_by_site(samples: Iterable[Sample]) -> dict[str, list[Sample]]:
    """Samples grouped by the site their case names (folder name when the case has none)."""
    out: dict[str, list[Sample]] = {}
    for sample in samples:
        out.setdefault(sample.site or sample.path.parent.name, []).append(sample)
    return out


@dataclass
class SiteReport:
    """What `cleaner rules test` found for one site: its pack's examples and its samples."""

    site: str
    examples: int = 0
    examples_failed: list[str] = field(default_factory=list)
    samples: int = 0
    golden_failed: list[str] = field(default_factory=list)
    detect_failed: list[str] = field(default_factory=list)
    score: Score = field(default_factory=Score)

    @property
    def ok(self) -> bool:
        return not (self.examples_failed or self.golden_failed or self.detect_failed) and not (
            self.score.fn or self.score.fp
        )


@dataclass
class RulesReport:
    sites: list[SiteReport]
    total: Score

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sites)

    def table(self) -> list[str]:
        """One row per site, then the totals and every failure."""
        cols = ("examples", "samples", "golden", "with", "without")
        head = f"{'site':14} {cols[0]:>9} {cols[1]:>8} {cols[2]:>7} {cols[3]:>7} {cols[4]:>8}  ok"
        rows = [head, "-" * len(head)]
        problems: list[str] = []
        for s in self.sites:
            sc = s.score
            examples = f"{s.examples - len(s.examples_failed)}/{s.examples}"
            golden = f"{s.samples - len(s.golden_failed)}/{s.samples}"
            with_ = f"{sc.tp}/{sc.tp + sc.fn}"
            without = f"{sc.tn}/{sc.tn + sc.fp}"
            mark = "ok" if s.ok else "FAIL"
            counts = f"{examples:>9} {s.samples:>8} {golden:>7} {with_:>7} {without:>8}"
            rows.append(f"{s.site:14} {counts}  {mark}")
            problems += [f"{s.site}: example: {x}" for x in s.examples_failed]
            problems += [f"{s.site}: golden differs: {x}" for x in s.golden_failed]
            problems += [f"{s.site}: not detected without URL: {x}" for x in s.detect_failed]
            problems += sc.misses
        t = self.total
        rows.append("-" * len(head))
        rows.append(f"samples: precision {t.precision:.4f}  recall {t.recall:.4f}  f1 {t.f1:.4f}")
        return rows + problems


def check_examples(pack: Pack) -> tuple[int, list[str]]:
    """Run a pack's examples and keeps again; the failures, described."""
    count, failed = 0, []
    for rule in pack.text:
        count += len(rule.examples) + len(rule.keeps)
        failed += [f"{rule.id} {message}" for message, _ in example_failures(rule)]
    for rule in pack.meta:
        for ex in rule.examples:
            count += 1
            if rule.source != "url" and not rule.pattern.search(ex):
                failed.append(f"{rule.id} does not match {ex[:40]!r}")
    return count, failed


def run_rules_test(cleaner: Cleaner, samples: Iterable[Sample]) -> RulesReport:
    """Every pack's examples, and every sample: golden files, detection without URL, snippets."""
    by_site = samples_by_site(samples)
    sites: list[SiteReport] = []
    total = Score()
    ids = list(cleaner.book.packs) + sorted(s for s in by_site if s not in cleaner.book.packs)
    for site in ids:
        report = SiteReport(site)
        pack = cleaner.book.packs.get(site)
        if pack is not None:
            report.examples, report.examples_failed = check_examples(pack)
        for sample in by_site.get(site, []):
            report.samples += 1
            cleaned = cleaner.clean_page(sample.page())
            expected = sample.expected()
            if expected is None or expected != (cleaned.text, golden_record(cleaned)):
                report.golden_failed.append(sample.name)
            unseen = sample.case.get("url") is None and pack is not None and not pack.always
            if unseen and cleaned.metadata.get("site") != site:
                report.detect_failed.append(sample.name)
            report.score.add(sample.name, sample.case, cleaned.text)
            total.add(sample.name, sample.case, cleaned.text)
        sites.append(report)
    return RulesReport(sites, total)
