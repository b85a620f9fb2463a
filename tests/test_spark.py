"""cleaner on Spark (`local[2]`, one session for the module): the same records as one machine,
faults as error records, retried tasks without duplicates, the DataFrame face."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from batch_fixtures import SlowCleaner, page_text, write_jsonl
from clirun import runner
from spark_fixtures import CrashOnFirstAttempt, comparable, make_dump

from cleaner import Page
from cleaner.cli import cli
from cleaner.integrations.spark import SCHEMA, CleanerOptions, clean_dataframe, clean_partition
from cleaner.integrations.spark_job import SparkJobOptions, run_spark_job

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def spark():
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.fail("the Spark tests need Java 17 or later: install it (java on PATH or JAVA_HOME)")
    from pyspark.sql import SparkSession

    # the executors' Python workers are this Python, and import the test fakes from tests/
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), os.getenv("PYTHONPATH")]))
    session = (
        SparkSession.builder.master("local[2,2]")  # 2 cores; a failed task runs once more
        .appName("cleaner-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def read_output(out: Path) -> tuple[list[dict], list[dict], dict]:
    def lines(files):
        return [json.loads(x) for f in sorted(files) for x in gzip.open(f, "rt", encoding="utf-8")]

    assert not list(out.glob("kind=*")), "Spark's own folders are left"
    records = lines(out.glob("part-*.jsonl.gz"))
    errors = lines((out / "_errors").glob("part-*.jsonl.gz"))
    return records, errors, json.loads((out / "_SUMMARY.json").read_text("utf-8"))


def one_machine(tmp_path: Path, dump: Path) -> tuple[list[dict], list[dict], str]:
    out, errs = tmp_path / "local.jsonl", tmp_path / "local-errors.jsonl"
    args = ["clean", str(dump), "-o", str(out), "--errors", str(errs), "--workers", "1"]
    res = runner().invoke(cli, args)
    assert res.exit_code == 1, res.output
    read = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    return read, [json.loads(x) for x in errs.read_text("utf-8").splitlines()], res.stderr


@pytest.mark.parametrize("extra", [[], ["--partitions", "3", "--no-isolate"]])
def test_the_same_records_as_one_machine(spark, tmp_path, extra):
    dump = make_dump(tmp_path / "dump")
    listing = tmp_path / "inputs.paths"  # a list naming a local path and a file:// URI
    listing.write_text(f"{dump / 'a.jsonl.gz'}\n\n# a comment\n{(dump / 'b.warc.gz').as_uri()}\n")
    out = tmp_path / "out"
    args = ["spark", str(listing), str(dump / "cut.jsonl.gz"), "-o", str(out), *extra]
    res = runner().invoke(cli, args)
    assert res.exit_code == 1, res.output + res.stderr  # finished, with error records

    records, errors, report = read_output(out)
    local, local_errors, local_stderr = one_machine(tmp_path, dump)
    by_id = {r["id"]: comparable(r) for r in records}
    assert len(by_id) == len(records) == len(local) > 44 + 50  # no id twice
    assert by_id == {r["id"]: comparable(r) for r in local}
    key = lambda e: json.dumps(e, sort_keys=True)  # noqa: E731
    assert sorted(map(comparable, errors), key=key) == sorted(
        map(comparable, local_errors), key=key
    )
    assert {e["error"] for e in errors} == {"bad_json", "no_text", "truncated"}

    s = report["summary"]
    assert report["adds_up"] and s["records_in"] == s["cleaned"] + s["errors"]
    assert (s["cleaned"], s["errors"]) == (len(records), len(errors))
    assert s["skipped"] == {"WARC request record": 1, "image/png": 1}
    assert sum(s["per_site"].values()) == s["cleaned"]
    accounts = f"records in {s['records_in']} = cleaned {len(records)} + errors 3"
    assert accounts in res.stderr and accounts in local_stderr
    assert "not pages, passed over: WARC request record 1, image/png 1" in res.stderr


def test_hung_crashed_and_slow_pages_are_error_records(spark, tmp_path):
    recs = [{"id": f"r{i}", "text": page_text(i)} for i in range(30)]
    recs[4] = {"id": "hang", "text": "HANG"}
    recs[9] = {"id": "crash", "text": "CRASH"}
    recs[20] = {"id": "slow", "text": "SLOW"}
    recs[25] = {"id": "bad", "text": "BAD"}
    dump = write_jsonl(tmp_path / "faults.jsonl", recs)
    opts = CleanerOptions(SlowCleaner(), page_timeout=2, isolate=True)
    s = run_spark_job(spark, [str(dump)], opts, SparkJobOptions(str(tmp_path / "out")))
    records, errors, _ = read_output(tmp_path / "out")
    assert {(e["id"], e["error"]) for e in errors} == {
        ("hang", "page_timeout"),
        ("crash", "worker_crashed"),
        ("slow", "page_timeout"),
        ("bad", "bad_page"),
    }
    assert [r["id"] for r in records] == [f"r{i}" for i in range(30) if i not in (4, 9, 20, 25)]
    assert s.records_in == 30 and s.adds_up()


def test_a_task_run_again_writes_no_duplicates(spark, tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    for name, first in (("a.jsonl", 0), ("b.jsonl", 20)):  # r30 is in the second file's task
        recs = [{"id": f"r{i}", "text": page_text(i)} for i in range(first, first + 20)]
        write_jsonl(dump / name, recs)
    opts = CleanerOptions(CrashOnFirstAttempt(str(tmp_path / "crashed")), isolate=False)
    s = run_spark_job(spark, [str(dump)], opts, SparkJobOptions(str(tmp_path / "out")))
    assert (tmp_path / "crashed").exists()  # the first attempt did die
    records, errors, report = read_output(tmp_path / "out")
    assert sorted(r["id"] for r in records) == sorted(f"r{i}" for i in range(40))
    assert errors == [] and s.records_in == s.cleaned == 40
    assert report["summary"]["records_in"] == 40  # the failed attempt's accounts are not kept


def test_output_that_exists_is_kept_without_force(spark, tmp_path):
    dump = write_jsonl(tmp_path / "in.jsonl", [{"id": "1", "text": page_text(1)}])
    (tmp_path / "out").mkdir()
    res = runner().invoke(cli, ["spark", str(dump), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2 and "exists: use --force" in res.stderr
    res = runner().invoke(cli, ["spark", str(dump), "-o", str(tmp_path / "out"), "--force", "-q"])
    assert res.exit_code == 0 and res.stderr == ""
    assert len(read_output(tmp_path / "out")[0]) == 1


def test_clean_dataframe(spark, cleaner):
    html = f"<html><head><title>T</title></head><body><p>{page_text(2)}</p></body></html>"
    rows = [
        ("a", page_text(1), None, "https://max.book118.com/1"),
        ("b", None, html.encode("gbk"), "https://max.book118.com/2"),
        ("c", None, None, None),
    ]
    df = spark.createDataFrame(rows, "key string, body string, page binary, link string")
    out = clean_dataframe(df, "body", "page", "link", "key", page_timeout=5)
    assert [f"{f.name} {f.dataType.simpleString()}" for f in out.schema] == SCHEMA.split(", ")
    got = {r["id"]: r for r in out.collect()}
    expected = cleaner.clean(page_text(1), url="https://max.book118.com/1", id="a").to_dict()
    assert got["a"]["text"] == expected["text"] and got["a"]["error"] is None
    assert json.loads(got["a"]["metadata"]) == expected["metadata"]
    assert json.loads(got["a"]["provenance"]) == expected["provenance"]
    page = Page(html.encode("gbk"), url="https://max.book118.com/2", id="b", kind="html")
    expected = cleaner.clean_page(page).to_dict()
    assert json.loads(got["b"]["provenance"]) == expected["provenance"]
    assert json.loads(got["b"]["metadata"])["title"] == "T" == expected["metadata"]["title"]
    assert (got["c"]["error"], got["c"]["text"]) == ("no_text", None)


def test_the_cleaner_is_unpickled_once_per_python_worker(spark, cleaner):
    opts = CleanerOptions(cleaner).shipped(spark.sparkContext)

    def probe(_):
        import spark_fixtures

        spark_fixtures.KEPT.append(opts.get_cleaner())
        yield os.getpid(), id(spark_fixtures.KEPT[-1])

    seen = spark.sparkContext.parallelize(range(8), 8).mapPartitions(probe).collect()
    assert len(seen) == 8 and len(set(seen)) == len({pid for pid, _ in seen}) < 8


def test_clean_partition_gives_one_record_per_input(cleaner):
    records = [{"id": "x", "text": page_text(3)}, {"id": "y"}, {"text": page_text(4)}]
    got = list(clean_partition(records, CleanerOptions(cleaner, isolate=False)))
    assert got[0] == json.loads(json.dumps(cleaner.clean(page_text(3), id="x").to_dict()))
    assert got[1] == {"id": "y", "origin": None, "error": "no_text", "message": got[1]["message"]}
    assert got[2]["id"] == cleaner.clean(page_text(4)).id  # no id: the content's stable id


def test_without_java_the_command_says_so(tmp_path):
    dump = write_jsonl(tmp_path / "in.jsonl", [{"id": "1", "text": page_text(1)}])
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "PYSPARK_PYTHON")}
    env["PATH"] = str(Path(sys.executable).parent)  # no java there
    cmd = [str(Path(sys.executable).parent / "cleaner"), "spark", str(dump), "-o", "out"]
    res = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert "Java 17" in res.stderr and "Traceback" not in res.stderr
