"""The review report from a run's records: its accounts, the pages it picks, the source texts
it finds in the inputs, bounded memory on long runs, and the commands that write it."""

from __future__ import annotations

import gzip
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest
from clirun import runner
from lxml import html as lxml_html

from cleaner.cli import cli
from cleaner.report import ReportError, write_report
from cleaner.report.pick import Picker

ROOT = Path(__file__).resolve().parent.parent
TEXT = "开头广告\n正文第一段,讲的是防汛工作。\n正文第二段。\n下载本文档\n"


def record(i, site="book118", by="url", flags=(), region=None, learned=False, removed=None):
    """An output record as `cleaner clean` writes it, for the page TEXT."""
    removed = removed or [{"rule": f"{site or 'generic'}/ad", "start": 0, "end": 5}]
    chars_out = len(TEXT) - sum(s["end"] - s["start"] for s in removed)
    prov = {
        "origin": {"path": "in.jsonl", "line": i + 1},
        "input_sha256": f"{i:064x}",
        "detection": {"site": site, "by": by if site else None},
        "rules": [{"pack": site, "sha256": "0", **({"learned": True} if learned else {})}]
        if site
        else [{"pack": "generic", "sha256": "0"}],
        "removed": removed,
        "chars_in": len(TEXT),
        "chars_out": chars_out,
        "flags": list(flags),
    }
    if region is not None:
        prov["region"] = region
    meta = {"title": None, "site": site, "url": None if site else f"https://h{i % 3}.example/x"}
    return {"id": f"r{i}", "text": "x" * chars_out, "metadata": meta, "provenance": prov}


