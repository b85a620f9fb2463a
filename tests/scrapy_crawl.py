"""Runs the example spider with the example settings, as a Scrapy project would, in a process of
its own (a Twisted reactor cannot start twice in one process), and writes what the crawl gave:
the feed of clean items, the dropped items and the stats.

    python scrapy_crawl.py START_URL OUT_DIR '{"SETTING": value, ...}'
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

EXAMPLES = Path(__file__).resolve().parent / "examples"


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(start_url: str, out: Path, overrides: dict) -> None:
    settings = Settings()
    settings.setmodule(load(EXAMPLES / "settings.py"), priority="project")
    # the example's feed, written into OUT_DIR
    feed = next(iter(settings.getdict("FEEDS").values()))
    settings.set("FEEDS", {str(out / "items.jsonl"): feed}, priority="cmdline")
    settings.setdict({"TELNETCONSOLE_ENABLED": False, **overrides}, priority="cmdline")

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(load(EXAMPLES / "spider.py").DocsSpider)
    dropped: list[dict] = []

    def on_dropped(item, exception, **kwargs) -> None:
        dropped.append({"url": item.get("url"), "reason": str(exception)})

    crawler.signals.connect(on_dropped, signal=signals.item_dropped)
    process.crawl(crawler, start_url=start_url)
    process.start()
    (out / "dropped.json").write_text(json.dumps(dropped), encoding="utf-8")
    stats = crawler.stats.get_stats()
    (out / "stats.json").write_text(json.dumps(stats, default=str))
    if stats.get("log_count/ERROR") or stats.get("log_count/CRITICAL"):
        sys.exit("the crawl logged errors")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3]) if len(sys.argv) > 3 else {})
