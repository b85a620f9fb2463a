"""Learning a site from its own pages: composed page sets of one host, the safety rule, the
round trip through `rules check`, and a learned pack cleaning its own pages."""

import dataclasses
import random
import tomllib
from types import SimpleNamespace

import pytest
from clirun import runner
from learn_pages import (
    CHROME,
    SPEECH_HEADINGS,
    SPEECH_OPENINGS,
    TITLES,
    body,
    doc_page,
    html_page,
    short_frame_page,
    speech,
    speech_page,
    titled_frame_page,
)

from cleaner import Page
from cleaner.cli import cli
from cleaner.describe.normalize import SPACE_RULE
from cleaner.learn import LearnOptions, learn
from cleaner.learn.config import load_config
from cleaner.learn.counter import BottomK, Tally, TopCounter
from cleaner.learn.group import removed_lines, site_of
from cleaner.page import Removal
from cleaner.rulebook.load import load_rulebook

URL = "https://wenku.example.com/doc/{}.html"


@pytest.fixture(scope="module")
def base(cleaner):
    return cleaner


def doc_pages(n=8):
    return [Page(doc_page(i), url=URL.format(i), id=str(i)) for i in range(n)]


@pytest.fixture(scope="module")
def doc_report(base):
    return learn(doc_pages(), base)


def only_pack(report):
    (group,) = [g for g in report.groups if g.pack is not None]
    assert group.refused == []  # every rule learned passed the pack checks
    return group


def test_a_host_gets_one_pack_named_by_its_site(doc_report):
    group = only_pack(doc_report)
    assert group.key == "example.com" and group.pages == 8
    assert group.pack.learned and group.pack.domains == ("example.com",)
    assert doc_report.lines()[0] == f"learned packs: example.com {group.rules} rules (8 pages)"


def test_what_repeats_is_generalised(doc_report):
    data = tomllib.loads(only_pack(doc_report).text)
    text = {r["kind"]: r for r in data["text"]}
    patterns = [r.get("pattern") or r.get("start", "") for r in data["text"]]
    # the page's own title inside a chrome line becomes a run of characters, and a capture
    assert any("收藏《[^\\n]{1,120}》到我的文库" in p for p in patterns)
    title = next(m for m in data["meta"] if m["field"] == "title")
    assert "(?P<value>" in title["pattern"]
    # counters become \d+, and the number next to a field word is captured
    views = next(m for m in data["meta"] if m["field"] == "views")
    assert views["pattern"].startswith("^[ \\t]*浏览:")
    uploader = next(m for m in data["meta"] if m["field"] == "uploader")
    assert len(uploader["examples"]) == 3
    # lines that follow each other on every page: one block; the anchors: cuts
    assert text["drop_block"]["end"] == "^[ \\t]*文档正文[ \\t]*$"
    assert text["cut_before"]["pattern"] == "^[ \\t]*文档正文[ \\t]*$"
    assert text["cut_after"]["pattern"] == "^[ \\t]*更多相关文档[ \\t]*$"
    assert 0 < text["cut_before"]["within"] <= 0.5


def test_every_rule_says_its_support(doc_report):
    text = only_pack(doc_report).text
    tables = text.count("[[text]]") + text.count("[[meta]]") + text.count("[[html]]")
    assert text.count("# seen on ") == tables
    assert "# seen on 8 of 8 pages" in text


def test_the_learned_pack_cleans_its_own_pages(base, doc_report):
    cleaner = base.with_packs(doc_report.packs)
    for i, page in enumerate(doc_pages()):
        res = cleaner.clean_page(page)
        assert res.text.split("\n") == body(i), i
        assert res.metadata["uploader"] and res.metadata["views"] and res.metadata["title"]
        assert {"pack": "example.com", "sha256": doc_report.packs[0].sha256, "learned": True} in (
            res.provenance["rules"]
        )


def test_new_pages_of_the_site_are_cleaned_too(base, doc_report):
    cleaner = base.with_packs(doc_report.packs)
    for i in range(20, 25):
        res = cleaner.clean(doc_page(i), url=URL.format(i))
        assert not any(c in res.text for c in CHROME), res.text
        assert res.text.split("\n") == body(i)


