"""Quality on the shared corpus, by language and by whether the site has a pack: the figures of
the README, from `../shared/tools/score.py` (the snippet metric), with the site packs and
without them (`--site generic`).

    .venv/bin/python benchmarks/quality.py [CORPUS] [--cmd 'cleaner clean {in} -o {out}']

The language of a page is read from its text: traditional or simplified Chinese by the share of
characters that only the traditional script writes, Russian by Cyrillic letters, Spanish by the
letters and words only Spanish uses, else English.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "tools" / "score.py"
TRADITIONAL = {
    line[0]
    for line in (ROOT / "rules" / "region" / "traditional.txt").read_text("utf-8").splitlines()
    if len(line) == 2
}
_SPANISH = re.compile(r"[ñ¿¡]|\b(?:de|la|que|el|los|las|para|una)\b", re.IGNORECASE)


def language(text: str) -> str:
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if len(han) >= 20:
        hant = sum(c in TRADITIONAL for c in han)
        return "zh-Hant" if hant > 0.05 * len(han) else "zh-Hans"
    if sum("\u0400" <= c <= "\u04ff" for c in text) >= 20:
        return "ru"
    return "es" if len(_SPANISH.findall(text)) >= 8 else "en"


def scored(corpus: Path, cmd: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(SCORE), str(corpus), "--cmd", cmd, "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def f1(tp: int, fn: int, tn: int, fp: int) -> tuple[float, float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    chrome = tn / (tn + fp) if tn + fp else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), chrome


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "dev"))
    ap.add_argument("--cmd", default=".venv/bin/cleaner clean {in} -o {out}")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    cases = {}
    for case_file in sorted(corpus.glob("**/case.json")):
        case = json.loads(case_file.read_text("utf-8"))
        raw = (case_file.parent / "raw.txt").read_text("utf-8")
        cases[case["site"]] = language(raw)
    packed = {p.stem for p in (ROOT / "rules").glob("*.toml") if not p.stem.startswith("_")}
    runs = {"site packs": args.cmd, "no site packs": args.cmd + " --site generic"}
    print("| run | pages | language | body kept (recall) | chrome removed | precision | F1 |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for name, cmd in runs.items():
        res = scored(corpus, cmd)
        groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for site, counts in res["per_site"].items():
            keys = [
                "all",
                cases.get(site, "?"),
                "sites with a pack" if site in packed else "sites without one",
            ]
            for key in keys:
                g = groups[key]
                g[0] += 1
                for k, field in enumerate(("tp", "fn", "tn", "fp"), start=1):
                    g[k] += counts[field]
        order = ["all", "sites with a pack", "sites without one", "zh-Hans", "zh-Hant"]
        for key in sorted(groups, key=lambda k: (order.index(k) if k in order else 9, k)):
            pages, *counts = groups[key]
            p, r, f, chrome = f1(*counts)
            print(f"| {name} | {pages} | {key} | {r:.4f} | {chrome:.4f} | {p:.4f} | {f:.4f} |")
        print(f"| {name} | | titles exact | {res['title_exact']:.4f} | | | |")


if __name__ == "__main__":
    main()
