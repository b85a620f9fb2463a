"""HTML pages: decoding, safe parsing, block text, DOM rules with provenance, head metadata."""

import codecs
import json

import pytest
from clirun import runner
from lxml import etree

from cleaner import Cleaner
from cleaner.cli import cli
from cleaner.engine.dom import body_of
from cleaner.errors import PackError
from cleaner.page import Page
from cleaner.read.decode import decode, meta_charset
from cleaner.read.head import head_metadata
from cleaner.read.html import block_text, looks_like_html, parse
from cleaner.rulebook.load import compile_pack

BODY_ZH = "这次全县计划生育工作形势分析会是经县委常委会研究决定召开的。" * 3
BODY_TW = "這次全縣計劃生育工作形勢分析會是經縣委常委會研究決定召開的。" * 3


def page(body: str, meta: str = "", head_pad: int = 0) -> str:
    pad = "<script>var config = {};</script>\n" * head_pad
    head = f"<!DOCTYPE html><html><head>{meta}{pad}<title>t</title></head>"
    return f"{head}<body><p>{body}</p></body></html>"


# --- decoding -----------------------------------------------------------------------------------


def test_bom_wins_over_everything():
    data = codecs.BOM_UTF8 + page(BODY_ZH, '<meta charset="gbk">').encode("utf-8")
    text, info = decode(data, "big5", html=True)
    assert BODY_ZH in text and info == {"encoding": "utf-8", "by": "bom"}


def test_declared_charset_before_meta():
    data = page(BODY_ZH, '<meta charset="utf-8">').encode("gb18030")
    text, info = decode(data, "GB2312", html=True)
    assert BODY_ZH in text
    assert info["encoding"] == "gb18030" and info["by"] == "declared"


def test_meta_charset_and_http_equiv():
    for meta in (
        '<meta charset="gbk">',
        '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">',
    ):
        data = page(BODY_ZH, meta).encode("gbk")
        assert meta_charset(data) in ("gbk", "GB2312")
        text, info = decode(data, html=True)
        assert BODY_ZH in text and info == {"encoding": "gb18030", "by": "meta"}


def test_gbk_body_behind_a_long_ascii_head_is_detected():
    data = page(BODY_ZH, head_pad=400).encode("gbk")  # ~14 kB of ASCII markup first
    assert data[:8192].isascii()
    text, info = decode(data, html=True)
    assert BODY_ZH in text and info == {"encoding": "gb18030", "by": "detected"}


def test_wrong_meta_label_is_caught():
    data = page(BODY_ZH, '<meta charset="utf-8">').encode("gbk")
    text, info = decode(data, html=True)
    assert BODY_ZH in text
    assert info["encoding"] == "gb18030" and info["by"] == "detected"
    assert info["rejected"] == [{"label": "utf-8", "from": "meta", "why": "bytes do not decode"}]


def test_utf8_page_labelled_gbk_is_utf8():
    data = page(BODY_ZH, '<meta charset="gbk">').encode("utf-8")
    text, info = decode(data, html=True)
    assert BODY_ZH in text and info["encoding"] == "utf-8"


def test_big5_and_gb18030():
    text, info = decode(page(BODY_TW).encode("big5"), html=True)
    assert BODY_TW in text and info["encoding"] == "big5hkscs"
    rare = BODY_ZH + "𠀀㐀"  # outside GBK: only GB18030 encodes these
    text, info = decode(page(rare, '<meta charset="gb18030">').encode("gb18030"), html=True)
    assert rare in text and info == {"encoding": "gb18030", "by": "meta"}


def test_encoding_goes_into_provenance():
    res = Cleaner().clean_page(Page(page(BODY_ZH).encode("gbk"), kind="html"))
    assert res.provenance["encoding"] == {"encoding": "gb18030", "by": "detected"}
    assert BODY_ZH in res.text