def write_jsonl(path: Path, records, gz=False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def load(path: Path):
    return lxml_html.fromstring(path.read_text("utf-8"))


def values(tree) -> dict[str, int]:
    return {e.get("id")[2:]: int(e.get("data-value")) for e in tree.xpath("//*[@data-value]")}


def test_the_accounts_per_site_rule_flag_and_error(tmp_path):
    region = {"lines": 4, "removed": 1, "uncertain": [{"start": 0, "end": 4, "p": 0.4}]}
    records = [
        record(0, flags=["truncated"]),
        record(1, by="fingerprint"),
        record(2, site="wiki", learned=True),
        record(3, site=None, region=region, flags=["empty"]),
        record(
            4,
            removed=[
                {"rule": "book118/ad", "start": 0, "end": 5},
                {"rule": "book118/dl", "start": 26, "end": 32},
            ],
        ),
    ]
    out = write_jsonl(tmp_path / "out.jsonl.gz", records, gz=True)
    errors = write_jsonl(
        tmp_path / "errors.jsonl",
        [
            {
                "id": None,
                "origin": {"path": "in.jsonl", "line": 9},
                "error": "bad_json",
                "message": "<b>not JSON</b>",
            },
        ],
    )
    info = write_report(tmp_path / "r.html", [out, errors])
    tree = load(tmp_path / "r.html")
    n = values(tree)
    chars_out = sum(r["provenance"]["chars_out"] for r in records)
    assert n == {
        "records_in": 6,
        "cleaned": 5,
        "errors": 1,
        "chars_in": 5 * len(TEXT),
        "chars_out": chars_out,
        "chars_removed": 5 * len(TEXT) - chars_out,
    }
    assert info.records == 6 and info.pages_shown == 5 and info.sources_found == 0

    sites = {
        tr.get("data-site"): [td.text_content() for td in tr]
        for tr in tree.xpath("//tr[@data-site]")
    }
    assert sites["book118"][1] == "3" and sites["book118"][-2:] == ["pack", "url 2 · fingerprint 1"]
    assert sites["wiki"][-2:] == ["learned pack", "url"]
    assert sites["(no pack) h0.example"][-2:] == ["generic + region model", "none"]

    rules = [
        (tr.get("data-rule"), int(tr.get("data-pages")), int(tr.get("data-chars")))
        for tr in tree.xpath("//tr[@data-rule]")
    ]
    assert rules == [
        ("book118/ad", 3, 15),
        ("book118/dl", 1, 6),
        ("generic/ad", 1, 5),
        ("wiki/ad", 1, 5),
    ]
    assert sum(c for _, _, c in rules) == n["chars_removed"]
    flags = {
        tr.get("data-flag"): int(tr.get("data-pages")) for tr in tree.xpath("//tr[@data-flag]")
    }
    assert flags == {"truncated": 1, "empty": 1}
    (kind,) = tree.xpath("//tr[@data-kind]")
    assert (kind.get("data-kind"), kind.get("data-count")) == ("bad_json", "1")
    assert "in.jsonl:9: <b>not JSON</b>" in kind.text_content()


def test_without_error_records_the_report_says_it_cannot_count_errors(tmp_path):
    out = write_jsonl(tmp_path / "out.jsonl", [record(0)])
    write_report(tmp_path / "r.html", [out])
    assert "No error records were read" in (tmp_path / "r.html").read_text("utf-8")


def test_pages_worth_a_look_come_first_in_turn(tmp_path):
    close = {
        "lines": 3,
        "removed": 1,
        "uncertain": [{"start": 0, "end": 4, "p": 0.51, "removed": True}],
    }
    far = {"lines": 3, "removed": 1, "uncertain": [{"start": 0, "end": 4, "p": 0.9}]}
    big = [{"rule": "book118/ad", "start": 0, "end": 30}]
    picker = Picker(3)
    for i, rec in enumerate(
        [
            record(0),
            record(1, flags=["truncated"]),
            record(2, region=far),
            record(3, removed=big),
            record(4, flags=["empty"]),
            record(5, region=close),
            record(6),
            record(7),
        ]
    ):
        picker.offer(rec, f"out.jsonl:{i + 1}")
    first = picker.look_first()
    assert [p.record["id"] for p in first] == ["r4", "r3", "r5"]
    assert first[0].reasons[0] == "flagged: empty"
    assert first[1].reasons == ["removed 91% of its text"]
    assert first[2].reasons[-1] == "region model's closest call: p(chrome) 0.51, removed"
    rest = picker.sample({p.seq for p in first})
    assert len(rest) == 3 and not {p.record["id"] for p in rest} & {"r3", "r4", "r5"}
    assert [p.seq for p in rest] == sorted(p.seq for p in rest)


def test_the_sample_is_the_same_from_one_report_to_the_next():
    def draw():
        picker = Picker(4)
        for i in range(500):
            picker.offer(record(i), f"o:{i}")
        return [p.record["id"] for p in picker.sample(set())]

    assert draw() == draw() and len(draw()) == 4


def _peak(tmp_path: Path, n: int) -> tuple[int, int]:
    rec = record(0, flags=["truncated"])
    out = tmp_path / f"out{n}.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            rec["id"] = f"r{i}"
            rec["provenance"]["chars_out"] = 20 + i % 7  # the share removed varies
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tracemalloc.start()
    try:
        info = write_report(tmp_path / f"r{n}.html", [out], sample=5)
        return tracemalloc.get_traced_memory()[1], info.size
    finally:
        tracemalloc.stop()


def test_memory_and_size_do_not_grow_with_the_run(tmp_path):
    small_peak, small_size = _peak(tmp_path, 500)
    large_peak, large_size = _peak(tmp_path, 4_000)
    assert large_peak < small_peak * 1.3  # eight times the records, the same memory
    assert abs(large_size - small_size) < small_size * 0.1


def _clean(tmp_path: Path, *sources: str, extra=()) -> Path:
    out = tmp_path / "out.jsonl"
    args = ["clean", *sources, "-o", str(out), "-q", "--workers", "1", *extra]
    result = runner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out


def test_pages_are_found_in_the_inputs_by_their_content_wherever_they_now_are(tmp_path, cleaner):
    inputs = tmp_path / "inputs"
    for case in ("book118/speech", "book118/notice-html", "scribd/speech", "renrendoc/plan-html"):
        shutil.copytree(ROOT / "samples" / case, inputs / case.replace("/", "-"))
    out = _clean(tmp_path, str(inputs))
    moved = tmp_path / "moved"
    inputs.rename(moved)
    info = write_report(tmp_path / "r.html", [out], inputs=[str(moved)], cleaner=cleaner)
    tree = load(tmp_path / "r.html")
    assert info.pages_shown == info.sources_found == 4
    assert [s.get("data-view") for s in tree.xpath("//section")] == ["source"] * 4
    dom = tree.xpath(
        "//section//h4[starts-with(., 'Removed by DOM rules')]/following-sibling::ul[1]"
    )
    assert dom and all(ul.xpath(".//ul/li") for ul in dom)  # samples of what DOM rules dropped


def test_a_record_its_input_does_not_rebuild_is_shown_on_its_clean_text(tmp_path, cleaner):
    page = tmp_path / "page.txt"
    shutil.copy(ROOT / "samples/book118/speech/input.txt", page)
    out = _clean(tmp_path, str(page))
    rec = json.loads(out.read_text("utf-8"))
    rec["text"] = rec["text"].replace("同志们", "朋友们")
    write_jsonl(out, [rec])
    write_report(tmp_path / "r.html", [out], inputs=[str(page)], cleaner=cleaner)
    (section,) = load(tmp_path / "r.html").xpath("//section")
    assert section.get("data-view") == "clean"
    assert "do not rebuild the record's text" in section.text_content()


def test_a_page_cleaned_by_another_version_of_its_pack_names_the_pack(tmp_path):
    page = tmp_path / "page.html"
    shutil.copy(ROOT / "samples/book118/notice-html/input.html", page)
    out = _clean(tmp_path, str(page))
    mine = tmp_path / "rules"
    mine.mkdir()
    pack = (ROOT / "rules/book118.toml").read_text("utf-8")
    (mine / "book118.toml").write_text(pack.replace('css = ".doc-main"', 'css = "body"'), "utf-8")
    args = ["report", str(out), "-o", str(tmp_path / "r.html"), "--input", str(page)]
    result = runner().invoke(cli, [*args, "--rules", str(mine)])
    assert result.exit_code == 0, result.output
    (section,) = load(tmp_path / "r.html").xpath("//section")
    assert section.get("data-view") == "clean"
    assert "other versions of the packs book118 (give the same --rules)" in section.text_content()


def test_without_inputs_pages_are_shown_on_their_clean_text(tmp_path):
    out = _clean(tmp_path, str(ROOT / "samples/book118/speech/input.txt"))
    rec = json.loads(out.read_text("utf-8"))
    write_report(tmp_path / "r.html", [out])
    (section,) = load(tmp_path / "r.html").xpath("//section")
    assert section.get("data-view") == "clean" and "were not given" in section.text_content()
    markers = section.xpath(".//pre/span")
    assert [m.get("data-rule") for m in markers] == [
        s["rule"] for s in rec["provenance"]["removed"]
    ]


def test_lines_that_are_not_records_are_counted_not_fatal(tmp_path):
    lines = [json.dumps(record(i), ensure_ascii=False) for i in range(100)]
    lines[50:50] = ["{oops", "[1, 2]"]
    data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"))
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) - 30])
    info = write_report(tmp_path / "r.html", [tmp_path / "cut.jsonl.gz"])
    tree = load(tmp_path / "r.html")
    n = values(tree)
    assert n["unreadable"] == 3 and 50 <= n["cleaned"] < 100
    assert (info.records, info.unreadable) == (n["cleaned"], 3)
    text = tree.text_content()
    assert "not JSON" in text and "neither an output record" in text and "cut or damaged" in text


