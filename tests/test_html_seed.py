"""The seed page rendered as book118 HTML cleans to the same text and metadata as its dump."""

from pathlib import Path

import regex
from book118_page import render

from cleaner import Cleaner
from cleaner.samples import SAMPLES

SPEECH = SAMPLES / "book118" / "speech"
# where the dump joined paragraphs with indentation (the generic `paragraph-spaces` rule)
_PARAGRAPH_GAP = regex.compile(r"(?<=[\p{Han}。!?:;”」』)】])[ \t\u3000\xa0]{3,}(?=\S)")


def seed_document(path: Path) -> tuple[str, list[str]]:
    """Title and paragraphs of the document inside the seed dump."""
    lines = path.read_text(encoding="utf-8").splitlines()
    title = lines[lines.index("查看更多") + 1].strip()
    body = next(line for line in lines if line.startswith(title + " "))
    return title, _PARAGRAPH_GAP.split(body[len(title) :].strip())


def test_seed_as_book118_html_equals_text_dump():
    cleaner = Cleaner()
    title, paragraphs = seed_document(SPEECH / "input.txt")
    page = render(title, paragraphs).encode("utf-8")
    from_html = cleaner.clean(page)
    from_text = cleaner.clean((SPEECH / "input.txt").read_bytes())

    assert from_html.provenance["text_source"] == "html"
    assert from_html.text == from_text.text
    assert from_html.text == (SPEECH / "expected.txt").read_text(encoding="utf-8")
    html_meta = {k: v for k, v in from_html.metadata.items() if k != "url"}
    text_meta = {k: v for k, v in from_text.metadata.items() if k != "url"}
    assert html_meta == text_meta
    assert from_html.provenance["flags"] == from_text.provenance["flags"]
    # the chrome went by DOM rules, each named with what it removed
    dom = {d["rule"]: d for d in from_html.provenance["dom_removed"]}
    assert "generic-html/code" in dom or "generic-html/page-furniture" in dom or dom
    assert all(d["nodes"] >= 1 and d["chars"] >= 0 for d in dom.values())


def test_seed_as_gbk_html_equals_utf8_html():
    cleaner = Cleaner()
    title, paragraphs = seed_document(SPEECH / "input.txt")
    utf8 = cleaner.clean(render(title, paragraphs).encode("utf-8"))
    gbk = cleaner.clean(render(title, paragraphs, charset="gbk").encode("gb18030"))
    assert gbk.provenance["encoding"] == {"encoding": "gb18030", "by": "meta"}
    assert gbk.text == utf8.text
    assert gbk.metadata == utf8.metadata
