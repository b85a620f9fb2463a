"""What the rule language gained for learned packs, for every pack: `drop_repeat`,
`[title] glued`, `[site] extends` and `learned`, and `Cleaner(site_packs=False)`."""

import pytest

from cleaner import Cleaner, PackError
from cleaner.describe.normalize import title_edits
from cleaner.engine.text import apply_rule
from cleaner.rulebook.load import compile_pack, pack_from_bytes

HEADER = "Download as docx, pdf, or txt\n100 views\n"


def repeat_rule(**keys):
    rule = {"id": "twice", "kind": "drop_repeat", "why": "w", "examples": ["A\nB\nA\nB\nbody"]}
    pack = compile_pack({"site": {"id": "x"}, "text": [rule | keys]}, "x.toml")
    return pack.text[0]


def test_drop_repeat_drops_both_copies_of_a_header_printed_twice():
    page = HEADER + "\n" + HEADER + "\nThe speech starts here.\nIt goes on.\n"
    removals = apply_rule(repeat_rule(), page).removals
    assert len(removals) == 1
    assert page[removals[0].end :] == "\nThe speech starts here.\nIt goes on.\n"


def test_drop_repeat_keeps_a_body_block_printed_twice_below_its_window():
    body = "".join(f"Paragraph {i} of the document, long enough to matter here.\n" for i in "123")
    page = "Intro line\n" + body + "Refrain\nRefrain\n"
    assert not apply_rule(repeat_rule(within=0.3), page).fired
    assert apply_rule(repeat_rule(), page).fired  # without a window, the whole page


def test_drop_repeat_blocks_longer_than_max_lines_stay():
    block = "".join(f"line {i}\n" for i in range(5))
    assert not apply_rule(repeat_rule(max_lines=4), block + block).fired
    assert apply_rule(repeat_rule(max_lines=5), block + block).fired


def test_drop_repeat_takes_no_pattern_and_needs_a_positive_max_lines():
    with pytest.raises(PackError, match="unknown key 'pattern'"):
        repeat_rule(pattern="x")
    with pytest.raises(PackError, match="max_lines must be at least 1"):
        repeat_rule(max_lines=0)


def test_a_glued_title_goes_only_when_a_pack_says_so():
    text = "公司接待管理制度第一章总则\n第一条 为规范接待工作,制定本制度。"
    assert title_edits(text, "公司接待管理制度") == []
    (edit,) = title_edits(text, "公司接待管理制度", glued=True)
    assert text[edit.end :].startswith("第一章总则")
    assert title_edits("公司接待管理制度", "公司接待管理制度", glued=True)[0].end == 8


PACK = """
[site]
id = "mysite.example"
domains = ["mysite.example"]
fingerprints = ['^文档正文$']
{extra}

[title]
glued = true

[[text]]
id = "label"
kind = "drop_line"
pattern = '^文档正文$'
why = "a label above the text"
examples = ["文档正文"]
"""


def write_pack(tmp_path, extra=""):
    path = tmp_path / "mysite.toml"
    path.write_text(PACK.format(extra=extra), encoding="utf-8")
    return path


def test_learned_packs_are_marked_in_provenance(tmp_path):
    cleaner = Cleaner(rules=[write_pack(tmp_path, "learned = true")])
    res = cleaner.clean("文档正文\n正文第一段。", url="https://mysite.example/1")
    entries = {e["pack"]: e for e in res.provenance["rules"]}
    assert entries["mysite.example"]["learned"] is True
    assert "learned" not in entries["generic"]
    assert res.text == "正文第一段。"


def test_a_pack_that_extends_a_site_runs_after_it_and_keeps_its_site(tmp_path):
    cleaner = Cleaner(rules=[write_pack(tmp_path, 'extends = "renrendoc"\nlearned = true')])
    res = cleaner.clean(
        "文档简介\n文档正文\n本制度自发布之日起施行。", url="https://www.renrendoc.com/paper/1.html"
    )
    assert res.metadata["site"] == "renrendoc"
    packs = [e["pack"] for e in res.provenance["rules"]]
    assert packs[:2] == ["renrendoc", "mysite.example"]
    assert res.text == "本制度自发布之日起施行。"
    # it is no site of its own: its domain and fingerprint do not detect it
    assert cleaner.detect("文档正文\n…", "https://mysite.example/1").site is None


def test_an_extending_pack_stands_alone_without_the_pack_it_extends(tmp_path):
    cleaner = Cleaner(rules=[write_pack(tmp_path, 'extends = "renrendoc"')], site_packs=False)
    assert cleaner.detect("文档正文\n…", "https://mysite.example/1").site == "mysite.example"


def test_extends_is_checked():
    with pytest.raises(PackError, match="extends"):
        pack_from_bytes(b'[site]\nid = "a"\nextends = "a"\n', "a.toml")
    with pytest.raises(PackError, match="'learned' must be true or false"):
        pack_from_bytes(b'[site]\nid = "a"\nlearned = "yes"\n', "a.toml")


def test_no_site_packs_keeps_the_generic_packs_and_the_users(tmp_path):
    # the packs alone (no region model), so that the text shows which packs ran
    cleaner = Cleaner(rules=[write_pack(tmp_path)], site_packs=False, region=False)
    ids = set(cleaner.book.packs)
    assert {"generic", "generic-html", "mysite.example"} == ids
    page = "下载本文档\n文档简介\n本制度自发布之日起施行。"
    res = cleaner.clean(page, url="https://www.renrendoc.com/paper/1.html")
    assert res.metadata["site"] is None
    assert res.text == "文档简介\n本制度自发布之日起施行。"  # the generic pack still ran
