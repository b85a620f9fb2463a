"""Batch runs: accounting, order, workers, per-page time limit, crashed workers, exit codes."""

from __future__ import annotations

import errno
import json

import pytest
from batch_fixtures import SlowCleaner, page_text, warc_bytes, write_jsonl
from clirun import runner

from cleaner.batch import Job, JobError, JobOptions, Progress, Summary, pool, run
from cleaner.cli import cli
from cleaner.io.readers import ReadOptions, read_inputs
from cleaner.io.writers import JsonlWriter, partial_path


def dump(tmp_path, n=40, bad=(), name="in.jsonl"):
    recs = []
    for i in range(n):
        if i in bad:
            recs.append(bad[i])
        else:
            recs.append({"id": f"r{i}", "text": page_text(i), "url": "https://max.book118.com/x"})
    return write_jsonl(tmp_path / name, recs)


def collect(cleaner, paths, **kw):
    out, errs = [], []
    summary = run(cleaner, read_inputs([str(p) for p in paths]), out.append, errs.append, **kw)
    return [json.loads(x) for x in out], errs, summary


def test_every_record_is_accounted_for(tmp_path, cleaner):
    path = dump(tmp_path, bad={3: "nope", 7: {"id": "r7"}})
    crawl = tmp_path / "c.warc.gz"
    crawl.write_bytes(warc_bytes(4))
    out, errs, s = collect(cleaner, [path, crawl, tmp_path / "missing.txt"])
    assert s.records_in == 45 and s.cleaned == 42 and s.errors == 3
    assert s.adds_up()
    assert sum(s.per_site.values()) == s.cleaned and s.bytes_in > 0
    assert [e["error"] for e in errs] == ["bad_json", "no_text", "missing"]
    assert errs[0]["origin"] == {"path": str(path), "line": 4}
    ids = [r["id"] for r in out]
    assert ids[:3] == ["r0", "r1", "r2"] and ids[-4].startswith("urn:uuid:")
    assert all(set(r) == {"id", "text", "metadata", "provenance"} for r in out)
    assert s.skipped == {"WARC request record": 1, "image/png": 1}  # counted, not records
    line = s.line()
    assert "records in 45 = cleaned 42 + errors 3" in line and "book118" in line
    assert "not pages, passed over: WARC request record 1, image/png 1" in line


def test_workers_keep_input_order(tmp_path, cleaner):
    path = dump(tmp_path, n=300, bad={50: "x", 51: {"id": "r51", "text": "BAD"}})
    out, errs, s = collect(SlowCleaner(), [path], workers=2, page_timeout=10)
    assert [r["id"] for r in out] == [f"r{i}" for i in range(300) if i not in (50, 51)]
    assert [e["error"] for e in errs] == ["bad_json", "bad_page"]
    single, _, _ = collect(cleaner, [path])
    assert [r["text"] for r in single if r["id"] != "r51"] == [r["text"] for r in out]
    assert s.adds_up()


@pytest.mark.parametrize("workers", [1, 2])
def test_slow_page_becomes_a_timeout_error(tmp_path, workers):
    path = dump(tmp_path, n=12, bad={5: {"id": "slow", "text": "SLOW page"}})
    out, errs, s = collect(SlowCleaner(), [path], workers=workers, page_timeout=0.3)
    assert len(out) == 11 and s.adds_up()
    assert [(e["id"], e["error"]) for e in errs] == [("slow", "page_timeout")]


def test_hung_and_crashing_pages_do_not_stop_the_run(tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "PAGE_GRACE", 0.2)
    bad = {3: {"id": "hang", "text": "HANG"}, 20: {"id": "crash", "text": "CRASH"}}
    path = dump(tmp_path, n=40, bad=bad)
    out, errs, s = collect(SlowCleaner(), [path], workers=2, page_timeout=0.3)
    assert [r["id"] for r in out] == [f"r{i}" for i in range(40) if i not in bad]
    assert {(e["id"], e["error"]) for e in errs} == {
        ("hang", "page_timeout"),
        ("crash", "worker_crashed"),
    }
    assert s.adds_up()


def test_progress_lines_when_not_a_terminal(capsys):
    s = Summary(records_in=10, bytes_in=1000, errors=1)
    p = Progress(s, mode="lines", every=0)
    p.update(10)
    assert "10 records" in capsys.readouterr().err


def invoke(args):
    return runner().invoke(cli, ["clean", *map(str, args)], catch_exceptions=False)


def test_exit_codes(tmp_path):
    good = dump(tmp_path, n=5, name="good.jsonl")
    bad = dump(tmp_path, n=5, bad={2: "oops"}, name="bad.jsonl")
    out = tmp_path / "out.jsonl"
    r = invoke([good, "-o", out, "--workers", 1])
    assert r.exit_code == 0, r.output
    assert "records in 5 = cleaned 5 + errors 0" in r.stderr
    r = invoke([bad, "-o", tmp_path / "o2.jsonl", "--errors", tmp_path / "e.jsonl", "-q"])
    assert r.exit_code == 1 and r.stderr == ""
    (err,) = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert set(err) == {"id", "origin", "error", "message"} and err["origin"]["line"] == 3
    assert invoke([good, "-o", out]).exit_code == 2  # exists, no --force
    assert invoke([good, "--workers", 0]).exit_code == 2
    r = invoke([good, "-o", out, "--force", "--workers", 1])
    assert r.exit_code == 0


