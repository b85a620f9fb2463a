"""HTML speed: cleaner beside trafilatura's `extract` on the same pages.

The HTML samples (`samples/*/*/input.html`) are repeated to at least `--pages` pages (default
2,000) and cleaned one by one in this process by each tool, from the stored bytes. Reports
pages/s for each and the snippet F1 of each over the samples (`with` snippets kept, `without`
snippets removed: the metric of the golden tests).

    pip install -e '.[bench]'          # trafilatura is a benchmark-only extra
    python benchmarks/html_speed.py [--pages 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner import Cleaner
from cleaner.samples import Score, find_samples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000, help="pages to clean per tool (≥ samples)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    samples = [s for s in find_samples() if s.input.suffix in (".html", ".htm")]
    if not samples:
        sys.exit("no HTML samples under samples/")
    inputs = [(s, s.page()) for s in samples]
    pages = [inputs[i % len(inputs)][1] for i in range(max(args.pages, len(inputs)))]
    cleaner = Cleaner()

    def run_cleaner(page):
        return cleaner.clean_page(page).text

    tools = {"cleaner": run_cleaner}
    try:
        import trafilatura

        def run_trafilatura(page):
            return trafilatura.extract(page.content, url=page.url) or ""

        tools["trafilatura"] = run_trafilatura
    except ImportError:
        print(
            "trafilatura is not installed (pip install -e '.[bench]'): cleaner only",
            file=sys.stderr,
        )

    results = {}
    for name, fn in tools.items():
        score = Score()
        for sample, page in inputs:
            score.add(sample.name, sample.case, fn(page))
        for page in pages[:20]:  # warm up
            fn(page)
        start = time.perf_counter()
        for page in pages:
            fn(page)
        seconds = time.perf_counter() - start
        results[name] = {
            "pages": len(pages),
            "seconds": round(seconds, 3),
            "pages_per_s": round(len(pages) / seconds, 1),
            "precision": round(score.precision, 3),
            "recall": round(score.recall, 3),
            "f1": round(score.f1, 3),
            "misses": score.misses,
        }
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    print(f"{len(samples)} HTML samples repeated to {len(pages)} pages, one process")
    print(f"{'tool':12} {'pages/s':>9} {'precision':>10} {'recall':>8} {'F1':>6}")
    for name, r in results.items():
        figures = f"{r['precision']:10.3f} {r['recall']:8.3f} {r['f1']:6.3f}"
        print(f"{name:12} {r['pages_per_s']:9.1f} {figures}")
    if "trafilatura" in results:
        ratio = results["cleaner"]["pages_per_s"] / results["trafilatura"]["pages_per_s"]
        print(f"cleaner is {ratio:.1f}x trafilatura's pages/s")


if __name__ == "__main__":
    main()
