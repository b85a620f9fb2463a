"""`cleaner explain` and `cleaner rules check` from the command line."""

from pathlib import Path

from clirun import runner

from cleaner.cli import cli

SEED = Path(__file__).parent.parent / "samples" / "book118" / "speech" / "input.txt"


def test_explain_marks_each_removal_with_its_rule_when_piped():
    result = runner().invoke(cli, ["explain", str(SEED)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[-book118/terms: \n  1. 1、原创力文档(book118)" in out
    assert "[-book118/uploader-card: 文档评论(0)" in out
    assert "\x1b[" not in out
    assert "同志们:" in out


def test_explain_colours_on_request():
    result = runner().invoke(cli, ["explain", "--color", str(SEED)])
    assert "\x1b[2;31m" in result.stdout and "⟦book118/terms⟧" in result.stdout


def test_rules_check_passes_on_bundled_packs():
    result = runner().invoke(cli, ["rules", "check"])
    assert result.exit_code == 0, result.output
    assert "every example passes" in result.stdout


def test_rules_check_names_the_bad_file_and_rule(tmp_path):
    (tmp_path / "bad.toml").write_text(
        '[site]\nid = "bad"\n[[text]]\nid = "oops"\nkind = "strip"\npattern = "(x"\n'
        'why = "w"\nexamples = ["x"]\n',
        encoding="utf-8",
    )
    result = runner().invoke(cli, ["rules", "check", str(tmp_path)])
    assert result.exit_code != 0
    assert "bad.toml: rule 'oops'" in result.stderr and "not a valid regex" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_site_is_a_usage_error():
    result = runner().invoke(cli, ["explain", "--site", "nope", str(SEED)])
    assert result.exit_code == 2
    assert "unknown site 'nope'" in result.stderr


def test_rules_check_warns_about_nested_quantifiers_in_a_user_pack(tmp_path):
    (tmp_path / "mine.toml").write_text(
        '[site]\nid = "mine"\ninherit = ["book118"]\n[[text]]\nid = "slow"\nkind = "drop_line"\n'
        'pattern = \'^(\\w+\\s?)*$\'\nwhy = "w"\nexamples = ["ab"]\n',
        encoding="utf-8",
    )
    result = runner().invoke(cli, ["rules", "check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "rule 'slow'" in result.stderr
    assert "1 packs" in result.stdout
