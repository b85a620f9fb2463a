"""Hostile pages: each ends in a clean result or a clear `PageError`, never a crash or a hang.

How long each takes is measured by benchmarks/hostile.py, not asserted here.
"""

import pytest

from cleaner import Page, PageError

BODY = "这是一段正文,用来测试很长的单行文本。"


def test_50_mb_single_line(cleaner):
    line = BODY * (50_000_000 // len(BODY.encode()))
    res = cleaner.clean(line.encode())
    assert res.text == line
    assert res.provenance["chars_in"] == len(line)


def test_100_000_short_lines(cleaner):
    res = cleaner.clean("短行正文。\n" * 100_000)
    assert res.text.count("\n") == 99_999
    assert res.provenance["removed"][-1]["rule"] == "normalize/space"


@pytest.mark.parametrize("data", [b"\x00" * 100, b"PK\x03\x04\x00\x00binary", b"%PDF-1.4\x00\x01"])
def test_binary_content_is_reported_as_not_a_page(cleaner, data):
    with pytest.raises(PageError, match="not a text or HTML page"):
        cleaner.clean(data)


def test_a_stray_nul_byte_does_not_make_a_page_binary(cleaner):
    res = cleaner.clean("第一段正文。\n".encode() * 10 + b"\x00" + "第二段。".encode())
    assert res.text.endswith("第二段。")


def test_invalid_utf8_keeps_the_good_text_and_flags_the_loss(cleaner):
    data = "第一段正文,内容完整。\n".encode() * 20 + b"\xe6\xad" + "第二段正文。".encode()
    res = cleaner.clean(data)
    assert res.provenance["encoding"]["encoding"] == "utf-8"
    assert res.text.startswith("第一段正文,内容完整。") and res.text.endswith("第二段正文。")
    assert "\ufffd" in res.text
    assert "encoding_loss" in res.provenance["flags"]


def test_gbk_page_labelled_utf8_is_decoded_as_gbk(cleaner):
    text = "各位代表:现在我代表县政府作工作报告,请予审议。\n" * 30
    res = cleaner.clean(text.encode("gbk"), encoding="utf-8")
    assert res.text == text.strip()
    enc = res.provenance["encoding"]
    assert enc["encoding"] == "gb18030"
    assert enc["rejected"][0]["label"] == "utf-8"


def test_html_nested_100_000_levels_is_a_clear_error(cleaner):
    deep = 100_000
    html = "<html><body>" + "<div>" * deep + "正文。" + "</div>" * deep + "</body></html>"
    with pytest.raises(PageError, match="nested too deeply"):
        cleaner.clean_page(Page(html, kind="html"))


def test_html_nested_1000_levels_still_cleans(cleaner):
    deep = 1000
    html = "<html><body>" + "<div>" * deep + "正文。" + "</div>" * deep + "</body></html>"
    assert cleaner.clean_page(Page(html, kind="html")).text == "正文。"


def test_billion_laughs_is_not_expanded(cleaner):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    html = f"<!DOCTYPE html [{entities}]><html><body><p>&lol9;</p><p>正文。</p></body></html>"
    res = cleaner.clean_page(Page(html, kind="html"))
    assert "正文。" in res.text
    assert "lollollol" not in res.text
    assert len(res.text) < 1000


def test_empty_file(cleaner):
    res = cleaner.clean(b"")
    assert res.text == "" and "empty" in res.provenance["flags"]


def test_page_of_only_chrome_is_flagged_not_dropped(cleaner):
    res = cleaner.clean("已阅读5页,还剩12页未读 继续免费阅读\n下载本文档\n点击查看更多>>\n")
    assert res.text == ""
    assert "empty" in res.provenance["flags"]
    assert res.to_dict()["text"] == ""
