"""`cleaner learn`, `cleaner clean --learn/--learn-out` and `--no-site-packs` on the command
line."""

import json
import random
import tomllib

from clirun import runner
from learn_pages import CHROME, body, doc_page, speech, speech_page

from cleaner.cli import cli

DOC_URL = "https://wenku.example.com/doc/{}.html"


def write_dump(path, records):
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def doc_dump(tmp_path, n=8, urls=True):
    records = [
        {"id": f"doc-{i}", "url": DOC_URL.format(i) if urls else None, "text": doc_page(i)}
        for i in range(n)
    ]
    return write_dump(tmp_path / "docs.jsonl", records)


def read_out(path):
    return {r["id"]: r for r in map(json.loads, path.read_text("utf-8").splitlines())}


def test_learn_writes_a_pack_per_site_that_rules_check_accepts(tmp_path):
    dump = doc_dump(tmp_path)
    res = runner().invoke(cli, ["learn", str(dump), "-o", str(tmp_path / "packs")])
    assert res.exit_code == 0, res.output
    pack = tmp_path / "packs" / "example.com.toml"
    assert f"cleaner: {pack}: " in res.stdout and "rules from 8 pages" in res.stdout
    assert "learned packs: example.com" in res.stderr
    check = runner().invoke(cli, ["rules", "check", str(tmp_path / "packs")])
    assert check.exit_code == 0 and check.stdout.startswith("1 packs")
    again = runner().invoke(cli, ["learn", str(dump), "-o", str(tmp_path / "packs")])
    assert again.exit_code == 2 and "--force" in again.stderr


def test_clean_learn_cleans_with_the_learned_pack_and_says_so(tmp_path):
    dump = doc_dump(tmp_path)
    out, packs = tmp_path / "out.jsonl", tmp_path / "learned"
    args = ["clean", str(dump), "-o", str(out), "--learn", "--learn-out", str(packs)]
    res = runner().invoke(cli, args)
    assert res.exit_code == 0, res.stderr
    (line,) = [x for x in res.stderr.splitlines() if "learned packs:" in x]
    rules = len((packs / "example.com.toml").read_text("utf-8").split("\n[[")) - 1
    assert line == f"cleaner: learned packs: example.com {rules} rules (8 pages)"
    records = read_out(out)
    assert len(records) == 8
    for i in range(8):
        rec = records[f"doc-{i}"]
        assert rec["text"].split("\n") == body(i)
        assert rec["metadata"]["site"] == "example.com"
        learned = [e for e in rec["provenance"]["rules"] if e.get("learned")]
        assert [e["pack"] for e in learned] == ["example.com"]


def test_clean_learn_on_a_dump_without_urls_groups_by_template(tmp_path):
    bodies = [speech(i) for i in range(6)]
    records = [{"id": f"doc-{i}", "text": doc_page(i)} for i in range(6)]
    records += [{"id": f"speech-{i}", "text": speech_page(i, b)} for i, b in enumerate(bodies)]
    random.Random(7).shuffle(records)
    dump = write_dump(tmp_path / "mixed.jsonl", records)
    out = tmp_path / "out.jsonl"
    res = runner().invoke(cli, ["clean", str(dump), "-o", str(out), "--learn"])
    assert res.exit_code == 0, res.stderr
    (line,) = [x for x in res.stderr.splitlines() if "learned packs:" in x]
    assert line.count("template-") == 2 and line.count("(6 pages)") == 2
    out_records = read_out(out)
    for i in range(6):
        doc = out_records[f"doc-{i}"]
        assert doc["text"].split("\n") == body(i)
        assert doc["metadata"]["site"].startswith("template-")
        assert out_records[f"speech-{i}"]["text"].split("\n") == bodies[i]
    sites = {r["metadata"]["site"] for r in out_records.values()}
    assert len(sites) == 2


def test_no_site_packs_leaves_the_bundled_site_pack_out(tmp_path):
    page = "文档简介\n运输企业安全生产会议制度\n为规范会议组织,制定本制度。\n"
    dump = write_dump(
        tmp_path / "in.jsonl", [{"id": "a", "url": "https://www.renrendoc.com/p/1", "text": page}]
    )
    with_pack, without = tmp_path / "with.jsonl", tmp_path / "without.jsonl"
    assert runner().invoke(cli, ["clean", str(dump), "-o", str(with_pack)]).exit_code == 0
    args = ["clean", str(dump), "-o", str(without), "--no-site-packs"]
    assert runner().invoke(cli, args).exit_code == 0
    a, b = read_out(with_pack)["a"], read_out(without)["a"]
    assert a["metadata"]["site"] == "renrendoc" and "文档简介" not in a["text"]
    assert b["metadata"]["site"] is None
    assert [e["pack"] for e in b["provenance"]["rules"]] == ["generic-html", "generic"]
    assert not any(r["rule"].startswith("renrendoc/") for r in b["provenance"]["removed"])


def test_learn_extends_the_bundled_site_pack_unless_told_not_to(tmp_path):
    records = [
        {"id": str(i), "url": f"https://www.renrendoc.com/paper/{i}.html", "text": doc_page(i)}
        for i in range(6)
    ]
    dump = write_dump(tmp_path / "in.jsonl", records)
    for flag, extends in (([], "renrendoc"), (["--no-site-packs"], None)):
        folder = tmp_path / ("off" if flag else "on")
        res = runner().invoke(cli, ["learn", str(dump), "-o", str(folder), *flag])
        assert res.exit_code == 0, res.stderr
        site = tomllib.loads((folder / "renrendoc.com.toml").read_text("utf-8"))["site"]
        assert site.get("extends") == extends


def test_clean_learn_needs_files_it_can_read_twice(tmp_path):
    res = runner().invoke(cli, ["clean", "-", "--learn"], input="a page\n")
    assert res.exit_code == 2
    assert "give files, not -" in res.stderr
    folder = str(tmp_path / "packs")
    learned = runner().invoke(cli, ["learn", "-", "-o", folder], input="a page\n")
    assert learned.exit_code == 0 and "1 pages: under --min-pages 5" in learned.stderr


def test_learned_chrome_is_gone_from_new_pages_of_the_site(tmp_path):
    dump = doc_dump(tmp_path)
    folder = tmp_path / "packs"
    assert runner().invoke(cli, ["learn", str(dump), "-o", str(folder)]).exit_code == 0
    fresh = write_dump(
        tmp_path / "fresh.jsonl", [{"id": "n", "url": DOC_URL.format(99), "text": doc_page(99)}]
    )
    out = tmp_path / "out.jsonl"
    res = runner().invoke(cli, ["clean", str(fresh), "-o", str(out), "--rules", str(folder)])
    assert res.exit_code == 0, res.stderr
    text = read_out(out)["n"]["text"]
    assert not any(c in text for c in CHROME) and text.split("\n") == body(99)
