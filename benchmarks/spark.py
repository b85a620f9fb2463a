"""Spark against one machine: records/s of `cleaner spark` on local[1] and local[2] and of
`cleaner clean --workers 1/2`, on the same dump.

    .venv/bin/python benchmarks/spark.py                 # 20,000 records, best of 2 runs
    .venv/bin/python benchmarks/spark.py --records 5000 --repeat 1

The dump is `throughput.py`'s (60% text records and 20% HTML records in JSONL.gz, 20% HTML
responses in WARC.gz: three files). Every run is the command itself, in a process of its own,
writing gzipped JSONL as `cleaner spark` does. For Spark, two times: the job alone (from
`_SUMMARY.json`: reading, cleaning, writing, laying the output out) and the whole command (the
JVM and the session's start too). One task per input file is Spark's default; `--partitions 4`
spreads the three files' records over four tasks with a shuffle. Also printed: what shipping
the `Cleaner` costs (its pickle's size, building it, unpickling it), which decides between a
broadcast and a copy per task.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import WORK, build

CLEANER = Path(sys.executable).parent / "cleaner"


def clean_run(inputs: list[Path], workers: int) -> dict:
    out = WORK / f"clean-out-{os.getpid()}.jsonl.gz"
    cmd = [str(CLEANER), "clean", *map(str, inputs), "-o", str(out), "--force", "-q"]
    cmd += ["--workers", str(workers), "--errors", str(WORK / f"clean-errors-{os.getpid()}.jsonl")]
    t = time.monotonic()
    res = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t
    if res.returncode not in (0, 1):
        raise SystemExit(f"run failed: {cmd}\n{res.stderr[-2000:]}")
    with gzip.open(out, "rb") as f:
        records = sum(1 for _ in f)
    out.unlink()
    return {"records": records, "seconds": wall, "wall": None}


def spark_run(inputs: list[Path], master: str, *extra: str) -> dict:
    out = WORK / f"spark-out-{os.getpid()}"
    cmd = [str(CLEANER), "spark", *map(str, inputs), "-o", str(out), "--master", master, *extra]
    cmd.append("--force")
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    t = time.monotonic()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - t
    if res.returncode not in (0, 1):
        raise SystemExit(f"run failed: {cmd}\n{res.stderr[-2000:]}")
    report = json.loads((out / "_SUMMARY.json").read_text("utf-8"))
    shutil.rmtree(out)
    s = report["summary"]
    assert report["adds_up"]
    return {"records": s["cleaned"], "seconds": s["seconds"], "wall": wall}


def best(run, repeat: int) -> dict:
    """The fastest of `repeat` runs: other processes on the machine only ever slow one down."""
    return min((run() for _ in range(repeat)), key=lambda r: r["seconds"])


def shipping() -> None:
    """The Cleaner's pickle, and building it against unpickling it, each in a fresh process."""
    from cleaner import Cleaner

    blob = WORK / "cleaner.pickle"
    blob.write_bytes(pickle.dumps(Cleaner()))
    code = {
        "build": "from cleaner import Cleaner; t = time.perf_counter(); Cleaner()",
        "unpickle": "b = open(sys.argv[1], 'rb').read(); t = time.perf_counter(); pickle.loads(b)",
    }
    times = {}
    for name, body in code.items():
        prog = f"import pickle, sys, time, cleaner.pipeline; {body}; print(time.perf_counter() - t)"
        runs = [
            float(subprocess.check_output([sys.executable, "-c", prog, str(blob)], text=True))
            for _ in range(3)
        ]
        times[name] = min(runs)
    print(
        f"the Cleaner: pickle {blob.stat().st_size / 1024:.0f} KB, built in"
        f" {times['build'] * 1000:.0f} ms, unpickled in {times['unpickle'] * 1000:.0f} ms"
        " (best of 3, fresh processes)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest is shown")
    args = ap.parse_args()
    files = build(args.records)
    dump = [files["text"], files["html"], files["warc"]]
    print(f"dump: {args.records:,} records in 3 files, cores: {os.cpu_count()}")
    print(f"load average before: {os.getloadavg()}")
    shipping()
    rows = []
    for workers in (1, 2):
        r = best(lambda w=workers: clean_run(dump, w), args.repeat)
        rows.append((f"cleaner clean --workers {workers}", r))
    for master, extra in (
        ("local[1]", ()),
        ("local[2]", ()),
        ("local[2]", ("--partitions", "4")),
        ("local[2]", ("--partitions", "4", "--no-isolate")),
    ):
        r = best(lambda m=master, e=extra: spark_run(dump, m, *e), args.repeat)
        rows.append((" ".join(["cleaner spark", master, *extra]), r))
    print(f"{'run':50} {'cleaned':>8} {'job s':>7} {'records/s':>10} {'with start':>11}")
    for name, r in rows:
        n, with_start = r["records"], f"{r['records'] / r['wall']:,.0f}" if r["wall"] else ""
        print(f"{name:50} {n:8,} {r['seconds']:7.1f} {n / r['seconds']:10,.0f} {with_start:>11}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
