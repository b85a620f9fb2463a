"""What the integrations cost on top of cleaning: the Scrapy pipeline and the datatrove step
beside the bare `Cleaner`, on the same pages, in this process.

The HTML samples are repeated to `--pages` pages (default 2,000). The runs take turns for
`--rounds` rounds (3), so a busy spell of the machine hits them alike, and the best time of each
is kept. `Cleaner.clean_page` and `CleanerPipeline.process_item` take the stored bytes with
their charset, as a spider yields them; `CleanerStep` takes the decoded text, as datatrove's
readers give it, so it is compared with the bare `Cleaner` on text. The page time limit is on in
both integrations, as by default. A second table times the integrations around a stand-in that
has every page's result ready, ten times the pages: what they add to a page, without the noise
of the cleaning itself.

    pip install -e '.[scrapy,datatrove]'
    python benchmarks/integrations.py [--pages 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datatrove.data import Document
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from cleaner import Cleaner, Page
from cleaner.integrations.datatrove import CleanerStep
from cleaner.integrations.scrapy import CleanerPipeline
from cleaner.samples import find_samples


def best_of(rounds: int, runs: dict) -> dict[str, float]:
    """The best time of each run over `rounds` rounds in which the runs take turns."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, fn in runs.items():
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    return best


class Ready:
    """A stand-in `Cleaner` whose pages are cleaned already: what is left to time is the
    integration around it."""

    def __init__(self, cleaner: Cleaner, contents: list):
        self.results = {c: cleaner.clean_page(Page(c, kind="html")) for c in contents}

    def clean_page(self, page: Page):
        return self.results[page.content]


def runs(cleaner, pages: list[Page], texts: list[str]) -> dict:
    """The bare cleaner and each integration around it, on the same pages."""
    crawler = SimpleNamespace(settings=Settings())
    crawler.stats = MemoryStatsCollector(crawler)
    pipeline = CleanerPipeline(cleaner, stats=crawler.stats)
    step = CleanerStep()
    step.cleaner = cleaner

    def bare_bytes() -> None:
        for p in pages:
            cleaner.clean_page(Page(p.content, url=p.url, encoding=p.encoding, kind="html"))

    def scrapy_items() -> None:
        for p in pages:
            pipeline.process_item({"url": p.url, "html": p.content, "encoding": p.encoding})

    def bare_text() -> None:
        for text, p in zip(texts, pages, strict=True):
            cleaner.clean_page(Page(text, url=p.url))

    def datatrove_docs() -> None:
        docs = (
            Document(text, id=str(i), metadata={"url": p.url})
            for i, (text, p) in enumerate(zip(texts, pages, strict=True))
        )
        for _ in step.run(docs):
            pass

    return {
        "Cleaner.clean_page, bytes": bare_bytes,
        "CleanerPipeline.process_item": scrapy_items,
        "Cleaner.clean_page, text": bare_text,
        "CleanerStep.run": datatrove_docs,
    }


BASE = {
    "CleanerPipeline.process_item": "Cleaner.clean_page, bytes",
    "CleanerStep.run": "Cleaner.clean_page, text",
}


def report(title: str, n: int, seconds: dict[str, float]) -> None:
    print(title)
    print(f"  {'run':<30} {'pages/s':>10} {'µs/page':>9} {'added µs/page':>14}")
    for name, s in seconds.items():
        added = f"{(s - seconds[BASE[name]]) / n * 1e6:14.1f}" if name in BASE else ""
        print(f"  {name:<30} {n / s:10,.0f} {s / n * 1e6:9.1f} {added}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000, help="pages per run")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of every run; the best counts")
    args = ap.parse_args()

    cleaner = Cleaner()
    samples = [s.page() for s in find_samples() if s.input.suffix == ".html"]
    # each sample as text, decoded with the charset cleaner finds for it
    charsets = [cleaner.clean_page(p).provenance["encoding"]["encoding"] for p in samples]
    texts = [p.content.decode(c) for p, c in zip(samples, charsets, strict=True)]
    n = args.pages
    pages = [samples[i % len(samples)] for i in range(n)]
    decoded = [texts[i % len(samples)] for i in range(n)]

    full = runs(cleaner, pages, decoded)
    full["Cleaner.clean_page, bytes"]()  # every site's rules compiled before timing
    report(f"{n:,} HTML pages, best of {args.rounds} rounds", n, best_of(args.rounds, full))
    # the integrations alone, around a cleaner that has its results ready: ten times the pages
    ready = Ready(cleaner, [p.content for p in samples] + texts)
    alone = runs(ready, pages * 10, decoded * 10)
    report("the same around a stand-in with its results ready", n * 10, best_of(5, alone))


if __name__ == "__main__":
    main()
