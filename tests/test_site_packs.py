"""The site packs: URL captures, slug titles, summed counts, dates, titles, and every sample."""

import pytest

from cleaner import Cleaner
from cleaner.describe.metadata import language, slug_words
from cleaner.describe.normalize import title_edits
from cleaner.engine.text import apply_rules
from cleaner.rulebook.load import compile_pack
from cleaner.samples import find_samples, run_rules_test


def pack(meta=(), text=(), **site):
    return compile_pack({"site": {"id": "t", **site}, "meta": list(meta), "text": list(text)}, "t")


def test_every_pack_example_and_sample_passes(cleaner):
    report = run_rules_test(cleaner, find_samples())
    assert report.ok, "\n".join(report.table())


def test_every_site_pack_has_a_sample(cleaner):
    sites = {s.site for s in find_samples()}
    missing = [p.id for p in cleaner.book.packs.values() if not p.always and p.id not in sites]
    assert not missing


def test_url_less_samples_are_detected_by_content(cleaner):
    for sample in find_samples():
        if sample.case.get("url") is None:
            assert cleaner.clean_page(sample.page()).metadata["site"] == sample.site, sample.name


def test_url_capture_reads_the_url_and_formats_a_slug(tmp_path):
    (tmp_path / "t.toml").write_text(
        """[site]
id = "t"
domains = ["example.org"]
[title]
strip = ['-docx$']
[[meta]]
field = "title"
source = "url"
format = "slug"
pattern = '/doc/\\d+/(?P<value>[^/?#]+)'
[[meta]]
field = "doc_id"
source = "url"
pattern = '/doc/(?P<value>\\d+)'
""",
        encoding="utf-8",
    )
    c = Cleaner(rules=[tmp_path])
    res = c.clean(
        "Some text of the document.", url="https://example.org/doc/42/end-of-the-year-docx"
    )
    assert res.metadata["title"] == "End of the Year"
    assert res.metadata["doc_id"] == "42"
    assert c.clean("Some text of the document.").metadata["title"] is None


def test_slug_words():
    assert slug_words("graduation-speech") == "Graduation Speech"
    assert slug_words("a_tale_of_two_cities") == "A Tale of Two Cities"
    assert slug_words("iPhone-guide") == "iPhone Guide"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("今天召开全县安全生产工作会议,主要任务是总结去年工作,部署今年任务。", "zh"),
        (
            "The committee met on Monday and agreed that the budget for the year will be ready.",
            "en",
        ),
        ("El comité se reunió el lunes y acordó que el presupuesto para el año está listo.", "es"),
        (
            "Der Rat traf sich und beschloss, dass der Plan für das Jahr mit dem Amt steht.",
            "de",
        ),
        ("Le comité s'est réuni lundi et a convenu que le budget pour l'année est prêt.", "fr"),
        ("Комитет собрался в понедельник и решил, что бюджет на год уже готов и это не всё.", "ru"),
    ],
)
def test_the_language_is_named_by_script_and_function_words(text, code):
    assert language(text) == code


def test_a_language_without_a_clear_lead_is_the_packs_default_or_null():
    names = "Anna Berg, Carlos Ruiz, Dmitri Orlov, Emma Stone, Felix Wagner, Greta Lind. " * 2
    assert language(names) is None
    assert language(names, "en") == "en"
    assert language("12 345 678") is None


def test_add_group_sums_pages_read_and_left():
    p = pack(
        meta=[
            {
                "field": "pages",
                "pattern": r"已阅读(?P<value>\d+)页,还剩(?P<add>\d+)页未读",
            }
        ]
    )
    from cleaner.describe.metadata import capture, empty

    meta = empty()
    capture([p], "已阅读5页,还剩12页未读", meta, "page")
    assert meta["pages"] == 17


def test_english_dates_are_iso():
    from cleaner.describe.metadata import _typed

    assert _typed("upload_date", "Feb 20, 2024") == "2024-02-20"
    assert _typed("upload_date", "3 March 2023") == "2023-03-03"
    assert _typed("upload_date", "2022年12月2日") == "2022-12-02"


def test_title_prefix_ignores_white_space_inside_the_title_but_needs_a_break_after_it():
    text = "安委扩大会 讲话汇编 县委决定今天召开会议"
    edits = title_edits(text, "安委扩大会讲话汇编")
    assert text[edits[0].end :] == "县委决定今天召开会议"
    assert title_edits("安委扩大会讲话汇编今天召开", "安委扩大会讲话汇编") == []


def test_windowed_cuts_are_measured_again_after_each_cut():
    p = pack(
        text=[
            {
                "id": "a",
                "kind": "cut_after",
                "pattern": "^相关文档$",
                "within": 0.35,
                "why": "t",
                "examples": ["x\n相关文档"],
            },
            {
                "id": "b",
                "kind": "cut_after",
                "pattern": "^You might also like$",
                "within": 0.35,
                "why": "t",
                "examples": ["x\nYou might also like"],
            },
        ]
    )
    page = "我们" * 20 + "\n相关文档\n" + "我们" * 4 + "\nYou might also like"
    removals, fired = apply_rules(p.text, page)
    assert {r.id for r, _ in fired} == {"t/a", "t/b"}
    assert min(r.start for r in removals) == page.index("相关文档")


def test_pinyin_glosses_go_and_are_flagged(cleaner):
    res = cleaner.clean("違反手冊和相關(guān)規定的,不予獎勵(lì)。")
    assert res.text == "違反手冊和相關規定的,不予獎勵。"
    assert "pinyin_gloss" in res.provenance["flags"]


def test_chunk_numbers_go_and_the_parts_join(cleaner):
    page = (
        "《课件.ppt》由会员分享,可在线阅读,更多相关《课件.ppt(9页珍藏版)》请在三一办公上搜索。\n\n"
        "1、第一章 概述,本课程介绍市场的基本概念、市场调查的一般方法以及市场营销的基本\n\n"
        "2、原理,包括需求、交换和顾客价值等内容,供同学们课前预习使用。"
    )
    res = cleaner.clean(page, url="https://m.31ppt.com/p-1.html")
    assert res.text == (
        "第一章 概述,本课程介绍市场的基本概念、市场调查的一般方法以及市场营销的基本原理,"
        "包括需求、交换和顾客价值等内容,供同学们课前预习使用。"
    )
