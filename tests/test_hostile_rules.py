"""Rules from users can be slow or greedy: they are stopped, reported and flagged, never silent."""

import pytest
from batch_fixtures import SLOW_PACK

from cleaner import Cleaner, PageError
from cleaner.errors import RuleTimeout
from cleaner.rulebook.lint import lint_pack, nested_quantifier
from cleaner.rulebook.load import load_pack


def test_catastrophic_rule_is_stopped_and_named(tmp_path):
    (tmp_path / "slow.toml").write_text(SLOW_PACK, encoding="utf-8")
    cleaner = Cleaner(rules=[tmp_path], rule_timeout=0.2)
    with pytest.raises(RuleTimeout) as e:
        cleaner.clean("SLOW PAGE\n" + "a" * 40 + "!", id="page-7")
    assert isinstance(e.value, PageError)
    assert "slow/backtracks" in str(e.value)
    assert e.value.kind == "rule_timeout"
    # the same cleaner goes on with the next page
    assert cleaner.clean("SLOW PAGE\n正文。").text == "SLOW PAGE\n正文。"


@pytest.mark.parametrize(
    "pattern, nested",
    [
        ("(a+)+", True),
        (r"^(\w+\s?)*$", True),
        ("((ab)*c)+", True),
        ("(a{2,})*", True),
        ("(abc)+", False),
        ("(a+)", False),
        (r"[(a+)]+", False),
        (r"\(a+\)+", False),
        ("(a{1,3})+", False),
        ("(a++)+", False),
        ("(?>a+)+", False),
        ("(?:[ \\t]*+,x)+", False),
        ("(?:(a+)b)*", True),
    ],
)
def test_nested_quantifier_detection(pattern, nested):
    assert (nested_quantifier(pattern) is not None) == nested


def test_lint_names_file_and_rule(tmp_path):
    path = tmp_path / "slow.toml"
    path.write_text(SLOW_PACK.replace("(a|aa)+$", r"^(\w+\s?)*$").replace('["aa"]', '["ab"]'))
    warnings = list(lint_pack(load_pack(path)))
    assert len(warnings) == 1
    assert "slow.toml" in warnings[0] and "rule 'backtracks'" in warnings[0]


def test_slow_capture_is_stopped_too(tmp_path):
    pack = SLOW_PACK.split("[[text]]")[0] + (
        "[[meta]]\nfield = \"uploader\"\npattern = '(?P<value>(a|aa)+)$'\n"
    )
    (tmp_path / "slow.toml").write_text(pack, encoding="utf-8")
    cleaner = Cleaner(rules=[tmp_path], rule_timeout=0.2)
    with pytest.raises(RuleTimeout, match="slow/meta #1"):
        cleaner.clean("SLOW PAGE\n" + "a" * 40 + "!")


def test_bundled_packs_nest_no_quantifiers(cleaner):
    assert [w for pack in cleaner.book.packs.values() for w in lint_pack(pack)] == []
