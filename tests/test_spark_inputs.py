"""The inputs of a Spark run, without Spark: files listed as `cleaner clean` reads them, lists of
paths, URIs through fsspec, and the same records from a URI as from its path."""

from __future__ import annotations

import gzip

import pytest
from batch_fixtures import page_text, warc_bytes, write_jsonl

from cleaner.integrations.spark_inputs import InputError, expand, read_source
from cleaner.io.readers import ReadOptions, read_inputs


@pytest.fixture
def dumps(tmp_path):
    root = tmp_path / "dumps"
    (root / "2024" / ".hidden").mkdir(parents=True)
    write_jsonl(root / "2024" / "b.jsonl.gz", [{"id": "b", "text": page_text(1)}], compress=True)
    write_jsonl(root / "a.jsonl", [{"id": "a", "text": page_text(2)}])
    (root / "2024" / "c.warc.gz").write_bytes(warc_bytes(2))
    (root / "notes.md").write_text("not an input")
    (root / "2024" / ".hidden" / "d.jsonl").write_text("{}")
    return root


def test_folders_globs_and_missing_inputs_as_cleaner_clean_reads_them(dumps):
    opts = ReadOptions()
    names = [str(dumps / n) for n in ("a.jsonl", "2024/b.jsonl.gz", "2024/c.warc.gz")]
    assert expand([str(dumps)], opts) == names  # a folder's files before its subfolders
    assert expand([str(dumps / "*.jsonl")], opts) == [str(dumps / "a.jsonl")]
    missing = str(dumps / "gone.jsonl")
    assert expand([missing], opts) == [missing]  # its task gives its `missing` record
    ((err, _),) = read_source(missing, opts)
    assert (err.kind, err.origin) == ("missing", {"path": missing})
    only = ReadOptions(include=("*.warc.gz",))
    assert expand([str(dumps)], only) == [str(dumps / "2024/c.warc.gz")]


def test_a_uri_folder_is_listed_like_a_local_one(dumps):
    uri = dumps.as_uri()
    local = expand([str(dumps)], ReadOptions())
    assert expand([uri], ReadOptions()) == [f"file://{p}" for p in local]
    skip = ReadOptions(exclude=("2024/*",))
    assert expand([uri], skip) == [f"{uri}/a.jsonl"]


def test_lists_of_paths_plain_and_gzipped(dumps, tmp_path):
    listing = tmp_path / "warc.paths.gz"
    text = f"# inputs\n{dumps / 'a.jsonl'}\n\n{(dumps / '2024').as_uri()}\n{dumps / 'x.jsonl'}\n"
    listing.write_bytes(gzip.compress(text.encode()))
    assert expand([str(listing)], ReadOptions()) == [
        str(dumps / "a.jsonl"),
        (dumps / "2024/b.jsonl.gz").as_uri(),
        (dumps / "2024/c.warc.gz").as_uri(),
        str(dumps / "x.jsonl"),
    ]
    with pytest.raises(InputError, match="cannot read the input list"):
        expand([str(tmp_path / "none.paths")], ReadOptions())
    with pytest.raises(InputError, match="stdin"):
        expand(["-"], ReadOptions())


def test_a_uri_gives_the_records_of_its_path(dumps):
    for name in ("2024/c.warc.gz", "2024/b.jsonl.gz"):
        path = dumps / name
        by_path = list(read_inputs([str(path)]))
        by_uri = list(read_source(path.as_uri(), ReadOptions()))
        assert len(by_uri) == len(by_path) > 0
        for (a, size_a), (b, size_b) in zip(by_path, by_uri, strict=True):
            assert (type(a), size_a, getattr(a, "content", None)) == (
                type(b),
                size_b,
                getattr(b, "content", None),
            )
            assert {**a.origin, "path": None} == {**b.origin, "path": None}
    ((err, _),) = read_source((dumps / "gone.warc.gz").as_uri(), ReadOptions())
    assert err.kind == "missing"