# --- safe parsing -------------------------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE html [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
 <!ENTITY net SYSTEM "http://127.0.0.1:9/evil.dtd">
]>
<html><body><p>start &d; &xxe; &net; end</p></body></html>"""


def test_entities_are_not_expanded_and_nothing_is_fetched():
    text = block_text(body_of(parse(LAUGHS.decode())))
    assert "aaaa" not in text and "root:" not in text
    assert len(text) < 200
    res = Cleaner().clean_page(Page(LAUGHS, kind="html"))
    assert "aaaa" not in res.text and "root:" not in res.text


def test_broken_markup_parses():
    root = parse("<div><p>一 <b>二 <i>三</p> <table><tr><td>四</div> 五")
    assert block_text(body_of(root)).split() == ["一", "二", "三", "四", "五"]
    assert block_text(body_of(parse(""))) == ""
    assert block_text(body_of(parse("<!-- only a comment -->"))) == ""


# --- block text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a</p><p>b</p>", "a\n\nb"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("<div>line1<br>line2<br><br>line3</div>", "line1\nline2\n\nline3"),
        ("<p>Hello <b>bold</b> and <i>it</i>alic.</p>", "Hello bold and italic."),
        ("<span>同</span><span>志</span><a>们</a>", "同志们"),
        ("<ul><li>one</li><li>two <a>link</a></li></ul>", "one\ntwo link"),
        (
            "<table><tr><td>a</td><td> b </td></tr><tr><th>c</th><td>d</td></tr></table>",
            "a\tb\nc\td",
        ),
        ("<pre>  x = 1\n    y = 2</pre><p>next</p>", "  x = 1\n    y = 2\n\nnext"),
        ("<p>&lt;b&gt; &amp; &#20013;&#x6587; &eacute;</p>", "<b> & 中文 é"),
        ("<div>  lots   of\n\n space  </div>", "lots of space"),
        ("<p>x<script>var a = '<p>no</p>';</script><style>p{}</style>y</p>", "xy"),
        ("<h1>T</h1><div><div><p>deep</p></div></div>", "T\n\ndeep"),
    ],
)
def test_block_text(html, text):
    assert block_text(body_of(parse(html))) == text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "<table><tr><td>a </td> <td> <b>b</b></td><td>\xa0c</td><td> </td><td>d</td></tr>"
            "</table>",
            "a\tb\t\xa0c\t\td",
        ),
        (
            "<p>a\xa0 b\u3000\u3000c\t\td </p>  <span> e </span> <b>f</b>\n<i> </i>g",
            "a\xa0 b\u3000\u3000c d\n\ne f g",
        ),
        ("<div>x<listing>  l  1\n</listing> y <pre>\n\n p </pre>z</div>", "x  l  1\ny\n\n\n p\nz"),
        ("<ul><li> one <br> two </li><li><br></li><li>three</li></ul>", "one\ntwo\n\nthree"),
        ("<p>a<br></p><p><br>b</p>", "a\n\n\nb"),
    ],
)
def test_block_text_white_space_cells_and_breaks(html, text):
    """Pinned from the walk before it was rewritten for speed: only ASCII white space
    collapses, a cell holding white space alone still gets its tab, `<br>` breaks even an
    empty line, and preformatted text keeps its spaces."""
    assert block_text(body_of(parse(html))) == text


def test_block_text_of_a_built_tree():
    """Comments, processing instructions and entities give only their tails; the root's own
    tail is not its text, but a `<br>` root's is; a root that is never text gives nothing."""
    root = etree.Element("div")
    root.text = " a "
    nodes = (etree.Comment("c"), etree.ProcessingInstruction("pi", "x"), etree.Entity("amp"))
    for node, tail in zip((*nodes, etree.Element("script")), (" b ", "c", " d", "e"), strict=True):
        root.append(node)
        node.tail = tail
    root[3].text = "no"
    root.tail = "tail"
    br = etree.SubElement(root, "br")
    br.tail = " f "
    assert block_text(root) == "a b c de\nf"
    assert block_text(br) == "\nf"
    assert block_text(root[3]) == ""
    assert block_text(root[0]) == ""


def test_no_markup_leaks():
    html = (
        "<div class=a><p>一<!-- c --></p><template><p>t</p></template><noscript>n</noscript></div>"
    )
    assert block_text(body_of(parse(html))) == "一"


# --- DOM rules and provenance -------------------------------------------------------------------


def test_dom_rules_remove_nodes_and_record_them():
    html = """<html><body><nav>首页 分类</nav><div id="main"><p>正文第一段。</p>
    <div class="comment-list"><p>评论</p></div><p hidden>隐藏</p><p>正文第二段。</p></div>
    <div class="related-docs">相关文档</div><footer>版权所有</footer></body></html>"""
    res = Cleaner().clean_page(Page(html, kind="html"))
    assert res.text == "正文第一段。\n正文第二段。"
    dom = {d["rule"]: d for d in res.provenance["dom_removed"]}
    assert dom["generic-html/page-furniture"] == {
        "rule": "generic-html/page-furniture",
        "nodes": 2,
        "chars": 8,
    }
    assert dom["generic-html/comments"]["chars"] == 2
    assert dom["generic-html/hidden"]["nodes"] == 1
    assert dom["generic-html/related"]["chars"] == 4
    assert res.provenance["text_source"] == "html"
    assert res.source_text.startswith("正文第一段。")


def test_class_tokens_are_anchored():
    html = '<body><div class="commentary">注释正文。</div><div class="x comment">评论</div></body>'
    res = Cleaner().clean_page(Page(html, kind="html"))
    assert res.text == "注释正文。"


PACK = """
[site]
id = "demo"
domains = ["demo.example"]
[title]
strip = ['_演示文库$']
[[html]]
id = "doc"
kind = "body"
css = "#doc-body"
why = "the document"
[[html]]
id = "fallback"
kind = "body"
xpath = "//article"
why = "older pages"
[[html]]
id = "marker"
kind = "drop"
css = ".page-mark"
why = "page markers"
"""


def _cleaner_with(tmp_path, pack: str = PACK) -> Cleaner:
    (tmp_path / "demo.toml").write_text(pack, encoding="utf-8")
    return Cleaner(rules=[tmp_path])


