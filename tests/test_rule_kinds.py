"""Each text-rule kind on small pages: what it removes, what it keeps, how it is recorded."""

import pytest

from cleaner.engine.spans import Edit, Rendered, merge
from cleaner.engine.text import apply_rule, join_edits
from cleaner.rulebook.load import compile_pack


def rule(**kw):
    kw.setdefault("id", "r")
    kw.setdefault("why", "test")
    kw.setdefault("examples", [kw.pop("example")] if "example" in kw else [])
    pack = compile_pack({"site": {"id": "t"}, "text": [kw]}, "test.toml")
    return pack.text[0]


def run(r, text):
    """The text less the rule's removals, and with its joins made."""
    result = apply_rule(r, text)
    rendered = Rendered(text, merge(result.removals))
    return Rendered(text, rendered.compose(join_edits(rendered, result.joins))).text, result


def test_drop_line_removes_whole_lines_with_their_break():
    r = rule(kind="drop_line", pattern="^查看更多$", example="查看更多")
    out, res = run(r, "正文一\n查看更多\n正文二\n查看更多")
    assert out == "正文一\n正文二\n"
    assert [(x.rule, x.start, x.end) for x in res.removals] == [("t/r", 4, 9), ("t/r", 13, 17)]


def test_drop_line_match_inside_a_line_drops_that_line_only():
    r = rule(kind="drop_line", pattern="上一篇:", example="上一篇:x")
    out, _ = run(r, "a\n上一篇:标题\nb")
    assert out == "a\nb"


def test_drop_line_with_join_glues_a_sentence_split_by_a_marker():
    r = rule(kind="drop_line", pattern=r"^第\d+页$", join=True, example="第2页")
    out, res = run(r, "我们要继续\n第2页\n推进工作。")
    assert out == "我们要继续推进工作。"
    assert [tuple(j) for j in res.joins] == [("t/r", 5, 10, "")]


def test_a_join_across_lines_waits_until_both_lines_are_known_to_stay():
    r = rule(kind="drop_line", pattern=r"^第\d+页$", join=True, example="第2页")
    text = "猜你喜欢\n第2页\n推进工作。"
    result = apply_rule(r, text)
    assert [(x.start, x.end, x.insert) for x in result.removals] == [(5, 9, "")]
    rendered = Rendered(text, merge(result.removals))
    # a later stage removed the line before the marker: nothing is glued to the line after
    chrome = [Edit("region/chrome", 0, 5)]
    assert join_edits(rendered, result.joins, chrome) == []
    assert join_edits(rendered, result.joins) == [Edit("t/r", 4, 5, "")]


def test_a_join_inside_a_line_is_made_at_once():
    r = rule(kind="strip", pattern=r"第\d+页共\d+页", join=True, example="第1页共18页")
    out, res = run(r, "推出 第1页共18页 新课")
    assert (out, res.joins) == ("推出新课", [])


def test_join_keeps_the_break_after_a_finished_sentence():
    r = rule(kind="drop_line", pattern=r"^第\d+页$", join=True, example="第2页")
    out, _ = run(r, "这一段结束了。\n第2页\n下一段。")
    assert out == "这一段结束了。\n下一段。"


def test_join_puts_one_space_between_latin_words():
    r = rule(kind="drop_line", pattern=r"^Page \d+$", join=True, example="Page 2")
    out, res = run(r, "the quick\nPage 2\nbrown fox")
    assert out == "the quick brown fox"
    assert res.joins[0].insert == " "


def test_drop_block_removes_start_through_end():
    r = rule(kind="drop_block", start="^条款开始$", end="^查看更多$", example="条款开始\n查看更多")
    out, _ = run(r, "头\n条款开始\n1、不退款\n查看更多\n正文")
    assert out == "头\n正文"


def test_drop_block_without_end_removes_nothing():
    r = rule(kind="drop_block", start="^条款开始$", end="^查看更多$", example="条款开始\n查看更多")
    out, res = run(r, "条款开始\n正文没有结束标记")
    assert out == "条款开始\n正文没有结束标记"
    assert not res.fired


def test_drop_block_respects_max_lines():
    r = rule(kind="drop_block", start="^A$", end="^B$", max_lines=1, example="A\nx\nB")
    assert run(r, "A\nx\nB\n")[0] == ""
    assert run(r, "A\nx\ny\nB\n")[0] == "A\nx\ny\nB\n"


def test_cut_before_removes_the_head_through_the_match():
    r = rule(kind="cut_before", pattern="^文本内容:$", example="文本内容:")
    out, _ = run(r, "导航\n文本内容:\n正文")
    assert out == "\n正文"


def test_cut_after_removes_from_the_match_to_the_end():
    r = rule(kind="cut_after", pattern="^相关文档$", example="相关文档")
    out, _ = run(r, "正文\n相关文档\n别的文档.docx")
    assert out == "正文\n"


def test_cut_after_within_ignores_matches_high_on_the_page():
    r = rule(kind="cut_after", pattern="^相关文档$", within=0.2, example="相关文档")
    text = "相关文档\n" + "正文。" * 50
    out, res = run(r, text)
    assert out == text and not res.fired


def test_strip_removes_spans_inside_lines():
    r = rule(kind="strip", pattern=r"\.docxVIP$", example="讲话.docxVIP")
    out, _ = run(r, "讲话.docxVIP\n正文")
    assert out == "讲话\n正文"


def test_linebreak_replaces_space_runs_with_a_line_break():
    r = rule(kind="linebreak", pattern=r"(?<=。) {3,}", example="一。   二")
    out, res = run(r, "一。   二。   三")
    assert out == "一。\n二。\n三"
    assert all(x.insert == "\n" for x in res.removals)


def test_flag_rule_fires_without_removing():
    r = rule(kind="flag", pattern=r"\?{3,}", flag="encoding_loss", example="取消???称号")
    out, res = run(r, "取消???称号")
    assert out == "取消???称号"
    assert res.fired and not res.removals


@pytest.mark.parametrize(
    "kind, extra",
    [
        ("drop_line", {"pattern": "x"}),
        ("strip", {"pattern": "x"}),
        ("cut_after", {"pattern": "x"}),
    ],
)
def test_keeps_are_checked_at_load(kind, extra):
    from cleaner.errors import PackError

    with pytest.raises(PackError, match="fires on its keep"):
        rule(kind=kind, example="x", keeps=["a x b"], **extra)
