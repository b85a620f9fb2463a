"""DOM rules: the one-walk matcher selects what the XPath translation of the same CSS selects,
and the fast text, count and rule forms give what the plain ones gave."""

import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from cleaner import Cleaner
from cleaner.engine.dom import (
    DomRules,
    _count,
    _Matcher,
    _text,
    apply_rules,
    body_of,
    compile_selector,
    walk_selectors,
)
from cleaner.page import Page
from cleaner.read.html import block_text, parse
from cleaner.rulebook.types import HtmlRule

PAGE = """<html><head><title>t</title><script>var a = 1;</script></head><body>
<div id="main" class="doc  main">
  <nav role="navigation"><a href="/">首页</a></nav>
  <div class="comment box">评论<span class="comment">内</span></div>
  <div class="commentary">注释</div>
  <div class="x\tcomment\n">tab</div>
  <div class="x\u3000comment">ideographic space</div>
  <div class="x\xa0comment">no-break space</div>
  <ul class="webpreview-item"><li id="li"><span class="page-num">1/3</span></li></ul>
  <span class="page-num">outside the reader</span>
  <p hidden>隐藏</p><p aria-hidden="true">a</p><p aria-hidden="false">b</p>
  <div role="banner">b</div><div role="navigation ">n</div><div role="search">s</div>
  <div role="contentinfo">c</div><div role="Search">S</div>
  <div style="display: none">x</div><div style="DISPLAY:NONE">y</div>
  <div style="visibility : hidden">z</div><div style="display:\tnone">w</div>
  <section id="reader" class="a b c"><div class="a"><div class="b"><p class="c">深</p></div></div>
  </section>
  <div id="Main">case</div><DIV CLASS="Upper" ROLE="search">upper case markup</DIV>
  <div data-x="">empty value</div>
</div></body></html>"""

SUPPORTED = [
    "div",
    "DIV",
    "p, span",
    ".comment",
    "*.comment",
    ".doc",
    ".main.doc",
    "div.comment",
    "#main",
    "div#main",
    "#reader .c",
    ".a .b .c",
    ".b .a",
    "section p",
    "ul li span",
    "[hidden]",
    "[aria-hidden=true]",
    '[aria-hidden="true"]',
    "[role=navigation], [role=banner], [role=contentinfo], [role=search]",
    "[ROLE=search]",
    ".webpreview-item .page-num",
    "[data-x]",
    '[data-x=""]',
    "#main .comment, .commentary",
    "span.page-num, .comment",
    ".Upper",
    ".upper",
    "div[role=search].Upper",
    '[class="comment box"]',
    "[class='commentary']",
    "  div , p  ",
    "div.comment.box span",
]


def _xpath_nodes(css: str, scope: etree._Element) -> list[etree._Element]:
    return list(etree.XPath(compile_selector(css, None).xpath)(scope))


@pytest.mark.parametrize("css", SUPPORTED)
def test_matcher_selects_what_the_xpath_selects(css):
    root = parse(PAGE)
    selectors = walk_selectors(css)
    assert selectors is not None
    matcher = _Matcher([selectors])
    for scope in (root, body_of(root), root.find(".//ul"), root.find(".//li"), root.find(".//p")):
        assert matcher.select(scope).get(0, []) == _xpath_nodes(css, scope), scope


@pytest.mark.parametrize(
    "css",
    [
        "nav > a",
        "h1 + p",
        "h1 ~ p",
        "li:first-child",
        "a:not(.x)",
        "[href^=http]",
        "[class~=comment]",
        "*",
        "* .c",
        "[role=search i]",
        "p::before",
        "*|div",
        ".a, nav > a",
        "#main#reader",
        "div\\.x",
        "div .a[",
    ],
)
def test_other_css_is_left_to_xpath(css):
    assert walk_selectors(css) is None


def test_class_tokens_are_split_at_ascii_white_space_only():
    root = parse('<body><p class="x\fcomment">f</p><p class="x\vcomment">v</p></body>')
    (found,) = _Matcher([walk_selectors(".comment")]).select(root).values()
    assert [p.text for p in found] == ["f"]  # form feed separates classes, vertical tab does not


def test_several_selectors_of_a_rule_give_an_element_once():
    root = parse('<body><div id="a" class="b c">x</div></body>')
    found = _Matcher([walk_selectors("#a, .b, .c, div")]).select(root)
    assert [el.get("id") for el in found[0]] == ["a"]


# the generic-html rules as they were written before they were given faster forms
OLD_LANDMARKS = (
    'descendant-or-self::*[@role and (@role="navigation" or @role="banner"'
    ' or @role="contentinfo" or @role="search")]'
)
OLD_HIDDEN = (
    'descendant-or-self::*[@hidden or @aria-hidden="true" or (@style and'
    ' (contains(translate(@style, " ", ""), "display:none")'
    ' or contains(translate(@style, " ", ""), "visibility:hidden")))]'
)


@pytest.mark.parametrize(("rule", "old"), [("landmarks", OLD_LANDMARKS), ("hidden", OLD_HIDDEN)])
def test_generic_html_rules_select_what_they_selected(rule, old):
    (new,) = [r for r in Cleaner().book.packs["generic-html"].html if r.id.endswith("/" + rule)]
    root = parse(PAGE)
    for scope in (root, body_of(root)):
        expected = list(etree.XPath(old)(scope))
        assert expected
        if new.selector.walk is not None:
            assert _Matcher([new.selector.walk]).select(scope).get(0, []) == expected
        else:
            assert list(etree.XPath(new.selector.xpath)(scope)) == expected


