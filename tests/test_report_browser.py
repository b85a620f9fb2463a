"""The report in a real browser: headless Chromium opens the report `clean --report` wrote,
and its DOM holds the run's own accounts, every removed span of every page shown, and nothing a
hostile page tried to inject; a screenshot shows a page that is not blank.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from browser import CHROMIUM, MISSING, dump_dom, screenshot
from clirun import runner
from lxml import html as lxml_html

from cleaner import rebuild
from cleaner.cli import cli
from cleaner.samples import find_samples

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PAGES = find_samples(ROOT / "samples")
PWN = "document.body.setAttribute('data-pwned', '{}')"
# a page without a pack whose body and chrome both hold markup that must stay text
HOSTILE_TEXT = f"""关于<script>{PWN.format(1)}</script>的说明
各位同事:<img src=x onerror="{PWN.format(2)}">本周五下午召开全体会议,请准时参加。
会议地点在三楼会议室,</pre></section><script>{PWN.format(3)}</script>请带好笔记本。
以上内容来自互联网,请自行判断内容的正确性<script>{PWN.format(4)}</script>
"""
HOSTILE_HTML = (
    "<html><head><title>x</title></head><body><article><p>正文第一段&lt;script&gt;"
    f"{PWN.format(5)}&lt;/script&gt;,继续。</p><script>{PWN.format(6)}</script>"
    "<p>正文第二段。</p></article></body></html>"
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(MISSING)
    tmp = tmp_path_factory.mktemp("browser")
    (tmp / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    lines = [
        json.dumps({"id": "hostile-html", "html": HOSTILE_HTML, "url": "https://ex.org/a"}),
        "{not json",
        json.dumps({"id": "crlf", "text": "\n第一行\r\n第二行,   多余的空格。\r\n查看更多\r\n"}),
    ]
    (tmp / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, errors, report = tmp / "out.jsonl", tmp / "errors.jsonl", tmp / "report.html"
    args = ["clean", str(ROOT / "samples"), str(tmp / "hostile.txt"), str(tmp / "dump.jsonl")]
    args += ["-o", str(out), "--errors", str(errors), "--report", str(report), "--workers", "1"]
    args += ["--report-sample", "100"]  # every page of the run shown
    result = runner().invoke(cli, args)
    assert result.exit_code == 1, result.output  # the broken line is an error record
    records = {r["id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    return {
        "tmp": tmp,
        "report": report,
        "stderr": result.stderr,
        "records": records,
        # a carriage return is a character of the DOM, which the dump writes raw and a parser
        # would read as a line break: keep it one
        "dom": lxml_html.fromstring(dump_dom(report).replace("\r", "&#13;")),
    }


def _value(dom, key: str) -> int:
    return int(dom.get_element_by_id(f"n-{key}").get("data-value"))


def test_the_summary_numbers_are_the_runs(run):
    said = run["stderr"]
    n_in, cleaned, errors = map(
        int, re.search(r"records in (\d+) = cleaned (\d+) \+ errors (\d+)", said).groups()
    )
    chars_in, chars_out = (
        int(x.replace(",", ""))
        for x in re.search(r"characters in ([\d,]+), out ([\d,]+)", said).groups()
    )
    dom = run["dom"]
    assert (_value(dom, "records_in"), _value(dom, "cleaned"), _value(dom, "errors")) == (
        n_in,
        cleaned,
        errors,
    )
    assert (_value(dom, "chars_in"), _value(dom, "chars_out")) == (chars_in, chars_out)
    assert n_in == len(SAMPLE_PAGES) + 4 and errors == 1  # hostile.txt and three JSONL lines

    listed = re.search(r"sites: (.*)", said).group(1).split(", ")
    sites = dict(item.rsplit(" ", 1) for item in listed)
    shown = {tr.get("data-site"): int(tr.get("data-pages")) for tr in dom.xpath("//tr[@data-site]")}
    no_pack = sum(n for site, n in shown.items() if site.startswith("(no pack"))
    unknown = sum(1 for sample in SAMPLE_PAGES if sample.site is None)
    assert no_pack == int(sites.pop("unknown")) == unknown + 3
    assert {s: n for s, n in shown.items() if not s.startswith("(no pack")} == {
        s: int(n) for s, n in sites.items()
    }
    kinds = {tr.get("data-kind"): int(tr.get("data-count")) for tr in dom.xpath("//tr[@data-kind]")}
    assert kinds == {"bad_json": 1}


def _marks(pre) -> tuple[str, list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """The text of a page view, the spans where its marks are, and the spans they claim."""
    first = pre.text or ""
    # the dump writes a line break after <pre> when the text starts with one, which a parser
    # then drops, as browsers do; lxml does not
    text, found, claimed = [first[1:] if first.startswith("\n") else first], [], []
    for mark in pre:
        start = len("".join(text))
        body = mark.text_content()
        text.append(body)
        found.append((mark.get("data-rule"), start, start + len(body)))
        claimed.append(
            (mark.get("data-rule"), int(mark.get("data-start")), int(mark.get("data-end")))
        )
        text.append(mark.tail or "")
    return "".join(text), found, claimed


def test_every_removed_span_of_every_page_shown_is_marked(run):
    sections = run["dom"].xpath("//section[@class='page']")
    assert len(sections) == len(run["records"])  # a small run: every page is shown
    for section in sections:
        record = run["records"][section.get("data-id")]
        assert section.get("data-view") == "source", record["id"]
        (pre,) = section.xpath(".//pre")
        text, found, claimed = _marks(pre)
        spans = [(s["rule"], s["start"], s["end"]) for s in record["provenance"]["removed"]]
        assert claimed == spans, record["id"]
        assert found == spans, record["id"]  # each mark covers exactly its span of the text
        assert rebuild(text, record["provenance"]["removed"]) == record["text"], record["id"]


def test_a_hostile_page_runs_nothing_and_shows_its_markup_as_text(run):
    dom = run["dom"]
    assert dom.body.get("data-pwned") is None
    assert dom.xpath("//script | //img | //iframe | //object | //link") == []
    views = [
        s
        for s in dom.xpath("//section[@class='page']")
        if s.get("data-id") in ("hostile-html",) or "onerror" in s.text_content()
    ]
    text = "".join(v.text_content() for v in views)
    for n in (1, 2, 3, 4, 5):
        assert PWN.format(n) in text
    gone = dom.xpath("//del[@data-rule='generic/source-disclaimer']")
    assert any("<script>" in d.text_content() for d in gone)


def test_a_screenshot_is_a_picture_of_a_page(run):
    png = run["tmp"] / "report.png"
    screenshot(run["report"], png, 1000, 1400)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 1400)
    pixels = zlib.decompress(b"".join(_chunks(data, b"IDAT")))
    assert len(set(pixels[::7])) > 40  # text, colours, lines: not a blank page


def _chunks(png: bytes, kind: bytes):
    pos = 8
    while pos < len(png):
        (size,) = struct.unpack(">I", png[pos : pos + 4])
        if png[pos + 4 : pos + 8] == kind:
            yield png[pos + 8 : pos + 8 + size]
        pos += 12 + size
