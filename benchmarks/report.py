"""The review report on long runs: time, peak memory and report size as the output grows.

    .venv/bin/python benchmarks/report.py                   # outputs of 10,000 and 100,000 records
    .venv/bin/python benchmarks/report.py --gigabyte        # and an output of 1 GB
    .venv/bin/python benchmarks/report.py --inputs 20000    # size of the run read back by --input

Under benchmarks/.work/report/: a dump of text records made unique by a numbered line (the
samples' text pages), cleaned once; its output repeated with new ids to each size measured.
Each `cleaner report` runs in a process of its own; peak RSS and CPU time are that process's
(CPU time says more than wall time when other processes share the cores).

- output only: `cleaner report OUT -o R.html` (pages shown on their clean text)
- with inputs: `cleaner report OUT --input DUMP -o R.html` on the cleaned dump itself: the
  inputs are read again until every shown page is found (the sample spans the whole dump)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work" / "report"
CLEANER = Path(sys.executable).with_name("cleaner")
MB = 1 << 20


def build_inputs(n: int) -> Path:
    """n text records, each a sample text page with a numbered last line, so each is unique."""
    dump = WORK / f"inputs-{n}.jsonl.gz"
    if dump.exists():
        return dump
    pages = [
        case.read_text("utf-8", errors="replace")
        for case in sorted((ROOT / "samples").glob("*/*/input.txt"))
    ]
    with gzip.open(dump, "wt", encoding="utf-8", compresslevel=3) as f:
        for i in range(n):
            text = f"{pages[i % len(pages)]}\n第{i}号"
            f.write(json.dumps({"id": f"t{i}", "text": text}, ensure_ascii=False) + "\n")
    return dump


def clean(dump: Path) -> Path:
    out = dump.with_name(dump.name.replace("inputs", "out").replace(".gz", ""))
    if not out.exists():
        cmd = [str(CLEANER), "clean", str(dump), "-o", str(out), "-q", "--workers", "2"]
        subprocess.run(cmd, check=True)
    return out


def grow(out: Path, records: int | None, size: int | None) -> Path:
    """The output repeated with new ids to `records` records or to `size` bytes. Streamed: this
    process stays small, as a child it starts inherits its peak RSS."""
    name = f"grown-{records}.jsonl" if records else f"grown-{size // MB}MB.jsonl"
    target = WORK / name
    if target.exists():
        return target
    written = n = 0
    with target.open("w", encoding="utf-8") as f:
        while (records and n < records) or (size and written < size):
            with out.open(encoding="utf-8") as lines:
                for line in lines:
                    if (records and n >= records) or (size and written >= size):
                        break
                    rec = json.loads(line)
                    rec["id"] = f"g{n}"
                    rec["provenance"]["origin"] = {"path": "grown", "line": n + 1}
                    line = json.dumps(rec, ensure_ascii=False) + "\n"
                    f.write(line)
                    written += len(line.encode("utf-8"))
                    n += 1
    return target


def measure(args: list[str]) -> dict:
    report = WORK / f"report-{os.getpid()}.html"
    cmd = [str(CLEANER), "report", *args, "-o", str(report)]
    t = time.monotonic()
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    said = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.monotonic() - t
    if status:
        raise SystemExit(f"report failed: {cmd}\n{said}")
    size = report.stat().st_size
    report.unlink()
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rss_mb": usage.ru_maxrss / 1024,
        "report_kb": size / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=20_000, help="records of the dump cleaned")
    ap.add_argument("--gigabyte", action="store_true", help="also an output of 1 GB")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    dump = build_inputs(args.inputs)
    out = clean(dump)
    runs = [(f"output, {n:,} records", grow(out, n, None)) for n in (10_000, 100_000)]
    if args.gigabyte:
        runs.append(("output, 1 GB", grow(out, None, 1024 * MB)))
    head = f"{'run':34} {'MB':>7} {'records':>9} {'seconds':>8} {'CPU s':>6} {'records/s':>10}"
    print(f"{head} {'peak RSS MB':>12} {'report KB':>10}")
    rows = [(name, path, measure([str(path)])) for name, path in runs]
    rows.append(
        (f"with --input, {args.inputs:,} records", out, measure([str(out), "--input", str(dump)]))
    )
    for name, path, r in rows:
        n = sum(1 for _ in path.open("rb"))
        size = path.stat().st_size / MB
        print(
            f"{name:34} {size:7.0f} {n:9,} {r['seconds']:8.1f} {r['cpu']:6.1f}"
            f" {n / r['seconds']:10,.0f} {r['rss_mb']:12.0f} {r['report_kb']:10.0f}"
        )
    print(f"load average at the end (other processes compete for the cores): {os.getloadavg()}")


if __name__ == "__main__":
    main()
