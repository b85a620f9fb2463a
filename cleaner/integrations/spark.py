"""cleaner on Spark: records of a partition in, one output or error record each out, as the
batch writes them; a DataFrame face on top.

The `Cleaner` reaches the executors as a broadcast: it is built once on the driver (a bad
pack fails there, before any task runs), its packs, bundled and `--rules`, travel inside it,
and each Python worker unpickles it once and keeps it for every task it runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from ..batch import Summary, accounted
from ..batch.entry import Result
from ..io.jsonl import dict_page
from ..io.readers import Entry, ReadError, ReadOptions
from ..io.writers import json_line
from ..page import Page
from ..pipeline import Cleaner

# the columns of `clean_dataframe`: a cleaned row has id, text, metadata and provenance (both
# JSON objects, as in the JSONL record); an error row has id (when the input had one), error
# and message
SCHEMA = "id string, text string, metadata string, provenance string, error string, message string"


@dataclass(frozen=True)
class CleanerOptions:
    """What a task needs to clean: the `Cleaner` (itself, or a Spark broadcast of it), the
    page time limit, whether pages run in a process of their own, and the record fields."""

    cleaner: Any
    page_timeout: float | None = 60.0
    isolate: bool = True
    read: ReadOptions = field(default_factory=ReadOptions)

    @classmethod
    def build(
        cls,
        rules: Iterable[str] = (),
        *,
        site: str | None = None,
        max_rule_share: float = 0.6,
        rule_timeout: float = 2.0,
        page_timeout: float | None = 60.0,
        isolate: bool = True,
        read: ReadOptions | None = None,
    ) -> CleanerOptions:
        """Build the `Cleaner` here (on the driver): a bad pack raises `PackError` now."""
        cleaner = Cleaner(
            rules=rules, site=site, max_rule_share=max_rule_share, rule_timeout=rule_timeout
        )
        return cls(cleaner, page_timeout or None, isolate, read or ReadOptions())

    def shipped(self, sc: Any) -> CleanerOptions:
        """These options with the `Cleaner` broadcast by the SparkContext `sc`: sent once per
        executor, unpickled once per Python worker, instead of once per task."""
        if not hasattr(self.cleaner, "clean_page"):
            return self  # already a broadcast
        return replace(self, cleaner=sc.broadcast(self.cleaner))

    def get_cleaner(self) -> Any:
        c = self.cleaner
        return c if hasattr(c, "clean_page") else c.value


def results(
    entries: Iterable[Entry | Page | ReadError], options: CleanerOptions, summary: Summary
) -> Iterator[Result]:
    """`clean_entry` results of the entries, in order, counted in `summary`."""
    for chunk in accounted(
        options.get_cleaner(),
        entries,
        summary,
        page_timeout=options.page_timeout,
        isolated=options.isolate,
    ):
        yield from chunk


def record_pages(records: Iterable[Any], opts: ReadOptions) -> Iterator[Page | ReadError]:
    """Records (dicts or Spark rows) as pages, or as `no_text` errors."""
    for rec in records:
        if not isinstance(rec, Mapping):
            rec = rec.asDict(recursive=True)  # a pyspark Row
        origin = rec.get("origin")
        yield dict_page(dict(rec), origin if isinstance(origin, dict) else None, opts)


def clean_partition(records: Iterable[Any], options: CleanerOptions) -> Iterator[dict[str, Any]]:
    """Clean the records of one partition: dicts (or Spark rows) with `id`, `url`, `text` or
    `html`, `encoding` (the names in `options.read`) and an optional `origin` dict. Yields one
    record per input, in order: the output record `{"id", "text", "metadata", "provenance"}`
    or the error record `{"id", "origin", "error", "message"}`, as `cleaner clean` writes them.

    A record without id gets the stable id of its origin, else of its content.
    """
    for r in results(record_pages(records, options.read), options, Summary()):
        if r[0] == "ok":
            yield _loads(r[1])
        elif r[0] == "error":
            yield r[1]


def clean_dataframe(
    df: Any,
    text_col: str | None = "text",
    html_col: str | None = None,
    url_col: str | None = "url",
    id_col: str | None = "id",
    encoding_col: str | None = None,
    *,
    options: CleanerOptions | None = None,
    **build: Any,
) -> Any:
    """The records of `df` cleaned, one row per input row, in the columns of `SCHEMA`.

    Each row is read from `text_col` (a string) or, when that is null, from
    `html_col` (a string, or binary decoded with `encoding_col` or the page's own charset).
    `options` (or the keywords of `CleanerOptions.build`: rules, site, page_timeout,
    isolate…) say how to clean; the `Cleaner` is broadcast to the executors.
    """
    opts = options or CleanerOptions.build(**build)
    opts = opts.shipped(df.sparkSession.sparkContext)
    cols = {"text": text_col, "html": html_col, "url": url_col, "id": id_col}
    cols["encoding"] = encoding_col
    # a column named is a column needed, but for the default url and id columns
    absent = {c for c in ("url", "id") if c not in df.columns}
    selected = [df[c].alias(name) for name, c in cols.items() if c and c not in absent]
    names = {f"{name}_field": name for name in cols}  # the columns go by their aliases
    opts = replace(opts, read=replace(opts.read, **names))
    rows = df.select(*selected).rdd.mapPartitions(lambda part: _rows(part, opts))
    return df.sparkSession.createDataFrame(rows, SCHEMA)


def _rows(records: Iterable[Any], options: CleanerOptions) -> Iterator[tuple]:
    for rec in clean_partition(records, options):
        if "error" in rec:
            yield (rec["id"], None, None, None, rec["error"], rec["message"])
        else:
            meta, prov = json_line(rec["metadata"]), json_line(rec["provenance"])
            yield (rec["id"], rec["text"], meta, prov, None, None)


def _loads(line: str) -> dict[str, Any]:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:  # lone surrogates, which orjson does not read
        return json.loads(line)
