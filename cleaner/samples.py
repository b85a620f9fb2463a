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
