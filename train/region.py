"""Fit the content-region model's weights and report how well they hold on sites left out.

The data are real pages annotated with snippets (body snippets that must survive, chrome
snippets that must go): `../shared/corpus/dev`, `../shared/corpus/sitesets` and the composed
pages of `samples/` (not `samples/unknown`: those test the model). Each page is read as a site
without a pack would be (`--site generic`): the generic packs run, then the model reads the
lines that are left. A line is labelled body
when a body snippet touches it and chrome when chrome snippets cover most of it; a composed
page's golden text labels all of its lines. Other lines carry no label and teach nothing.

The weights are a logistic regression fitted by Newton's method with an L2 penalty that pulls
them towards the prior of `model.toml` (what we know of chrome before seeing data), not towards
zero: with a few hundred labelled lines, the data correct the prior rather than replace it.

Validation is leave-one-site-out: for each site, the model is fitted on every other site and
judged on the pages of that site, line by line and by the snippets of its pages (as `score.py`
counts them). The threshold written is the one with the best held-out snippet F1 among those
whose held-out snippet recall reaches `--recall`.

    .venv/bin/python train/region.py [--write] [--recall 0.98] [--pull 4] [--show THRESHOLD]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from cleaner import Cleaner, Page
from cleaner.region.features import guarded

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
MODEL = ROOT / "rules" / "region" / "model.toml"
PULL = 4.0  # strength of the pull towards the prior (--pull)
THRESHOLDS = [round(0.3 + 0.05 * k, 2) for k in range(13)]


@dataclass
class Example:
    """One annotated page as the model reads it: a feature row and a label (0 body, 1 chrome,
    None unknown) for every line, and the page's snippets."""

    site: str
    name: str
    rows: list[list[float]]
    labels: list[int | None]
    lines: list[str]
    keep: list[str]
    drop: list[str]
    guarded: list[bool]  # lines the model never removes (two sentences, no chrome word)


def norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def annotated_pages() -> list[tuple[str, str, Page, dict]]:
    """(site, name, page, case) for every annotated page; a sample's case carries its golden
    text and title under `golden`."""
    out = []
    for root in (SHARED / "dev", SHARED / "sitesets"):
        for case_file in sorted(root.glob("**/case.json")):
            case = json.loads(case_file.read_text(encoding="utf-8"))
            raw = (case_file.parent / "raw.txt").read_text(encoding="utf-8")
            name = f"{root.name}/{case_file.parent.name}"
            out.append((case["site"], name, Page(raw, url=case.get("url"), kind="text"), case))
    for case_file in sorted((ROOT / "samples").glob("*/*/case.json")):
        folder = case_file.parent
        if folder.parent.name == "unknown":  # the pages of sites with no pack test the model
            continue
        case = json.loads(case_file.read_text(encoding="utf-8"))
        (source,) = sorted(folder.glob("input.*"))
        page = Page(source.read_bytes(), url=case.get("url"), encoding=case.get("encoding"))
        page.kind = "html" if source.suffix == ".html" else "text"
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        golden = (folder / "expected.txt").read_text(encoding="utf-8")
        case = {**case, "golden": (golden, expected["metadata"]["title"])}
        site = case.get("site") or folder.parent.name
        out.append((site, f"samples/{folder.parent.name}/{folder.name}", page, case))
    return out


def snippet_labels(text: str, lines, keep: list[str], drop: list[str]) -> list[int | None]:
    """Per line: 0 when a body snippet touches it, 1 when chrome snippets cover half of it or
    more, None otherwise (or both)."""
    flat, where = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                flat.append(c)
                where.append(i)
    flat = "".join(flat)
    line_of = np.full(len(text) + 1, -1)
    for k, line in enumerate(lines):
        line_of[line.start : line.end] = k
    body, chrome = Counter(), Counter()
    for snippets, tally in ((keep, body), (drop, chrome)):
        for key in filter(None, map(norm, snippets)):
            for m in re.finditer(re.escape(key), flat):
                tally.update(k for k in line_of[where[m.start() : m.end()]] if k >= 0)
    out: list[int | None] = []
    for k, line in enumerate(lines):
        if body[k] and not chrome[k]:
            out.append(0)
        elif chrome[k] >= 0.5 * max(len(norm(line.text)), 1) and not body[k]:
            out.append(1)
        else:
            out.append(None)
    return out


