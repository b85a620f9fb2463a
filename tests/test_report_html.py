"""The report's HTML builder: page text is always text (hostile markup is escaped everywhere it
can land), a page view marks every span where it is, and a report fetches and runs nothing."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from cleaner import rebuild
from cleaner.report import explain_html
from cleaner.report.markup import Html, document, el, esc
from cleaner.report.page_view import VIEW_CHARS, marked_clean, marked_source, page_section
from cleaner.report.sources import Source
from cleaner.report.style import Palette

HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>'&amp;</pre></td>"


def test_text_and_attributes_are_escaped():
    out = el("p", {"title": HOSTILE, "data-x": HOSTILE}, HOSTILE, [HOSTILE, None, False])
    tree = lxml_html.fragment_fromstring(out)
    assert tree.tag == "p" and len(tree) == 0  # one element: nothing inside became markup
    assert tree.get("title") == HOSTILE and tree.get("data-x") == HOSTILE
    assert tree.text == HOSTILE * 2


def test_markup_is_written_as_it_is_and_only_markup():
    inner = el("b", None, "<i>")
    assert el("p", None, inner) == "<p><b>&lt;i&gt;</b></p>"
    assert esc(Html("<br>")) == "<br>" and esc("<br>") == "&lt;br&gt;"
    assert el("input", {"type": "checkbox", "checked": True, "hidden": None}) == (
        '<input type="checkbox" checked>'
    )


def test_characters_a_parser_would_change_keep_their_offsets():
    assert esc("a\r\nb") == "a&#13;\nb"
    assert esc("x\x00y\ud800z") == "x\ufffdy\ufffdz"


def test_the_document_allows_no_script_and_no_fetch():
    page = lxml_html.document_fromstring(document("t", el("p", None, "x"), "p{color:red}"))
    (policy,) = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", policy)


SOURCE = "头部广告\n正文第一段。\n  \n正文第二段。\n下载本文档\n"
SPANS = [
    {"rule": "site/ad", "start": 0, "end": 5},
    {"rule": "normalize/space", "start": 11, "end": 15, "insert": "\n"},
    {"rule": "site/download", "start": 22, "end": 28},
]


def _pre(markup: str):
    """A `<pre>` as a browser reads it: the one line break after the start tag is not text
    (libxml2 keeps it, so it is dropped here)."""
    pre = lxml_html.fragment_fromstring(markup)
    assert pre.tag == "pre" and pre.text.startswith("\n")
    pre.text = pre.text[1:]
    return pre


def test_a_source_view_marks_each_span_on_its_own_text():
    view, cut = marked_source(SOURCE, SPANS, Palette(["site/ad", "site/download"]))
    pre = _pre(f"<pre>\n{view}</pre>")
    assert pre.text_content() == SOURCE and cut == ""
    marks = [(d.get("data-rule"), d.text_content()) for d in pre.iter("del")]
    assert marks == [(s["rule"], SOURCE[s["start"] : s["end"]]) for s in SPANS]
    assert [d.get("class") for d in pre.iter("del")] == ["rm k0", "rm ws", "rm k1"]


def test_a_clean_view_puts_a_marker_where_each_span_was():
    text = rebuild(SOURCE, SPANS)
    view, _ = marked_clean(text, SPANS, Palette([]))
    pre = _pre(f"<pre>\n{view}</pre>")
    markers = list(pre.iter("span"))
    assert [m.get("data-rule") for m in markers] == [s["rule"] for s in SPANS]
    assert markers[0].text == "⟦site/ad −5⟧" and markers[2].text == "⟦site/download −6⟧"
    at, offsets = len(pre.text), []
    for m in markers:
        offsets.append(at)
        at += len(m.tail or "")
    assert offsets == [0, 6, 14]  # in the clean text: where each span was cut out
    for m in markers:
        m.drop_tree()
    assert pre.text_content() == text


def test_a_long_page_is_cut_and_says_so():
    source = "正" * (VIEW_CHARS + 500)
    spans = [
        {"rule": "a/b", "start": 10, "end": 20},
        {"rule": "a/c", "start": VIEW_CHARS + 20, "end": VIEW_CHARS + 24},
    ]
    view, cut = marked_source(source, spans, Palette([]))
    assert len(_pre(f"<pre>\n{view}</pre>").text_content()) == VIEW_CHARS
    assert f"of {VIEW_CHARS + 500:,} characters" in cut and "1 removal(s)" in cut
    text = rebuild(source, spans)
    view, cut = marked_clean(text, spans, Palette([]))
    pre = _pre(f"<pre>\n{view}</pre>")
    assert len(pre.xpath("span")) == 1 and len(pre.text_content()) == VIEW_CHARS + len("⟦a/b −10⟧")
    assert f"of {len(text):,} characters" in cut and "1 removal(s)" in cut


def test_explain_html_of_a_hostile_page(cleaner):
    page = f"正文开头。{HOSTILE}\n以上内容来自互联网,请自行判断内容的正确性{HOSTILE}\n"
    cleaned = cleaner.clean(page)
    doc = explain_html(cleaned)
    tree = lxml_html.document_fromstring(doc)
    assert tree.xpath("//script | //img") == []
    assert tree.xpath("//pre")[0].text_content() == "\n" + cleaned.source_text
    (gone,) = tree.xpath("//del[@data-rule='generic/source-disclaimer']")
    assert HOSTILE in gone.text_content()


def test_every_link_of_a_page_stays_in_the_page(cleaner):
    record = cleaner.clean("<a href='https://evil.example/'>x</a>", url="https://evil.example/")
    section = page_section(
        record.to_dict(), "f:1", Source(note="n"), Palette([]), anchor="p1", heading="#1"
    )
    tree = lxml_html.fragment_fromstring(section)
    assert [a.get("href") for a in tree.iter("a")] == ["#p1"]
    assert not tree.xpath("//*[@src]")
