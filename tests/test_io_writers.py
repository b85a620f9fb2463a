"""Writers: safe file names, folder output, JSONL(.gz) partial files and resumable members."""

from __future__ import annotations

import gzip
import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.io.writers import (
    MAX_NAME_BYTES,
    FolderWriter,
    JsonlWriter,
    json_line,
    output_kind,
    partial_path,
    safe_name,
)


def test_output_kind():
    assert output_kind("-") == "stdout"
    assert output_kind("a/out.jsonl") == "jsonl"
    assert output_kind("out.JSONL.GZ") == "jsonl"
    assert output_kind("out/") == "folder"
    assert output_kind("texts") == "folder"


def test_safe_names_of_hostile_ids():
    for key in ["../../etc/passwd", "/etc/passwd", "a\x00b", "..", ".", "", "CON", "nul.txt"]:
        name = safe_name(key)
        assert name and "/" not in name and "\x00" not in name and not name.startswith(".")
        assert name.split(".")[0].lower() not in {"con", "nul"}
    assert safe_name("doc-123") == "doc-123"
    assert safe_name("a/b") != safe_name("a_b")
    long = safe_name("长" * 500)
    assert len(long.encode()) <= MAX_NAME_BYTES + 13


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_safe_name_stays_in_the_folder(tmp_path_factory, key):
    folder = tmp_path_factory.getbasetemp() / "names"
    name = safe_name(key)
    assert 0 < len(name.encode("utf-8")) <= 255 - 12
    assert (folder / name).resolve().parent == folder.resolve()


def record(id, text="正文", path="in.jsonl", line=1):
    return {
        "id": id,
        "text": text,
        "metadata": {},
        "provenance": {"origin": {"path": path, "line": line}},
    }


def test_folder_writer_writes_inside_and_keeps_duplicates(tmp_path):
    out = tmp_path / "out"
    w = FolderWriter(out)
    w.write(record("../../escape", line=1))
    w.write(json.dumps(record("/abs/path", line=2)))
    w.write(record("dup", "first", line=3))
    w.write(record("dup", "second", line=4))
    w.write(record("dup", "first again", line=3))  # the same record again: replaces its files
    files = sorted(p.name for p in out.iterdir())
    assert all((out / f).resolve().parent == out.resolve() for f in files)
    assert not list(tmp_path.glob("escape*")) and len(files) == 8
    assert (out / "dup.txt").read_text() == "first again"
    assert (out / "dup~2.txt").read_text() == "second"
    meta = json.loads((out / "dup~2.json").read_text())
    assert meta["id"] == "dup" and "text" not in meta


def test_jsonl_writer_renames_only_when_complete(tmp_path):
    target = tmp_path / "out.jsonl"
    w = JsonlWriter(target)
    w.write({"id": "1"})
    w.checkpoint()
    assert not target.exists() and partial_path(target).exists()
    w.close()
    assert target.read_text() == '{"id":"1"}\n' and not partial_path(target).exists()


def test_jsonl_writer_escapes_lone_surrogates(tmp_path):
    target = tmp_path / "out.jsonl"
    with JsonlWriter(target) as w:
        w.write({"id": "x", "text": "a\ud800b"})
    assert json.loads(target.read_text())["text"] == "a\ud800b"


def test_gzip_output_resumes_at_a_member_boundary(tmp_path):
    target = tmp_path / "out.jsonl.gz"
    w = JsonlWriter(target)
    for i in range(3):
        w.write({"id": i})
    at = w.checkpoint()
    w.write({"id": "lost"})
    w.checkpoint()
    with partial_path(target).open("ab") as f:  # a kill in the middle of a member
        f.write(b"\x1f\x8b\x08\x00torn")
    w.abort()
    w = JsonlWriter(target, resume_at=at)
    w.write({"id": 3})
    w.close()
    ids = [json.loads(x)["id"] for x in gzip.decompress(target.read_bytes()).splitlines()]
    assert ids == [0, 1, 2, 3]
    assert os.path.getsize(target) > at


def test_json_lines_keep_every_value_json_can_hold(tmp_path):
    record = {"id": "1", "text": "正文\u2028\x00", "n": 10**30, "deep": [{"a": None}, 1.5]}
    assert json.loads(json_line(record)) == record
    assert json.loads(json_line({"x": float("nan")})) == {"x": None}  # JSON has no NaN
    target = tmp_path / "out.jsonl"
    with JsonlWriter(target) as w:
        w.write(record)
        w.write({"id": "2", "text": "a\ud800b"})  # a lone surrogate: written as an escape
    lines = target.read_text("utf-8").split("\n")[:-1]  # not splitlines: U+2028 is no break
    assert [json.loads(x) for x in lines] == [record, {"id": "2", "text": "a\ud800b"}]