def test_existing_output_is_not_overwritten(tmp_path):
    good = dump(tmp_path, n=3)
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    r = invoke([good, "-o", out])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert out.read_text() == "precious\n"
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    assert invoke([good, "-o", folder]).exit_code == 2


def test_unwritable_path_aborts_without_a_final_file(tmp_path):
    good = dump(tmp_path, n=3)
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = invoke([good, "-o", blocker / "out.jsonl", "--workers", 1])
    assert r.exit_code == 3 and "cannot write" in r.stderr
    assert not (blocker / "out.jsonl").exists()


def test_full_disk_aborts_without_a_final_file(tmp_path, monkeypatch):
    good = dump(tmp_path, n=30)
    out = tmp_path / "out.jsonl"

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device", str(partial_path(self.target)))

    monkeypatch.setattr(JsonlWriter, "_flush_lines", full)
    r = invoke([good, "-o", out, "--workers", 1])
    assert r.exit_code == 3 and "No space left on device" in r.stderr
    assert not out.exists()


def test_folder_output(tmp_path, cleaner):
    path = dump(tmp_path, n=3, bad={1: {"id": "../../../evil", "text": page_text(1)}})
    out = tmp_path / "texts"
    Job(cleaner, [str(path)], options=JobOptions(output=str(out), progress="off")).run()
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 6 and "r0.txt" in names and "r2.json" in names
    (evil,) = tmp_path.rglob("*evil*.txt")
    assert evil.parent == out


def test_resume_refuses_other_inputs(tmp_path, cleaner):
    a = dump(tmp_path, n=3, name="a.jsonl")
    b = dump(tmp_path, n=4, name="b.jsonl")
    out = tmp_path / "out.jsonl"
    journal = out.with_name("out.jsonl.journal")
    job = Job(cleaner, [str(a)], options=JobOptions(output=str(out), progress="off"))
    journal.write_text(json.dumps(job.header()) + "\n")
    with pytest.raises(JobError, match="unfinished"):
        Job(cleaner, [str(a)], options=JobOptions(output=str(out))).run()
    with pytest.raises(JobError, match="other inputs"):
        Job(cleaner, [str(b)], options=JobOptions(output=str(out), resume=True)).run()
    s = Job(cleaner, [str(a)], options=JobOptions(output=str(out), resume=True, progress="off"))
    assert s.run().cleaned == 3 and not journal.exists()


def test_read_options_reach_the_job(tmp_path, cleaner):
    path = write_jsonl(tmp_path / "a.jsonl", [{"body": page_text(1), "k": "x", "lang": "zh"}])
    opts = ReadOptions(text_field="body", id_field="k", keep_fields=("lang",))
    out = tmp_path / "o.jsonl"
    Job(cleaner, [str(path)], opts, JobOptions(output=str(out), progress="off")).run()
    rec = json.loads(out.read_text())
    assert rec["id"] == "x" and rec["metadata"]["extra"] == {"lang": "zh"}


class Interrupting:
    """Cleans for real, then stops the run (as Ctrl-C would) at the page with id `stop`."""

    def __init__(self, real, stop):
        self.real, self.stop = real, stop

    def clean_page(self, page):
        if page.id == self.stop:
            raise KeyboardInterrupt
        return self.real.clean_page(page)


@pytest.mark.parametrize("output", ["texts", "out.jsonl.gz"])
def test_interrupted_run_resumes_exactly_once(tmp_path, cleaner, monkeypatch, output):
    from cleaner.batch import runner as batch

    monkeypatch.setattr(batch, "CHECKPOINT_SECONDS", 0)
    monkeypatch.setattr(batch, "CHUNK_RECORDS", 8)
    path = dump(tmp_path, n=60, bad={9: "not json"})
    out = tmp_path / output
    opts = JobOptions(output=str(out), progress="off", errors=str(tmp_path / "e.jsonl"))
    with pytest.raises(KeyboardInterrupt):
        Job(Interrupting(cleaner, "r37"), [str(path)], options=opts).run()
    with pytest.raises(JobError, match="--resume"):
        Job(cleaner, [str(path)], options=opts).run()
    opts.resume = True
    s = Job(cleaner, [str(path)], options=opts).run()
    assert (s.records_in, s.cleaned, s.errors, s.resumed_at) == (60, 59, 1, 32)
    if output == "texts":
        ids = sorted(p.stem for p in out.glob("*.txt"))
        assert ids == sorted(f"r{i}" for i in range(60) if i != 9)
        assert not (out / ".cleaner-journal").exists()
    else:
        import gzip

        got = [json.loads(x)["id"] for x in gzip.decompress(out.read_bytes()).splitlines()]
        assert got == [f"r{i}" for i in range(60) if i != 9]
    assert len((tmp_path / "e.jsonl").read_text().splitlines()) == 1
