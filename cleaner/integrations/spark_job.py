"""`cleaner spark`: a dump cleaned by a Spark job, with the accounts of `cleaner clean`.

One task per input file (gzip and WARC files are not split), or the records spread over
`partitions` tasks by a shuffle. Each task yields its output lines, its error records and, last,
its own summary; one write with Spark's output commit protocol puts all three under the output
folder, so a task that fails and is run again leaves nothing behind, and the summaries of the
committed tasks are exactly the accounts of the output. The driver then lays the folder out:

    OUT/part-*.jsonl.gz          output records, as `cleaner clean` writes them
    OUT/_errors/part-*.jsonl.gz  error records
    OUT/_SUMMARY.json            the accounts, written last: the run is complete
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..batch import Summary
from ..io.readers import Entry
from ..io.writers import json_line, utf8_safe
from .spark import CleanerOptions, results
from .spark_inputs import expand, read_source

ROWS = "kind string, n long, value string"
SUMMARY_NAME = "_SUMMARY.json"
ERRORS_DIR = "_errors"
_KINDS = {"records": "", "errors": ERRORS_DIR}


class SparkJobError(ValueError):
    """A run that cannot start: the output exists, Spark or Java is missing."""


@dataclass
class SparkJobOptions:
    output: str
    master: str | None = None
    partitions: int | None = None  # None: one task per input file
    force: bool = False


def task_rows(entries: Iterable[Entry], options: CleanerOptions) -> Iterator[tuple[str, int, str]]:
    """(kind, n, JSON line) rows of one task: "records" and "errors" in input order, then the
    task's "summary"."""
    summary = Summary()
    n = 0
    for n, r in enumerate(results(entries, options, summary)):
        if r[0] == "ok":
            yield ("records", n, utf8_safe(r[1]))
        elif r[0] == "error":
            yield ("errors", n, utf8_safe(json_line(r[1])))
    yield ("summary", n + 1, json_line(summary.state()))


def _read_and_clean(files: Iterable[str], options: CleanerOptions) -> Iterator[tuple]:
    entries = (e for f in files for e in read_source(f, options.read))
    return task_rows(entries, options)


def spark_session(master: str | None) -> Any:
    """The running session, or a new one (`master`, else what spark-submit or the default
    `local[*]` gives). A local run's Python workers are this Python, which has cleaner."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkJobError("Spark is not installed: pip install 'cleaner[spark]'") from None
    local = master is None or master.startswith("local")
    if local and "PYSPARK_PYTHON" not in os.environ and "PYSPARK_GATEWAY_PORT" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.appName("cleaner")
    if master:
        builder = builder.master(master)
    try:
        return builder.getOrCreate()
    except Exception as e:  # pyspark raises its own error kinds for a missing JVM
        raise SparkJobError(
            f"Spark could not start ({type(e).__name__}: {str(e)[:300]}); it needs Java 17 or"
            " later: `java` on PATH or JAVA_HOME set"
        ) from None


def run_spark_job(
    spark: Any, sources: list[str], options: CleanerOptions, job: SparkJobOptions
) -> Summary:
    """Clean `sources` into `job.output`; returns the accounts, also in `_SUMMARY.json`."""
    summary = Summary()
    out = _Folder(spark, job.output)
    if out.exists() and not job.force:
        raise SparkJobError(f"{job.output} exists: use --force to overwrite it")
    files = expand(sources, options.read)
    tasks = job.partitions or max(1, len(files))
    sc = spark.sparkContext
    shipped = options.shipped(sc)
    listed = sc.parallelize(files, max(1, len(files)))
    if job.partitions:
        entries = listed.flatMap(lambda f: read_source(f, shipped.read))
        rows = entries.repartition(tasks).mapPartitions(lambda e: task_rows(e, shipped))
    else:
        rows = listed.mapPartitions(lambda fs: _read_and_clean(fs, shipped))
    frame = spark.createDataFrame(rows, ROWS, verifySchema=False)
    frame = frame.sortWithinPartitions("kind", "n").drop("n")
    try:
        frame.write.partitionBy("kind").mode("overwrite").option("compression", "gzip").text(
            job.output
        )
    finally:
        if shipped is not options:
            shipped.cleaner.unpersist()
    for line in spark.read.text(out.child("kind=summary")).collect():
        summary.add(Summary.from_state(json.loads(line.value)))
    out.lay_out()
    report = {
        "summary": summary.state(),
        "adds_up": summary.adds_up(),
        "inputs": sources,
        "files": len(files),
        "tasks": tasks,
        "cleaner_version": __version__,
    }
    out.write(SUMMARY_NAME, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return summary


class _Folder:
    """The output folder, through Hadoop's FileSystem (as Spark writes it: any URI it takes)."""

    def __init__(self, spark: Any, uri: str):
        jvm = spark.sparkContext._jvm
        self._path = jvm.org.apache.hadoop.fs.Path
        self.root = self._path(uri)
        conf = spark.sparkContext._jsc.hadoopConfiguration()
        self.fs = self.root.getFileSystem(conf)

    def child(self, name: str) -> str:
        return self._path(self.root, name).toString()

    def exists(self) -> bool:
        return bool(self.fs.exists(self.root))

    def lay_out(self) -> None:
        """Part files out of Spark's `kind=` folders into the final layout, as `.jsonl.gz`."""
        errors = self._path(self.root, ERRORS_DIR)
        self.fs.mkdirs(errors)
        for kind, target in _KINDS.items():
            folder = self._path(self.root, f"kind={kind}")
            if not self.fs.exists(folder):
                continue
            to = errors if target else self.root
            for status in self.fs.listStatus(folder):
                name = status.getPath().getName()
                if name.startswith("part-"):
                    final = name.removesuffix(".txt.gz") + ".jsonl.gz"
                    self.fs.rename(status.getPath(), self._path(to, final))
            self.fs.delete(folder, True)
        self.fs.delete(self._path(self.root, "kind=summary"), True)

    def write(self, name: str, text: str) -> None:
        stream = self.fs.create(self._path(self.root, name), True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()