def golden_labels(lines, golden: str, title: str | None, found: list[int | None]):
    """A composed page's labels from its golden text: a line of it is body, a line it lacks
    entirely is chrome, the title line is neither (the title stage takes it)."""
    text = norm(golden)
    out = []
    for line, label in zip(lines, found, strict=True):
        key = norm(line.text)
        if title and norm(title) in key and len(key) <= len(norm(title)) + 12:
            out.append(None)
        elif key in text:
            out.append(0 if label != 1 else None)
        elif not any(key[i : i + 6] in text for i in range(0, max(len(key) - 5, 1), 3)):
            out.append(1 if label != 0 else None)
        else:
            out.append(label)
    return out


def examples(cleaner: Cleaner) -> list[Example]:
    out = []
    for site, name, page, case in annotated_pages():
        region = cleaner.clean_page(page).region
        if region is None or not region.lines:
            continue
        keep, drop = case.get("with", []), case.get("without", [])
        labels = snippet_labels(region.text, region.lines, keep, drop)
        if "golden" in case:
            labels = golden_labels(region.lines, *case["golden"], labels)
        rows = [cleaner.region.row(region, i) for i in range(len(region.lines))]
        texts = [line.text for line in region.lines]
        safe = [guarded(line) for line in region.lines]
        out.append(Example(site, name, rows, labels, texts, keep, drop, safe))
    return out


class Logistic:
    """A logistic model fitted around a prior: weights with the bias first."""

    def __init__(self, prior: np.ndarray, pull: float = PULL):
        self.prior, self.pull = prior, pull
        self.w = prior.copy()

    def fit(self, data: list[Example]) -> Logistic:
        """Newton's method on the log loss plus pull/2 · |w − prior|², damped so that no step
        goes uphill."""
        pairs = [(r, y) for e in data for r, y in zip(e.rows, e.labels, strict=True)]
        x = np.array([[1.0, *r] for r, y in pairs if y is not None])
        y = np.array([y for _, y in pairs if y is not None], dtype=float)
        prior, w, pull = self.prior, self.prior.copy(), self.pull

        def loss(w: np.ndarray) -> float:
            z = x @ w
            return float(np.logaddexp(0, z).sum() - y @ z + pull / 2 * ((w - prior) ** 2).sum())

        for _ in range(100):
            p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
            grad = x.T @ (p - y) + pull * (w - prior)
            hess = (x.T * (p * (1 - p))) @ x + pull * np.eye(len(w))
            step, now, size = np.linalg.solve(hess, grad), loss(w), 1.0
            while loss(w - size * step) > now and size > 1e-6:
                size /= 2
            w = w - size * step
            if np.abs(size * step).max() < 1e-8:
                break
        self.w = w
        return self

    def predict(self, rows) -> np.ndarray:
        x = np.hstack([np.ones((len(rows), 1)), np.array(rows)])
        return 1 / (1 + np.exp(-np.clip(x @ self.w, -30, 30)))


def held_out(data: list[Example], prior: np.ndarray, pull: float) -> dict[str, np.ndarray]:
    """Each page's chrome probabilities from a model fitted without its site."""
    out = {}
    for site in sorted({e.site for e in data}):
        model = Logistic(prior, pull).fit([e for e in data if e.site != site])
        out.update({e.name: model.predict(e.rows) for e in data if e.site == site})
    return out


def removed(e: Example, p: np.ndarray, threshold: float) -> list[bool]:
    return [v >= threshold and not safe for v, safe in zip(p, e.guarded, strict=True)]


def scores(data: list[Example], held: dict[str, np.ndarray], threshold: float):
    """(lines: body kept, body lost, chrome removed, chrome kept), and the same of snippets."""
    lines, snippets = Counter(), Counter()
    for e in data:
        gone = removed(e, held[e.name], threshold)
        for label, g in zip(e.labels, gone, strict=True):
            if label is not None:
                lines[(label, g)] += 1
        text = norm("\n".join(t for t, g in zip(e.lines, gone, strict=True) if not g))
        kept, left = sum(norm(s) in text for s in e.keep), sum(norm(s) in text for s in e.drop)
        snippets.update({"kept": kept, "lost": len(e.keep) - kept, "left": left})
        snippets["removed"] += len(e.drop) - left
    line = (lines[(0, False)], lines[(0, True)], lines[(1, True)], lines[(1, False)])
    snip = (snippets["kept"], snippets["lost"], snippets["removed"], snippets["left"])
    return line, snip