def test_the_pack_round_trips_through_rules_check(tmp_path, doc_report):
    (path,) = doc_report.write(tmp_path / "packs")
    assert path.name == "example.com.toml"
    book = load_rulebook([path.parent], bundled=False)
    assert book.packs["example.com"].sha256 == doc_report.packs[0].sha256
    res = runner().invoke(cli, ["rules", "check", str(path.parent)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("1 packs")


def test_an_existing_pack_is_not_overwritten_without_force(tmp_path, doc_report):
    doc_report.write(tmp_path)
    with pytest.raises(Exception, match="--force"):
        doc_report.write(tmp_path)
    doc_report.write(tmp_path, force=True)


def speech_pages():
    bodies = [speech(i) for i in range(7)]
    bodies.append(bodies[3])  # one speech the site hosts twice
    return bodies, [
        Page(speech_page(i, b), url=f"https://www.jianghua.example.cn/{i}.html")
        for i, b in enumerate(bodies)
    ]


def test_lines_that_speeches_share_are_not_chrome(base):
    bodies, pages = speech_pages()
    report = learn(pages, base)
    pack = only_pack(report).pack
    cleaner = base.with_packs([pack])
    for page, lines in zip(pages, bodies, strict=True):
        res = cleaner.clean_page(page)
        assert res.text.split("\n") == lines  # openings, headings, the closing, every line
    shared = [*SPEECH_OPENINGS, *SPEECH_HEADINGS, "谢谢大家!", *bodies[3]]
    for rule in pack.text:
        pattern = rule.pattern or rule.start
        for line in shared:
            assert pattern is None or not pattern.search(line), (rule.id, line)


def test_a_repeated_label_before_the_pages_own_text_is_stripped(base):
    def page(i):
        intro = body(900 + i, 1)[0]
        return intro, f"资料摘录:{intro}\n\n" + "\n".join(body(i)) + "\n"

    pages = [Page(page(i)[1], url=f"https://ziliao.example.net/{i}") for i in range(6)]
    pack = only_pack(learn(pages, base)).pack
    (strip,) = [r for r in pack.text if r.kind == "strip"]
    assert strip.pattern.pattern == "^[ \\t]*资料摘录:[ \\t]*(?=\\S)"
    res = base.with_packs([pack]).clean(page(7)[1], url="https://ziliao.example.net/7")
    assert res.text.split("\n") == [page(7)[0], *body(7)]


def test_a_title_printed_twice_names_the_document_under_a_collections_heading(base):
    def page(i):
        title, lines = TITLES[i % len(TITLES)], body(i)
        collection = f"{TITLES[(i + 3) % len(TITLES)][:6]}资料汇编第{i}辑"
        top = f"{collection}\n\n打包下载\n\n{title}\n\n{title}\n\n"
        return title, lines, top + title + "\n\n".join(lines) + "\n"

    pages = [Page(page(i)[2], url=f"https://heji.example.org/d/{i}") for i in range(6)]
    pack = only_pack(learn(pages, base)).pack
    assert pack.title_glued
    title, lines, raw = page(7)
    res = base.with_packs([pack]).clean(raw, url="https://heji.example.org/d/7")
    assert res.metadata["title"] == title
    assert res.text.split("\n") == lines  # the title printed twice and glued to the text gone


def test_a_learned_pack_cleans_a_clean_text_to_itself(base, doc_report):
    cleaner = base.with_packs(doc_report.packs)
    for page in doc_pages(3):
        once = cleaner.clean_page(page)
        assert cleaner.clean(once.text, url=page.url).text == once.text


def test_a_group_under_min_pages_gets_no_pack(base):
    report = learn(doc_pages(4), base)
    assert report.packs == []
    assert report.lines() == ["no pack learned: example.com (4 pages: under --min-pages 5)"]
    assert learn(doc_pages(4), base, LearnOptions(min_pages=3)).packs


def test_a_title_above_a_line_of_the_frame_is_captured_when_the_frame_goes(base):
    pages = [Page(titled_frame_page(i), url=URL.format(i)) for i in range(8)]
    report = learn(pages, base)
    data = tomllib.loads(only_pack(report).text)
    (capture,) = [m for m in data["meta"] if "line above" in m["why"]]
    assert capture["field"] == "title" and "资料合集下载" in capture["pattern"]
    cleaner = base.with_packs(report.packs)
    for i in (*range(8), 11):  # the pages learned from, and a new one
        res = cleaner.clean(titled_frame_page(i), url=URL.format(i))
        assert res.text.split("\n") == body(i)
        assert res.metadata["title"] == TITLES[i % len(TITLES)]


def test_pages_without_a_url_whose_frame_is_one_chrome_line_group_by_that_line(base):
    pages = [Page(short_frame_page(i, "合集下载"), id=f"a{i}") for i in range(6)]
    pages += [
        Page(short_frame_page(i, f"You are on page 1of {i + 3}"), id=f"b{i}") for i in range(6)
    ]
    random.Random(5).shuffle(pages)
    by_chrome = learn(pages, base, LearnOptions(min_pages=99))
    assert sorted(g.pages for g in by_chrome.groups) == [6, 6]
    frame_only = dataclasses.replace(load_config(), template_chrome=2.0)
    by_frame = learn(pages, base, LearnOptions(min_pages=99, config=frame_only))
    assert len(by_frame.groups) > 2  # the short lines of each page's own list outweigh it


def test_the_lines_removed_whole_are_the_ones_a_template_is_known_by():
    source = "立即下载\n正文的一句。广告语\n  上传人:张三  \n\n末行"
    at = source.index
    removals = [
        Removal("generic/download", 0, at("正")),  # a line and its break
        Removal("region/sentence", at("广"), at("广") + 3),  # a sentence of a line
        Removal(SPACE_RULE, at("\n  上"), at("上")),
        Removal("generic/meta", at("上"), at("末")),  # a line, its spaces and a blank line
    ]
    cleaned = SimpleNamespace(source_text=source, removals=removals)
    assert removed_lines(cleaned) == ["立即下载", "上传人:张三"]
    removals[0] = Removal("generic/download", 2, at("正"))  # from inside the line
    assert removed_lines(cleaned) == ["上传人:张三"]


def test_html_pages_give_dom_rules(base):
    pages = [
        Page(html_page(i), url=f"https://docs.example.org/{i}.html", kind="html") for i in range(6)
    ]
    group = only_pack(learn(pages, base))
    css = {r.css for r in group.pack.html}
    assert css == {"div.doc-tips", "div.site-links"}
    assert not group.pack.text  # the text of those nodes needs no text rule
    cleaner = base.with_packs([group.pack])
    for i, page in enumerate(pages):
        res = cleaner.clean_page(page)
        assert res.text.split("\n") == body(500 + i, 4)
        assert {d["rule"] for d in res.provenance["dom_removed"]} >= {
            "example.org/node-div-doc-tips"
        }


def test_a_site_is_its_registrable_domain():
    assert site_of("https://www.360docs.net/doc/1.html") == "360docs.net"
    assert site_of("https://ru.scribd.com/document/1") == "scribd.com"
    assert site_of("http://max.book118.com/html/1.shtm") == "book118.com"
    assert site_of("https://a.b.github.io/x") == "b.github.io"
    assert site_of("https://x.co.uk/") == "x.co.uk"
    assert site_of("http://192.168.0.1:8080/a") == "192.168.0.1"
    assert site_of("https://例子.中国/a") == "xn--fsqu00a.xn--fiqs8s"
    assert site_of(None) is None


def test_the_counter_keeps_what_is_frequent_in_bounded_memory():
    counter = TopCounter(256, Tally)  # 20 body lines a page: a line on 16% of pages is safe
    for page in range(5000):
        counter.hit("chrome")
        if page % 3 == 0:
            counter.hit("every third page")
        if page >= 2500:
            counter.hit("a layout from page 2,500 on")
        for line in range(20):
            counter.hit(f"body {page} {line}")
        assert len(counter) <= 256
    assert counter.get("chrome").seen >= 4900
    assert counter.get("every third page").seen >= 1500
    assert counter.get("a layout from page 2,500 on").seen >= 2400
    assert counter.get("body 4999 19").seen == 1
    assert counter.floor < 0.2 * 5000  # a count is off by less than a fifth of the pages


def test_the_body_sample_does_not_depend_on_the_order():
    items = [f"line {i}" for i in range(500)]
    a, b = BottomK(10), BottomK(10)
    for x in items:
        a.add(x, x)
    for x in reversed(items):
        b.add(x, x)
    assert list(a) == list(b) and len(a) == 10


def test_the_thresholds_are_data(tmp_path, base):
    from cleaner.learn import load_config
    from cleaner.learn.config import CONFIG_FILE
    from cleaner.rulebook.load import BUNDLED_RULES

    text = (BUNDLED_RULES / CONFIG_FILE).read_text("utf-8")
    assert "\nmin_pages = 3\n" in text
    stricter = tmp_path / "learn.toml"
    stricter.write_text(text.replace("\nmin_pages = 3\n", "\nmin_pages = 9\n"), "utf-8")
    options = LearnOptions(config=load_config(str(stricter)))
    report = learn(doc_pages(), base, options)  # 8 pages: no line is on 9
    assert report.packs == [] and "nothing repeats" in report.lines()[0]