def test_damaged_records_show_what_they_can(tmp_path):
    bad = record(0, site=None)
    bad["metadata"]["url"] = "http://[oops/"
    bad["provenance"].update(flags="empty", chars_in=None, input_sha256=None)
    bad["provenance"]["region"] = {"threshold": "high", "uncertain": [{"p": 0.5, "end": "x"}, 3]}
    bad["provenance"]["removed"] += [{"rule": 7, "start": 0, "end": 1}, {"start": "x"}, "span"]
    bad["provenance"]["removed"] += [{"rule": "late/span", "start": 3, "end": 9}]  # overlaps
    missing = {"id": "m", "provenance": {}}
    out = write_jsonl(tmp_path / "out.jsonl", [bad, missing])
    write_report(tmp_path / "r.html", [out], inputs=[str(out)])
    tree = load(tmp_path / "r.html")
    assert values(tree)["cleaned"] == 2 and tree.xpath("//tr[@data-site='(no pack, no host)']")
    rules = [tr.get("data-rule") for tr in tree.xpath("//tr[@data-rule]")]
    assert rules == ["late/span", "generic/ad"]  # the well-formed spans are counted
    (shown,) = tree.xpath("//section[@data-id='r0']")
    assert [m.get("data-rule") for m in shown.xpath(".//pre/span")] == ["generic/ad"]
    assert len(tree.xpath("//section")) == 2