def test_body_rule_with_fallbacks(tmp_path):
    c = _cleaner_with(tmp_path)
    html = (
        '<body><div>外面</div><div id="doc-body"><p>正文。</p>'
        '<span class="page-mark">1/3</span></div></body>'
    )
    res = c.clean(html, url="https://demo.example/doc/1")
    assert res.text == "正文。"
    dom = [d["rule"] for d in res.provenance["dom_removed"]]
    assert dom[:2] == ["demo/doc", "demo/marker"]
    html = "<body><div>外面</div><article><p>旧页面正文。</p></article></body>"
    res = c.clean(html, url="https://demo.example/doc/2")
    assert res.text == "旧页面正文。"
    assert res.provenance["dom_removed"][0] == {"rule": "demo/fallback", "nodes": 1, "chars": 2}


@pytest.mark.parametrize("selector", ['css = "div[[["', 'xpath = "//div[@"'])
def test_bad_selector_names_file_rule_and_fix(tmp_path, selector):
    bad = PACK.replace('css = ".page-mark"', selector)
    (tmp_path / "demo.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(PackError) as e:
        Cleaner(rules=[tmp_path])
    assert e.value.rule == "marker" and e.value.fix and "demo.toml" in str(e.value)


def test_cleaner_with_html_rules_pickles(tmp_path):
    import pickle

    c = pickle.loads(pickle.dumps(_cleaner_with(tmp_path)))
    res = c.clean('<body><div id="doc-body"><p>正文。</p></div></body>', url="demo.example/x")
    assert res.text == "正文。"


def test_compile_pack_accepts_css_and_xpath():
    data = {
        "site": {"id": "x"},
        "html": [{"id": "a", "kind": "drop", "css": "nav > a", "why": "w"}],
    }
    assert compile_pack(data, "x.toml").html[0].css == "nav > a"


# --- metadata from the head ---------------------------------------------------------------------

HEAD = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>季度工作报告_演示文库</title>
<meta name="author" content="王五">
<link rel="canonical" href="https://demo.example/doc/9.html">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebPage", "name": "演示文库"},
 {"@type": "Article", "headline": "季度工作报告", "datePublished": "2023-05-12T08:00:00+08:00",
  "author": [{"@type": "Person", "name": "张三"}, {"name": "李四"}]}]}</script>
</head><body><div id="doc-body"><p>本季度完成了各项工作任务。</p></div></body></html>"""


def test_head_metadata_reads_title_canonical_author_jsonld():
    head = head_metadata(parse(HEAD))
    assert head.title == "季度工作报告_演示文库"
    assert head.canonical == "https://demo.example/doc/9.html"
    assert head.author == "王五"
    assert head.jsonld["datePublished"].startswith("2023-05-12")
    assert head.jsonld["author"] == "张三, 李四"
    assert head.lang == "zh-cn"


def test_head_fills_metadata_and_canonical_detects_the_site(tmp_path):
    res = _cleaner_with(tmp_path).clean(HEAD.encode("utf-8"))
    meta = res.metadata
    assert res.provenance["detection"] == {"site": "demo", "by": "canonical"}
    assert meta["title"] == "季度工作报告"  # <title> with the pack's suffix strip
    assert meta["url"] == "https://demo.example/doc/9.html"
    assert meta["author"] == "王五"
    assert meta["upload_date"] == "2023-05-12"
    assert res.provenance["metadata_from"]["url"] == "canonical"
    assert res.text == "本季度完成了各项工作任务。"


def test_caller_url_is_never_replaced(tmp_path):
    res = _cleaner_with(tmp_path).clean(HEAD, url="https://demo.example/given")
    assert res.metadata["url"] == "https://demo.example/given"
    assert "url" not in res.provenance.get("metadata_from", {})
    assert res.provenance["detection"]["by"] == "url"


def test_sniffing_html():
    assert looks_like_html(b"\xef\xbb\xbf  <!doctype html><html>")
    assert looks_like_html("<html><body>x</body></html>")
    assert not looks_like_html("在全县计划生育工作半年形势分析会上的讲话.docxVIP\n同志们:")


# --- explain ------------------------------------------------------------------------------------


def test_explain_on_html_shows_dom_removals(tmp_path):
    f = tmp_path / "page.html"
    f.write_bytes(
        "<html><head><meta charset=gbk></head><body><nav>首页</nav><p>正文。</p>"
        "<div class='share'>分享到微信</div><p>查看更多</p></body></html>".encode("gbk")
    )
    out = runner().invoke(cli, ["explain", str(f), "--no-color"])
    assert out.exit_code == 0, out.output
    assert "encoding gb18030, by meta" in out.output
    assert "generic-html/page-furniture: 1 node(s), 2 chars" in out.output
    assert "generic-html/share: 1 node(s), 5 chars" in out.output
    assert "分享到微信" in out.output
    assert "[-generic/read-more: 查看更多-]" in out.output


def test_jsonl_html_record_is_cleaned(tmp_path):
    f = tmp_path / "in.jsonl"
    rec = {"id": "p1", "html": "<html><body><nav>首页</nav><p>正文一句。</p></body></html>"}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = runner().invoke(cli, ["clean", str(f), "-o", str(out)])
    assert res.exit_code == 0, res.output
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["text"] == "正文一句。" and got["provenance"]["text_source"] == "html"