def f1(kept: int, lost: int, removed: int, left: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of the body, as score.py counts snippets."""
    p = kept / (kept + left) if kept + left else 0.0
    r = kept / (kept + lost) if kept + lost else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def share(a: int, b: int) -> float:
    return a / (a + b) if a + b else 0.0


def write(model: Logistic, names: tuple[str, ...], threshold: float, report: dict) -> None:
    """The weights, the threshold and the validation figures into model.toml."""
    text = MODEL.read_text(encoding="utf-8")
    head = text[: text.index("[weights]")]
    head = re.sub(r"(?m)^threshold = [0-9.]+", f"threshold = {threshold:.2f}", head)
    weights = [f"{n} = {w:.4f}" for n, w in zip(("bias", *names), model.w, strict=True)]
    training = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in report.items()]
    body = "[weights]\n" + "\n".join(weights) + "\n\n[training]\n" + "\n".join(training) + "\n"
    MODEL.write_text(head + body, encoding="utf-8")


def show(data: list[Example], held: dict[str, np.ndarray], threshold: float) -> None:
    """Every held-out mistake at `threshold`: the page, the line and its probability."""
    for e in data:
        gone = removed(e, held[e.name], threshold)
        for text, label, g, p in zip(e.lines, e.labels, gone, held[e.name], strict=True):
            if label is not None and g != bool(label):
                what = "body lost  " if label == 0 else "chrome kept"
                print(f"{e.name:34} {what} p={p:.2f} {text[:70]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write the weights to model.toml")
    ap.add_argument("--recall", type=float, default=0.98, help="held-out snippet recall to keep")
    ap.add_argument("--show", type=float, help="list the held-out mistakes at this threshold")
    ap.add_argument("--pull", type=float, default=PULL, help="pull of the weights to the prior")
    args = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"train: the annotated corpus is not at {SHARED}")
    cleaner = Cleaner(site="generic")
    names, prior_table = cleaner.region.names, cleaner.region.prior
    prior = np.array([prior_table.get(n, 0.0) for n in ("bias", *names)])
    data = examples(cleaner)
    held = held_out(data, prior, args.pull)
    if args.show is not None:
        show(data, held, args.show)
        return
    labelled = [y for e in data for y in e.labels if y is not None]
    sites = sorted({e.site for e in data})
    print(f"{len(data)} pages of {len(sites)} sites, {len(labelled)} labelled lines")
    print("leave one site out:  lines: body kept  chrome removed | snippets: P      R      F1")
    table = {t: scores(data, held, t) for t in THRESHOLDS}
    for t, (line, snip) in table.items():
        p, r, f = f1(*snip)
        print(f"  threshold {t:.2f}        {share(*line[:2]):.4f}  {share(*line[2:]):.4f}", end="")
        print(f"         | {p:.4f} {r:.4f} {f:.4f}")
    recalled = [t for t, (_, snip) in table.items() if f1(*snip)[1] >= args.recall] or [0.9]
    chosen = max(recalled, key=lambda t: f1(*table[t][1])[2])
    model = Logistic(prior, args.pull).fit(data)
    print(f"threshold {chosen:.2f}: the best held-out F1 with a snippet recall ≥ {args.recall}")
    if args.write:
        line, snip = table[chosen]
        p, r, f = f1(*snip)
        report = {
            "date": date.today().isoformat(),
            "data": f"{len(data)} pages of {len(sites)} sites: corpus/dev, sitesets, samples",
            "labelled_lines": len(labelled),
            "chrome_lines": sum(labelled),
            "pull": args.pull,
            "validation": "leave one site out, at the threshold above",
            "held_out_body_lines_kept": round(share(*line[:2]), 4),
            "held_out_chrome_lines_removed": round(share(*line[2:]), 4),
            "held_out_snippet_precision": round(p, 4),
            "held_out_snippet_recall": round(r, 4),
            "held_out_snippet_f1": round(f, 4),
        }
        write(model, names, chosen, report)
        print(f"wrote {MODEL.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