def test_a_folder_output_is_read_as_its_records(tmp_path):
    out = tmp_path / "folder"
    result = runner().invoke(
        cli, ["clean", str(ROOT / "samples/scribd"), "-o", str(out), "-q", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    write_report(tmp_path / "r.html", [out])
    tree = load(tmp_path / "r.html")
    assert values(tree)["cleaned"] == 2
    assert all(s.xpath(".//pre")[0].text_content().strip() for s in tree.xpath("//section"))


def test_the_region_models_decisions_are_shown_with_their_lines(tmp_path, cleaner):
    page = tmp_path / "page.txt"
    page.write_text(TEXT, encoding="utf-8")
    rec = cleaner.clean(TEXT, origin={"path": str(page)}).to_dict()
    rec["provenance"]["region"] = {
        "lines": 4,
        "removed": 1,
        "uncertain": [{"start": 5, "end": 19, "p": 0.47, "removed": False}],
    }
    out = write_jsonl(tmp_path / "out.jsonl", [rec])
    write_report(tmp_path / "r.html", [out], inputs=[str(page)], cleaner=cleaner)
    (section,) = load(tmp_path / "r.html").xpath("//section")
    assert "region model's closest call: p(chrome) 0.47, kept" in section.text_content()
    assert "p 0.47, kept (closest): 正文第一段,讲的是防汛工作。" in section.text_content()


def test_report_command(tmp_path):
    out = _clean(tmp_path, str(ROOT / "samples/book118"))
    target = tmp_path / "r.html"
    args = ["report", str(out), "-o", str(target), "--input", str(ROOT / "samples/book118")]
    result = runner().invoke(cli, [*args, "--sample", "1"])
    assert result.exit_code == 0, result.output
    assert "2 records, 2 pages shown (2 on their source text)" in result.stderr
    assert len(load(target).xpath("//section")) == 2  # one worth a look, one drawn


@pytest.mark.parametrize(
    "args, message",
    [
        (["report", "nope.jsonl", "-o", "r.html"], "nope.jsonl: no such output"),
        (["report", "{out}", "-o", "no/such/dir/r.html"], "not a file in an existing folder"),
        (["report", "{out}", "-o", "r.html", "--input", "gone.jsonl"], "gone.jsonl: no such input"),
        (["clean", "{page}", "--report", "r.html"], "--report needs the output in a file"),
        (["report", "{out}", "-o", "{out}"], "would overwrite out.jsonl, a file of the run"),
        (["clean", "{page}", "-o", "o.jsonl", "--report", "o.jsonl"], "would overwrite o.jsonl"),
        (["clean", "{page}", "-o", "o.jsonl", "--report", "no/dir/r.html"], "not a file in an"),
    ],
)
def test_mistakes_are_usage_errors_before_anything_is_written(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    page = ROOT / "samples/book118/speech/input.txt"
    (tmp_path / "out.jsonl").write_text(json.dumps(record(0)) + "\n", encoding="utf-8")
    args = [a.format(out="out.jsonl", page=page) for a in args]
    result = runner().invoke(cli, args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_clean_report_carries_the_runs_own_accounts(tmp_path):
    page = tmp_path / "in.jsonl"
    page.write_text('{"text": "正文。"}\nnot json\n', encoding="utf-8")
    report = tmp_path / "r.html"
    result = runner().invoke(
        cli,
        [
            "clean",
            str(page),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--report",
            str(report),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 1
    assert f"report {report}: 1 records, 1 pages shown (1 on their source text)" in result.stderr
    tree = load(report)
    assert (values(tree)["records_in"], values(tree)["errors"]) == (
        2,
        1,
    )  # from the run: stderr errors too
    assert "went to stderr" in tree.text_content()


def test_explain_html(tmp_path):
    target = tmp_path / "page.html"
    page = ROOT / "samples/book118/notice-html/input.html"
    result = runner().invoke(cli, ["explain", str(page), "--html", str(target)])
    assert result.exit_code == 0 and f"wrote {target}" in result.stderr
    tree = load(target)
    (section,) = tree.xpath("//section")
    assert section.get("data-view") == "source"
    assert tree.xpath("//del[@data-rule]") and "Removed by DOM rules" in section.text_content()


def test_explain_html_does_not_overwrite_the_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>正文</p>", encoding="utf-8")
    result = runner().invoke(cli, ["explain", str(page), "--html", str(page)])
    assert result.exit_code == 2 and "would overwrite the page" in result.stderr
    assert page.read_text("utf-8") == "<p>正文</p>"


def test_write_report_refuses_a_missing_output(tmp_path):
    with pytest.raises(ReportError, match="no such output"):
        write_report(tmp_path / "r.html", [tmp_path / "missing.jsonl"])
