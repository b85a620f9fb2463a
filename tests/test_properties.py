"""Invariants of cleaning, over generated pages: real chrome mixed with random body text."""

import itertools
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Page, PageError, rebuild

CLEANER = Cleaner()
RULES_ONLY = Cleaner(region=False)  # the packs alone: no rule may touch a body

CHROME_LINES = [
    "在全县计划生育工作半年形势分析会上的讲话.docxVIP",
    "  1. 1、原创力文档(book118)网站文档一经付费(服务费),不意味着购买了该文档的版权",
    "查看更多",
    "文档评论(0)",
    "a888118a + 关注",
    "实名认证",
    "该用户很懒,什么也没介绍",
    "1亿VIP精品文档",
    "相关文档",
    "已阅读5页,还剩12页未读 继续免费阅读",
    "下载本文档",
    "版权说明:本文档由用户提供并上传,收益归属内容提供方,若内容存在侵权,请进行举报或认领",
    "商务文书写作ppt课件.ppt_第1页",
    "第1页 / 共43页",
    "点击查看更多>>",
    "上一篇:安全生产监管工作表态发言",
    "当前位置:文秘家园>> 文秘范文>> 应用材料>> 交流发言",
    "Download as docx, pdf, or txt",
    "…show more content…",
    "You might also like",
]
WORDS = [
    "我们",
    "工作",
    "发展",
    "认真",
    "落实",
    "会议",
    "同志们",
    "今年",
    "全面",
    "推进",
    "2024年",
    "the",
    "plan",
    "work",
    "report",
]
PUNCT = ["。", ",", "!", "?", ":", ";", " ", "   ", "\u3000"]

sentence = st.lists(st.sampled_from(WORDS + PUNCT), min_size=1, max_size=12).map("".join)
body_line = st.lists(sentence, min_size=1, max_size=4).map("".join)
page_line = st.one_of(body_line, st.sampled_from(CHROME_LINES), st.text(max_size=40))
pages = st.lists(page_line, max_size=25).map("\n".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def squeeze(s: str) -> str:
    return "".join(s.split())


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@SETTINGS
@given(st.text())
def test_never_raises_on_any_str(text):
    CLEANER.clean(text)


@SETTINGS
@given(st.binary())
def test_bytes_either_clean_or_a_clear_page_error(data):
    try:
        CLEANER.clean(data)
    except PageError as e:
        assert "not a text or HTML page" in str(e)


@SETTINGS
@given(pages)
def test_output_characters_come_from_the_input_in_order(page):
    res = CLEANER.clean(page)
    assert is_subsequence(squeeze(res.text), squeeze(page))
    inserted = [r["insert"] for r in res.provenance["removed"] if "insert" in r]
    assert all(s.isspace() for s in inserted)


@SETTINGS
@given(pages)
def test_provenance_spans_rebuild_the_output(page):
    res = CLEANER.clean(page)
    assert rebuild(page, res.provenance["removed"]) == res.text
    spans = res.provenance["removed"]
    assert all(0 <= a["start"] < a["end"] <= len(page) for a in spans)
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(spans))


@SETTINGS
@given(pages)
def test_cleaning_is_idempotent(page):
    once = CLEANER.clean(page)
    assert CLEANER.clean(once.text).text == once.text


@SETTINGS
@given(st.lists(body_line, min_size=1, max_size=20).map("\n".join))
def test_the_rules_return_a_body_without_chrome_whole(body):
    res = RULES_ONLY.clean(body)
    assert squeeze(res.text) == squeeze(body)
    assert all(
        r["rule"].startswith(("normalize/space", "generic/paragraph-spaces"))
        for r in res.provenance["removed"]
    )


@SETTINGS
@given(pages)
def test_output_is_one_stripped_paragraph_a_line(page):
    text = CLEANER.clean(page).text
    for line in text.split("\n") if text else []:
        assert line and line == line.strip()
    assert unicodedata.is_normalized("NFC", text) or not unicodedata.is_normalized("NFC", page)


TAGS = ["div", "p", "span", "b", "li", "ul", "table", "tr", "td", "br", "pre", "a", "nav", "h1"]


