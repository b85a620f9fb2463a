"""The library face: the seed page end to end, the record contract, pickling."""

import json
import pickle
from pathlib import Path

import pytest

from cleaner import Cleaner, __version__, rebuild

SEED = Path(__file__).parent.parent / "samples" / "book118" / "speech" / "input.txt"
CHROME = [
    ".docxVIP",
    "讲话.docx\n",
    "原创力文档(book118)网站文档一经付费",
    "本站所有内容均由合作方或网友上传",
    "请点击“版权申诉”(推荐)",
    "该文档为VIP文档",
    "下载本文档将扣除1次下载权益",
    "您将拥有八大权益",
    "对文档贡献者给予高额补贴",
    "查看更多",
    "文档评论(0)",
    "a888118a + 关注",
    "实名认证",
    "文档贡献者",
    "该用户很懒,什么也没介绍",
    "1亿VIP精品文档",
    "相关文档",
]


@pytest.fixture(scope="module")
def seed(cleaner):
    return cleaner.clean(SEED.read_text(encoding="utf-8"))


def test_seed_text_is_the_body_alone(seed):
    assert seed.text.startswith("同志们:\n这次全县计划生育工作形势分析会")
    assert seed.text.endswith("确保工作扎实开")
    for chrome in CHROME:
        assert chrome not in seed.text, chrome
    assert "在全县计划生育工作半年形势分析会上的讲话" not in seed.text


def test_seed_paragraphs_are_restored(seed):
    lines = seed.text.split("\n")
    assert "下面,我再强调三点意见。" in lines[1]
    assert "一、正视问题,充分认识人口与计划生育工作的严峻形势。" in lines
    assert all(line and line == line.strip() for line in lines)
    assert "   " not in seed.text


def test_seed_body_characters_are_unchanged(seed):
    source = SEED.read_text(encoding="utf-8")
    body = source[source.index("同志们:") : source.index("确保工作扎实开") + 7]
    assert "".join(body.split()) == "".join(seed.text.split())


def test_seed_metadata(seed):
    m = seed.metadata
    assert m["title"] == "在全县计划生育工作半年形势分析会上的讲话"
    assert (m["site"], m["site_name"], m["url"]) == ("book118", "原创力文档", None)
    assert (m["doc_format"], m["vip"], m["comments"]) == ("docx", True, 0)
    assert (m["uploader"], m["uploader_verified"]) == ("a888118a", True)
    assert m["truncated"] is True
    assert m["pages"] is None and m["upload_date"] is None


def test_seed_provenance(seed):
    p = seed.provenance
    source = SEED.read_text(encoding="utf-8")
    assert p["cleaner_version"] == __version__
    assert p["chars_in"] == len(source) and p["chars_out"] == len(seed.text)
    assert {r["pack"] for r in p["rules"]} >= {"book118", "generic"}
    assert all(len(r["sha256"]) == 64 for r in p["rules"])
    assert p["detection"] == {"site": "book118", "by": "fingerprint"}
    assert "encoding_loss" in p["flags"] and "truncated" in p["flags"]
    rules = {r["rule"] for r in p["removed"]}
    assert {"book118/terms", "book118/file-name", "book118/uploader-card"} <= rules
    terms = next(r for r in p["removed"] if r["rule"] == "book118/terms")
    assert source[terms["start"] : terms["end"]].lstrip().startswith("1. 1、原创力文档")
    assert rebuild(source, p["removed"]) == seed.text


def test_record_is_json_with_the_contract_fields(seed):
    record = json.loads(json.dumps(seed.to_dict(), ensure_ascii=False))
    assert set(record) == {"id", "text", "metadata", "provenance"}
    assert record["id"] == seed.provenance["input_sha256"][:16]


def test_unknown_fields_are_null():
    res = Cleaner().clean("这是一段没有任何网站外壳的正文。\n第二段也是正文。")
    assert res.text == "这是一段没有任何网站外壳的正文。\n第二段也是正文。"
    assert res.metadata["site"] is None and res.metadata["title"] is None
    assert res.metadata["uploader"] is None and res.provenance["removed"] == []
    assert res.metadata["truncated"] is False


def test_cleaner_pickles_and_cleans_the_same(cleaner, seed):
    clone = pickle.loads(pickle.dumps(cleaner))
    again = clone.clean(SEED.read_text(encoding="utf-8"))
    assert again.to_dict() == seed.to_dict()


def test_forced_site_and_url_detection():
    text = "正文第一段。\n正文第二段。"
    assert Cleaner(site="book118").clean(text).metadata["site"] == "book118"
    res = Cleaner().clean(text, url="https://max.book118.com/html/2020/1.shtm")
    assert res.metadata["site"] == "book118"
    assert res.provenance["detection"]["by"] == "url"


def test_only_chrome_page_is_flagged_empty_not_dropped(cleaner):
    res = cleaner.clean("查看更多\n点击查看更多>>\n下载本文档\n")
    assert res.text == ""
    assert "empty" in res.provenance["flags"]
    assert res.metadata["truncated"] is None


def test_a_rule_removing_most_of_a_page_is_flagged(tmp_path):
    (tmp_path / "greedy.toml").write_text(
        '[site]\nid = "greedy"\nfingerprints = ["^GREEDY$"]\n'
        '[[text]]\nid = "tail"\nkind = "cut_after"\npattern = "^尾部$"\n'
        'why = "test"\nexamples = ["尾部"]\n',
        encoding="utf-8",
    )
    res = Cleaner(rules=[tmp_path]).clean("GREEDY\n正文。\n尾部\n" + "被误删的正文。\n" * 50)
    assert "rule_removed_most:greedy/tail" in res.provenance["flags"]
    assert res.text == "GREEDY\n正文。"


def test_full_width_punctuation_is_matched_like_ascii(cleaner, seed):
    """Browsers give full-width `\uff0c\uff08\uff09`, NFKC-folding scrapers `,()`: both match."""
    widen = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in ",():!?"})
    wide = cleaner.clean(SEED.read_text(encoding="utf-8").translate(widen))
    assert wide.text == seed.text.translate(widen)
    assert wide.metadata == seed.metadata
    assert [r["rule"] for r in wide.provenance["removed"]] == [
        r["rule"] for r in seed.provenance["removed"]
    ]


def test_clean_many_cleans_texts_and_pages_in_order(cleaner):
    from cleaner import Page

    pages = ["第一篇正文。", Page("第二篇正文。", id="b"), "查看更多\n第三篇正文。"]
    results = list(cleaner.clean_many(pages))
    assert [r.text for r in results] == ["第一篇正文。", "第二篇正文。", "第三篇正文。"]
    assert results[1].id == "b"


def test_the_public_api_is_importable_from_the_package():
    import cleaner

    for name in ("Cleaner", "Page", "Cleaned", "PageError", "RuleTimeout", "PackError", "rebuild"):
        assert name in cleaner.__all__ and getattr(cleaner, name) is not None
    assert issubclass(cleaner.RuleTimeout, cleaner.PageError)
    assert cleaner.__version__ == __version__
