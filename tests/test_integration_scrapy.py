"""The Scrapy item pipeline: a real crawl of pages served on 127.0.0.1 gives items cleaned
exactly as `cleaner clean` cleans the same responses, drops what is not a page with its reason,
and leaves stats that add up; items of every kind, kept errors and bad settings."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import scrapy
from batch_fixtures import SLOW_PACK
from crawl_pages import (
    PDF,
    SAMPLES,
    SLOW_HTML,
    PageServer,
    Served,
    cli_clean,
    read_jsonl,
    sample,
    site_pages,
    write_warc,
)
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from cleaner import Cleaner, CleanerError, Page
from cleaner.integrations.scrapy import CleanerPipeline, declared_encoding

HERE = Path(__file__).resolve().parent
TIMEOUT = 1.5  # the slow page's alarm (under the 2 s rule limit); other pages take milliseconds


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One crawl of the site pages, a binary file and a page past its time limit, and
    `cleaner clean` on a WARC of the same responses."""
    tmp = tmp_path_factory.mktemp("crawl")
    (tmp / "rules").mkdir()
    (tmp / "rules/slow.toml").write_text(SLOW_PACK, encoding="utf-8")
    pages = [
        *site_pages(),
        Served("/files/notice.pdf", "application/pdf", PDF),
        Served("/slow.html", "text/html; charset=utf-8", SLOW_HTML.encode()),
    ]
    settings = {"CLEANER_RULES": [str(tmp / "rules")], "CLEANER_PAGE_TIMEOUT": TIMEOUT}
    with PageServer(pages) as server:
        done = subprocess.run(
            [sys.executable, HERE / "scrapy_crawl.py", server.url + "/", tmp, json.dumps(settings)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    warc_urls = write_warc(tmp / "crawl.warc.gz", server.url, pages)
    options = ("--rules", str(tmp / "rules"), "--page-timeout", str(TIMEOUT))
    records, errors = cli_clean([tmp / "crawl.warc.gz"], tmp / "cli.jsonl", *options)
    return {
        "server": server.url,
        "items": read_jsonl(tmp / "items.jsonl"),
        "dropped": json.loads((tmp / "dropped.json").read_text("utf-8")),
        "stats": json.loads((tmp / "stats.json").read_text("utf-8")),
        "log": done.stderr,
        "cli": {r["metadata"]["url"]: r for r in records},
        "cli_errors": {warc_urls[e["origin"]["warc_record_id"]]: e for e in errors},
    }


def test_crawled_items_are_cleaned_as_cleaner_clean_cleans_the_responses(crawl):
    items = {item["url"]: item for item in crawl["items"]}
    assert sorted(items) == sorted(crawl["cli"]), crawl["dropped"]
    assert len(items) == len(site_pages())
    for url, item in items.items():
        record = crawl["cli"][url]
        assert set(item) == {"url", "text", "metadata", "provenance"}  # the feed's fields
        assert item["text"] == record["text"], url
        assert item["metadata"] == record["metadata"], url
        # the whole provenance, but where the record came from: a URL, not a WARC offset
        assert item["provenance"]["origin"] == {"url": url}
        assert _less_origin(item["provenance"]) == _less_origin(record["provenance"]), url


def test_the_crawl_cleans_every_charset(crawl):
    items = {item["url"][len(crawl["server"]) :]: item for item in crawl["items"]}
    encoding = {path: item["provenance"]["encoding"] for path, item in items.items()}
    assert encoding["/book118/notice.html"] == {"encoding": "gb18030", "by": "declared"}
    assert encoding["/taodocs/report.html"] == {"encoding": "big5hkscs", "by": "declared"}
    assert encoding["/360docs/essay.html"] == {"encoding": "utf-8", "by": "declared"}
    assert encoding["/renrendoc/plan.html"] == {"encoding": "gb18030", "by": "detected"}
    assert encoding["/31ppt/lesson.html"]["encoding"] == "gb18030"  # both labels lie
    assert [r["from"] for r in encoding["/31ppt/lesson.html"]["rejected"]] == ["declared", "meta"]
    assert "我的同学䶮䶮来自城市" in items["/360docs/essay.html"]["text"]  # beyond GBK
    assert "共計服務一百二十六人" in items["/taodocs/report.html"]["text"]  # Big5
    assert items["/book118/notice.html"]["metadata"]["site"] == "book118"


def test_what_cannot_be_cleaned_is_dropped_with_its_reason(crawl):
    server = crawl["server"]
    reasons = {d["url"][len(server) :]: d["reason"] for d in crawl["dropped"]}
    assert reasons == {
        "/files/notice.pdf": "cleaner: bad_page: binary content (NUL bytes): not a text or"
        " HTML page",
        "/slow.html": f"cleaner: page_timeout: cleaning took longer than the {TIMEOUT:g}s page"
        " time limit (CLEANER_PAGE_TIMEOUT)",
    }
    # the command line gives the slow page the same error; it passes over the PDF, not a page
    assert {url: e["error"] for url, e in crawl["cli_errors"].items()} == {
        server + "/slow.html": "page_timeout"
    }


def test_the_crawl_stats_add_up(crawl):
    stats = crawl["stats"]
    cleaner = {k[len("cleaner/") :]: v for k, v in stats.items() if k.startswith("cleaner/")}
    sites = {k[len("site/") :]: v for k, v in cleaner.items() if k.startswith("site/")}
    kinds = {k[len("errors/") :]: v for k, v in cleaner.items() if k.startswith("errors/")}
    assert cleaner["records"] == len(site_pages()) + 2
    assert cleaner["records"] == cleaner["cleaned"] + cleaner["errors"]
    assert cleaner["cleaned"] == stats["item_scraped_count"] == len(crawl["items"])
    assert cleaner["errors"] == stats["item_dropped_count"] == len(crawl["dropped"])
    assert kinds == {"bad_page": 1, "page_timeout": 1}
    assert sites == {s: 1 for s in ("book118", "taodocs", "360docs", "renrendoc", "31ppt")}
    assert "cleaner: records in 7 = cleaned 5 + errors 2" in crawl["log"]


def _less_origin(provenance: dict) -> dict:
    return {k: v for k, v in provenance.items() if k != "origin"}


# the pipeline in this process, item by item


def pipeline(**settings) -> CleanerPipeline:
    """The pipeline as a crawler builds it, with no reactor: a stand-in crawler has the two
    things `from_crawler` reads."""
    crawler = SimpleNamespace(settings=Settings(settings))
    crawler.stats = MemoryStatsCollector(crawler)
    return CleanerPipeline.from_crawler(crawler)


class DocItem(scrapy.Item):
    url = scrapy.Field()
    html = scrapy.Field()
    encoding = scrapy.Field()
    text = scrapy.Field()
    metadata = scrapy.Field()
    provenance = scrapy.Field()
    error = scrapy.Field()


@dataclasses.dataclass
class DocRecord:
    url: str
    text: str
    metadata: dict | None = None
    provenance: dict | None = None


BOOK118_URL = "https://max.book118.com/html/2023/0828/6034021122005213.shtm"


def test_items_of_every_kind_are_cleaned(cleaner):
    html = sample("book118/notice-html")
    expected = cleaner.clean(html, url=BOOK118_URL, encoding="gbk", origin={"url": BOOK118_URL})
    p = pipeline()
    as_dict = p.process_item({"url": BOOK118_URL, "html": html, "encoding": "gbk"})
    as_item = p.process_item(DocItem(url=BOOK118_URL, html=html, encoding="gbk"))
    for item in (as_dict, as_item):
        assert item["text"] == expected.text
        assert item["metadata"] == expected.metadata
        assert item["provenance"] == expected.provenance
        assert item["html"] is html  # the input stays
    dump = (SAMPLES / "book118/speech/input.txt").read_text("utf-8")
    expected = cleaner.clean_page(Page(dump, url=BOOK118_URL, origin={"url": BOOK118_URL}))
    as_text = p.process_item(DocRecord(url=BOOK118_URL, text=dump))  # a dataclass item
    assert (as_text.text, as_text.metadata) == (expected.text, expected.metadata)
    assert as_text.provenance == expected.provenance


def test_the_input_field_and_output_fields_are_settings():
    p = pipeline(CLEANER_INPUT_FIELD="body", CLEANER_OUTPUT_FIELDS=["text"])
    page = "<html><body><p>正文一段。</p></body></html>"
    item = p.process_item({"body": page, "html": "<p>not this</p>"})
    assert item["text"] == "正文一段。" and "metadata" not in item and "provenance" not in item


def test_errors_are_kept_with_their_record_when_asked():
    p = pipeline(CLEANER_ON_ERROR="keep")
    item = p.process_item(DocItem(url="https://x.test/a.pdf", html=PDF))
    assert item["error"] == {
        "id": None,
        "origin": {"url": "https://x.test/a.pdf"},
        "error": "bad_page",
        "message": "binary content (NUL bytes): not a text or HTML page",
    }
    assert item["text"] is None and item["metadata"] is None and item["provenance"] is None
    missing = p.process_item({"url": "https://x.test/b"})
    assert missing["error"]["error"] == "no_text"
    assert "'html' or 'text'" in missing["error"]["message"]
    assert p.stats.get_stats() == {
        "cleaner/records": 2,
        "cleaner/errors": 2,
        "cleaner/errors/bad_page": 1,
        "cleaner/errors/no_text": 1,
    }


def test_an_item_without_a_page_is_dropped_and_counted():
    p = pipeline()
    with pytest.raises(DropItem, match="cleaner: no_text: the item has no 'html' or 'text'"):
        p.process_item({"url": "https://x.test/b", "html": None})
    assert p.stats.get_value("cleaner/errors/no_text") == 1


def test_an_item_class_without_the_output_fields_gets_a_clear_error():
    class Bare(scrapy.Item):
        html = scrapy.Field()

    with pytest.raises(CleanerError, match="Bare has no field 'text': declare it"):
        pipeline().process_item(Bare(html="<p>正文。</p>"))


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"CLEANER_ON_ERROR": "skip"}, "CLEANER_ON_ERROR must be 'drop' or 'keep'"),
        ({"CLEANER_OUTPUT_FIELDS": ["text", "title"]}, "CLEANER_OUTPUT_FIELDS takes some of"),
        ({"CLEANER_SITE": "nosuchsite"}, "unknown site 'nosuchsite'"),
    ],
)
def test_bad_settings_are_refused_when_the_crawl_starts(settings, message):
    with pytest.raises(CleanerError, match=message):
        pipeline(**settings)


def test_rules_and_site_settings_reach_the_cleaner(tmp_path):
    (tmp_path / "slow.toml").write_text(SLOW_PACK, encoding="utf-8")
    p = pipeline(CLEANER_RULES=[str(tmp_path)], CLEANER_SITE="slow")
    assert isinstance(p.accounts.cleaner, Cleaner)
    assert p.accounts.cleaner.site == "slow" and "slow" in p.accounts.cleaner.book.packs


def test_declared_encoding_is_the_header_charset_not_a_guess():
    body = sample("renrendoc/plan-html")  # GBK, no label anywhere
    guessed = HtmlResponse("https://x.test/", body=body)
    assert declared_encoding(guessed) is None
    labelled = HtmlResponse(
        "https://x.test/", body=body, headers={"Content-Type": "text/html; charset=GBK"}
    )
    assert declared_encoding(labelled) == "GBK"
    assert declared_encoding(Response("https://x.test/a.pdf", body=PDF)) is None