@st.composite
def html_nodes(draw, depth=3):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        # no NUL: a small page with a few is binary to the decoder (tests/test_hostile_pages.py)
        text = st.text(st.characters(blacklist_characters="<&\x00"), max_size=20)
        return draw(st.one_of(body_line, st.sampled_from(CHROME_LINES), text))
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(
        st.sampled_from(["", ' class="related"', ' id="comment"', ' style="x"', " hidden"])
    )
    inner = "".join(draw(st.lists(html_nodes(depth=depth - 1), max_size=4)))
    closing = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", ""]))  # broken markup too
    return f"<{tag}{attrs}>{inner}{closing}"


html_pages = st.lists(html_nodes(), max_size=6).map(
    lambda nodes: "<html><head><title>t</title></head><body>" + "".join(nodes) + "</body></html>"
)


@SETTINGS
@given(html_pages, st.sampled_from(["utf-8", "gb18030", None]))
def test_html_pages_clean_without_raising_or_leaking_markup(page, encoding):
    data = page.encode(encoding or "utf-8", errors="replace")
    res = CLEANER.clean_page(Page(data, encoding=encoding, kind="html"))
    assert rebuild(res.source_text, res.provenance["removed"]) == res.text
    assert "<" not in res.text


# words no chrome vocabulary holds, in sentences: prose the region model may judge by shape and
# place only
PLAIN = ["我们", "工作", "发展", "认真", "落实", "会议", "今年", "推进", "plan", "work", "river"]
prose_sentence = st.tuples(
    st.lists(st.sampled_from(PLAIN), min_size=2, max_size=6).map(" ".join),
    st.sampled_from(["。", "!", "?", ". "]),
).map("".join)
prose_line = st.lists(prose_sentence, min_size=2, max_size=4).map("".join)
mixed_page = st.lists(
    st.one_of(
        prose_line.map(lambda text: (True, text)),
        st.sampled_from(CHROME_LINES).map(lambda text: (False, text)),
        st.text(max_size=30).map(lambda text: (False, text)),
    ),
    max_size=25,
)


@SETTINGS
@given(mixed_page)
def test_the_region_model_never_removes_prose_on_shape_and_place_alone(lines):
    """Two sentences or more that no chrome word touches stay, wherever they stand: the model
    takes prose only on the word of its vocabulary. (Prose that the rules leave: a rule may be
    written for text like it. A `join` rule that glues lines across a page marker waits for the
    model, so a chrome line is never glued to the prose after it.)"""
    page = "\n".join(text for _, text in lines)
    kept, by_rules = squeeze(CLEANER.clean(page).text), squeeze(RULES_ONLY.clean(page).text)
    vocabulary = CLEANER.region.vocabulary
    for prose, text in lines:
        if prose and squeeze(text) in by_rules and not vocabulary.coverage([text])[0].hits:
            assert squeeze(text) in kept, text


def _char_class(char: str) -> str:
    if "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff":
        return "han"
    if char.isdecimal():
        return "digits"
    if char.isalnum():
        return "letters"
    return "space" if char in " \t\u3000" else "other"


# pieces of a line: any character, the classes' edge cases, separators and fields
line_piece = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from("我们會議\u3400\u4dbf\u4dc0\uf900\ufaff\u3000 \t٣²½カ한Дñ7:,。|>_·"),
    st.sampled_from([" - ", " / ", " \u2014 ", "-"]),
    st.sampled_from(["上传人:", "页数:", "Views: ", "Uploaded: ", "a:b", "第一,二:"]),
)


@SETTINGS
@given(st.lists(line_piece, min_size=1, max_size=20).map("".join).map(str.strip).filter(bool))
def test_a_lines_shape_counts_what_its_definitions_say(text):
    """The shares of Han, letters and digits that the region model reads (counted by runs and
    by `str.translate`, for speed) are those of each character's own class; its separators and
    label-value fields are what a plain pattern of each finds."""
    from cleaner.engine.rx import matching_view
    from cleaner.region.features import LOCAL
    from cleaner.region.shape import line_shape

    view = matching_view(text)
    classes = [_char_class(char) for char in view]
    n = max(len(view) - classes.count("space"), 1)
    shape = line_shape.__wrapped__(text)
    for name in ("han", "letters", "digits"):
        assert shape[LOCAL.index(name)] == classes.count(name) / n, name
    separators = re.findall(r"[|\uff5c>\xbb\u203a\u2192_\xb7]|\s[/\-\u2013\u2014]\s", view)
    assert shape[LOCAL.index("separators")] == min(len(separators), 4) / 4
    fields = re.findall(r"(?:^|\s)[^\s::,,。]{1,8}[::]", view)
    assert shape[LOCAL.index("fields")] == min(len(fields), 4) / 4