TRICKY = (
    "<html><head><title>a&amp;b</title><style>p{x:1}</style></head><body>"
    "<div>a<!-- c -->b<?pi x?>c&nbsp;&#13;&#0;&foo;&lt;\x01\x0b"
    "<pre>\r\n x\r\n</pre><script>if (a < b) {}</script>"
    "<p>中文\u3000<b>粗</b>尾</p>tail</div>done</body></html>"
)


@pytest.mark.parametrize("html", [PAGE, TRICKY])
def test_text_is_the_joined_itertext(html):
    root = parse(html)
    for el in root.iter():
        assert _text(el) == "".join(el.itertext())


def _old_count(text: str) -> int:
    ws = re.compile(r"[ \t\n\r\f]+")
    return sum(len(t) - t.count(" ") for t in ws.sub(" ", text).split("\n"))


@given(st.text(alphabet=" \t\n\r\f\v\x85\xa0\u3000\u2028x中"))
def test_count_is_the_old_count(text):
    assert _count(text) == _old_count(text)


def _rules(*specs: tuple[str, str, str]) -> list[HtmlRule]:
    return [
        HtmlRule(rid, kind, "test", css=css, selector=compile_selector(css, None))
        for rid, kind, css in specs
    ]


def test_removals_record_nodes_chars_samples_and_raw_text():
    rules = _rules(
        ("t/root", "body", "#main"),
        ("t/comments", "drop", ".comment"),
        ("t/reader-pages", "drop", ".webpreview-item .page-num"),
    )
    content, removed, dropped = apply_rules(parse(PAGE), rules, samples=1)
    assert content.get("id") == "main"
    assert len(dropped) == 3  # the inner .comment is not dropped again inside the outer one
    left = block_text(content, skip=dropped)
    assert "评论" not in left and "tab" not in left and "1/3" not in left
    assert "注释" in left and "outside the reader" in left
    root_removal, comments, pages = removed
    assert root_removal.samples == ["(everything outside the root)"]
    assert (comments.rule, comments.nodes, comments.chars) == ("t/comments", 2, 6)
    assert comments.samples == ["评论内"]  # the inner .comment went with the outer one
    assert comments.raw == "评论内\ntab\n"
    assert (pages.nodes, pages.raw) == (1, "1/3\n")  # not the page-num outside the reader


def test_ancestors_above_the_content_root_do_not_count():
    rules = _rules(("t/li", "body", "#li"), ("t/pages", "drop", ".webpreview-item .page-num"))
    content, removed, _ = apply_rules(parse(PAGE), rules)
    assert content.get("id") == "li"
    assert [r.rule for r in removed] == ["t/li"]  # the XPath, run on #li, would not see it


def test_compiled_rules_pickle_iterate_and_equal_a_plain_list():
    cleaner = Cleaner()
    chain = cleaner.chain("book118")
    rules = chain.dom_rules
    assert isinstance(rules, DomRules)
    assert len(rules) == len(list(rules)) == sum(len(p.html) for p in chain.packs)
    kinds = [r.kind for r in rules]
    assert kinds == ["body"] * 2 + ["drop"] * (len(kinds) - 2)  # book118's two roots first
    copy = pickle.loads(pickle.dumps(rules))

    def run(r):
        content, removed, dropped = apply_rules(parse(PAGE), r)
        return block_text(content, skip=dropped), [
            (d.rule, d.nodes, d.chars, d.samples) for d in removed
        ]

    assert run(rules) == run(copy) == run(list(rules))


def test_samples_are_collapsed_text():
    page = '<body><main><p>正文。</p><div class="comments">  评论   一\n二 </div></main></body>'
    res = Cleaner().clean_page(Page(page, kind="html"))
    (comments,) = [d for d in res.dom_removals if d.rule == "generic-html/comments"]
    assert comments.samples == ["评论 一 二"]


# --- the text left after DOM rules: skipped in the walk, as if removed from the tree ---------

_TAGS = ["div", "p", "span", "b", "br", "pre", "td", "tr", "li", "h2", "script", "a"]
_fragment = st.recursive(
    st.text(alphabet=" \t\nx中。\xa0", max_size=6).map(lambda t: t.replace("<", "")),
    lambda inner: st.tuples(st.sampled_from(_TAGS), st.lists(inner, max_size=4)).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>" if t[0] != "br" else "<br>"
    ),
    max_leaves=25,
)


def _remove(el: etree._Element) -> None:
    """Take an element out of its tree for good, its tail kept as text of its parent."""
    parent, prev = el.getparent(), el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


@given(st.lists(_fragment, min_size=1, max_size=5), st.lists(st.integers(0, 60), max_size=8))
def test_skipping_dropped_nodes_reads_as_removing_them(fragments, picks):
    html = "<html><body>" + "".join(fragments) + "</body></html>"
    whole, cut = body_of(parse(html)), body_of(parse(html))
    elements = list(whole.iter(etree.Element))[1:]
    if not elements:
        return
    skip = {elements[i % len(elements)] for i in picks}
    paths = {whole.getroottree().getpath(el) for el in skip}
    doomed = [el for el in cut.iter(etree.Element) if cut.getroottree().getpath(el) in paths]
    for el in reversed(doomed):  # the innermost first, so every one still has its parent
        _remove(el)
    assert block_text(whole, skip=skip) == block_text(cut)
