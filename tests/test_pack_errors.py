"""A bad pack is rejected with a message naming the file, the rule and the fix."""

import pytest

from cleaner import Cleaner, PackError
from cleaner.rulebook.load import load_pack

GOOD_RULE = """
[[text]]
id = "more"
kind = "drop_line"
pattern = '^查看更多$'
why = "see-more button"
examples = ["查看更多"]
"""


def write(tmp_path, body, name="site.toml"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def error_of(tmp_path, body):
    with pytest.raises(PackError) as e:
        load_pack(write(tmp_path, body))
    return str(e.value)


def test_good_pack_loads(tmp_path):
    pack = load_pack(write(tmp_path, '[site]\nid = "demo"\n' + GOOD_RULE))
    assert pack.id == "demo" and pack.text[0].id == "demo/more"
    assert len(pack.sha256) == 64


def test_unknown_key_names_file_rule_and_suggests_the_key(tmp_path):
    body = '[site]\nid = "demo"\n' + GOOD_RULE.replace("pattern =", "patern =")
    msg = error_of(tmp_path, body)
    assert "site.toml" in msg and "rule 'more'" in msg
    assert "unknown key 'patern'" in msg and "did you mean 'pattern'" in msg


def test_bad_regex_is_named(tmp_path):
    msg = error_of(tmp_path, '[site]\nid = "demo"\n' + GOOD_RULE.replace("^查看更多$", "(查看"))
    assert "rule 'more'" in msg and "not a valid regex" in msg and "fix:" in msg


def test_failing_example_is_named(tmp_path):
    body = '[site]\nid = "demo"\n' + GOOD_RULE.replace('["查看更多"]', '["更多内容"]')
    msg = error_of(tmp_path, body)
    assert "rule 'more'" in msg and "does not fire on its example '更多内容'" in msg


def test_rule_without_examples_is_rejected(tmp_path):
    body = '[site]\nid = "demo"\n' + GOOD_RULE.replace('examples = ["查看更多"]', "")
    assert "has no examples" in error_of(tmp_path, body)


def test_unknown_kind_suggests_a_kind(tmp_path):
    body = '[site]\nid = "demo"\n' + GOOD_RULE.replace("drop_line", "drop_lines")
    msg = error_of(tmp_path, body)
    assert "unknown kind 'drop_lines'" in msg and "did you mean 'drop_line'" in msg


def test_missing_site_table(tmp_path):
    assert "missing the [site] table" in error_of(tmp_path, GOOD_RULE)


def test_invalid_toml_is_named(tmp_path):
    assert "not valid TOML" in error_of(tmp_path, "[site\nid=")


def test_duplicate_rule_ids(tmp_path):
    msg = error_of(tmp_path, '[site]\nid = "demo"\n' + GOOD_RULE + GOOD_RULE)
    assert "two rules have this id" in msg


def test_meta_capture_needs_a_value_group(tmp_path):
    body = '[site]\nid = "demo"\n[[meta]]\nfield = "uploader"\npattern = "上传人"\n'
    msg = error_of(tmp_path, body)
    assert "meta #1 (uploader)" in msg and "(?P<value>" in msg


def test_meta_unknown_field(tmp_path):
    body = '[site]\nid = "demo"\n[[meta]]\nfield = "uploder"\npattern = "(?P<value>x)"\n'
    assert "did you mean 'uploader'" in error_of(tmp_path, body)


def test_wrong_type_is_named(tmp_path):
    msg = error_of(tmp_path, '[site]\nid = "demo"\ndomains = "demo.com"\n')
    assert "'domains' must be a list of strings" in msg


def test_unknown_inherit_is_rejected(tmp_path):
    write(tmp_path, '[site]\nid = "demo"\ninherit = ["nope"]\n')
    with pytest.raises(PackError, match="inherit names pack 'nope'"):
        Cleaner(rules=[tmp_path])


def test_user_pack_replaces_bundled_pack_of_same_id(tmp_path):
    write(tmp_path, '[site]\nid = "book118"\nname = "mine"\n' + GOOD_RULE, "book118.toml")
    cleaner = Cleaner(rules=[tmp_path])
    assert cleaner.book.packs["book118"].name == "mine"
    assert [r.id for r in cleaner.book.packs["book118"].text] == ["book118/more"]
