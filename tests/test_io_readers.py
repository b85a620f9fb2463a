"""Readers: formats by name and content, folders and globs, JSONL fields, WARC, hostile dumps."""

from __future__ import annotations

import gzip
import io
import json

from batch_fixtures import SAMPLE, page_text, warc_bytes, write_jsonl

from cleaner.io.readers import MB, ReadError, ReadOptions, Skipped, read_inputs, read_stream
from cleaner.io.sniff import by_content, by_name
from cleaner.page import Page


def entries(paths, **opts):
    """The records read: pages and errors (not the non-pages passed over)."""
    got = read_inputs([str(p) for p in paths], ReadOptions(**opts))
    return [item for item, _ in got if not isinstance(item, Skipped)]


def errors(items):
    return [i for i in items if isinstance(i, ReadError)]


def pages(items):
    return [i for i in items if isinstance(i, Page)]


def test_format_by_name():
    assert by_name("a/b.jsonl.gz") == "jsonl"
    assert by_name("x.WARC.GZ") == "warc"
    assert by_name("p.htm") == "html"
    assert by_name("p.txt") == "text"
    assert by_name("dump.gz") is None
    assert by_name("noext") is None


def test_format_by_content():
    assert by_content(b"WARC/1.0\r\n") == "warc"
    assert by_content(b'{"text": "a"}\n{"text": "b"}\n') == "jsonl"
    assert by_content(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert by_content(b"  <div class=x>hi</div>") == "html"
    assert by_content("同志们:这次会议".encode()) == "text"
    assert by_content(b"{not json at all}\nsecond line") == "text"


def test_sniffed_files_without_extension(tmp_path):
    write_jsonl(tmp_path / "dump", [{"text": "a"}, {"text": "b"}], compress=True)
    (tmp_path / "warcfile").write_bytes(warc_bytes(2))
    (tmp_path / "page").write_text("<html><body><p>x</p></body></html>")
    got = entries([tmp_path / "dump", tmp_path / "warcfile", tmp_path / "page"])
    assert [p.content for p in got[:2]] == ["a", "b"]
    assert [p.kind for p in got[2:]] == ["html", "html", "html"]


def test_forced_format(tmp_path):
    (tmp_path / "a.txt").write_text('{"text": "inside"}\n')
    assert entries([tmp_path / "a.txt"])[0].content == b'{"text": "inside"}\n'
    assert entries([tmp_path / "a.txt"], format="jsonl")[0].content == "inside"


def test_folder_recursive_sorted_with_globs(tmp_path):
    for name in ["b/2.txt", "b/1.html", "a.txt", "c/skip.txt", "notes.csv", ".hidden.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    found = [p.origin["path"] for p in entries([tmp_path])]
    rel = [f[len(str(tmp_path)) + 1 :] for f in found]
    assert rel == ["a.txt", "b/1.html", "b/2.txt", "c/skip.txt"]
    found = entries([tmp_path], include=("*.txt", "*.csv"), exclude=("c/*",))
    rel = [p.origin["path"][len(str(tmp_path)) + 1 :] for p in found]
    assert rel == ["a.txt", "notes.csv", "b/2.txt"]


def test_glob_and_missing(tmp_path):
    for i in range(3):
        (tmp_path / f"p{i}.txt").write_text(str(i))
    got = entries([tmp_path / "p*.txt", tmp_path / "nothing.txt"])
    assert [p.content for p in pages(got)] == [b"0", b"1", b"2"]
    assert errors(got)[0].kind == "missing"


def test_stdin_stream_jsonl_and_page():
    opts = ReadOptions()
    got = [e for e, _ in read_stream(io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n'), "-", opts)]
    assert [p.content for p in got] == ["a", "b"]
    assert got[1].origin == {"path": "-", "line": 2}
    got = [e for e, _ in read_stream(io.BytesIO(SAMPLE.encode()), "-", opts)]
    assert len(got) == 1 and got[0].content == SAMPLE.encode()


def test_jsonl_field_mapping_and_kept_fields(tmp_path):
    rec = {
        "doc": {"body": "正文"},
        "link": "https://max.book118.com/x",
        "key": 42,
        "encoding": "gbk",
        "lang": "zh",
        "crawl": {"ts": 1},
        "text": "ignored",
    }
    path = write_jsonl(tmp_path / "a.jsonl", [rec, {"page": "<p>x</p>"}])
    opts = dict(text_field="doc.body", url_field="link", id_field="key", html_field="page")
    first, second = entries([path], **opts, keep_fields=("lang", "crawl"))
    assert (first.content, first.url, first.id, first.kind) == ("正文", rec["link"], "42", "text")
    assert first.encoding == "gbk"
    assert first.extra == {"lang": "zh", "crawl": {"ts": 1}}
    assert (second.content, second.kind, second.extra) == ("<p>x</p>", "html", None)
    every = entries([path], keep_fields=("*",))[0].extra
    assert set(every) == {"doc", "link", "key", "encoding", "lang", "crawl"}


def test_hostile_jsonl_lines_become_errors_naming_the_line(tmp_path):
    path = write_jsonl(
        tmp_path / "h.jsonl",
        [
            {"id": "1", "text": "one"},
            "this is not JSON",
            "[1, 2]",
            {"id": "4", "title": "no text field"},
            "",
            {"id": "6", "text": "six"},
        ],
    )
    got = entries([path])
    assert [p.id for p in pages(got)] == ["1", "6"]
    errs = {e.origin["line"]: e.kind for e in errors(got)}
    assert errs == {2: "bad_json", 3: "bad_json", 4: "no_text"}
    assert errors(got)[2].id == "4"


def test_truncated_gzip_keeps_the_records_before(tmp_path):
    recs = [{"id": str(i), "text": page_text(i)} for i in range(300)]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in recs).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    got = entries([path])
    good = pages(got)
    assert 0 < len(good) < 300
    assert [p.id for p in good] == [str(i) for i in range(len(good))]
    (err,) = errors(got)
    assert err.kind == "truncated" and err.origin["path"] == str(path)
    assert err.origin["line"] == len(good) + 1


def test_record_of_100_mb_is_an_error_and_its_neighbours_are_read(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("wb") as f:
        f.write(b'{"id": "before", "text": "a"}\n{"id": "huge", "text": "')
        block = b"x" * MB
        for _ in range(100):
            f.write(block)
        f.write(b'"}\n{"id": "after", "text": "b"}\n')
    got = list(read_inputs([str(path)], ReadOptions(max_record_bytes=16 * MB)))
    assert [e.id for e, _ in got if isinstance(e, Page)] == ["before", "after"]
    (err,) = [(e, size) for e, size in got if isinstance(e, ReadError)]
    assert err[0].kind == "too_large" and err[0].origin["line"] == 2
    assert err[1] > 100 * MB


def test_large_text_file_is_an_error(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"y" * (2 * MB))
    (tmp_path / "ok.txt").write_text("fine")
    got = entries([tmp_path], max_record_bytes=MB)
    assert [e.kind for e in errors(got)] == ["too_large"]
    assert [p.content for p in pages(got)] == [b"fine"]


def test_warc_pages(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(5))
    got = entries([path])
    assert len(got) == 5 and not errors(got)  # the request and the image are not pages
    p = got[3]
    assert p.url == "https://max.book118.com/html/3.shtm"
    assert p.encoding == "gbk" and p.kind == "html"
    assert p.id.startswith("urn:uuid:") and p.origin["warc_record_id"] == p.id
    assert p.content.decode("gbk").count("第3页") == 1
    offsets = [p.origin["offset"] for p in got]
    assert offsets == sorted(offsets) and offsets[0] == 0


def test_warc_records_that_are_not_pages_are_named_not_dropped(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    buf.write(warc_bytes(2))
    w = WARCWriter(buf, gzip=True)
    gone = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    url = "https://max.book118.com/gone.shtm"
    w.write_record(
        w.create_warc_record(url, "response", payload=io.BytesIO(b"<p>x"), http_headers=gone)
    )
    w.write_record(w.create_warc_record(url, "metadata", payload=io.BytesIO(b"k: v")))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(buf.getvalue())
    got = [item for item, _ in read_inputs([str(path)], ReadOptions())]
    skipped = [s for s in got if isinstance(s, Skipped)]
    assert [s.why for s in skipped] == [
        "WARC request record",
        "image/png",
        "HTTP 404",
        "WARC metadata record",
    ]
    assert all(s.origin["path"] == str(path) and "offset" in s.origin for s in skipped)
    assert sum(isinstance(p, Page) for p in got) == 2


def test_plain_warc(tmp_path):
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_bytes(3, gz=False, charset="utf-8"))
    got = entries([path])
    assert [p.url.rsplit("/", 1)[1] for p in got] == ["0.shtm", "1.shtm", "2.shtm"]


def _offsets(data: bytes) -> list[int]:
    from warcio.archiveiterator import ArchiveIterator

    it = ArchiveIterator(io.BytesIO(data))
    out = []
    for _ in it:
        out.append(it.get_record_offset())
    return out


def test_truncated_warc_record_at_the_end(tmp_path):
    for gz in (True, False):
        data = warc_bytes(4, gz=gz, extra=False)
        last = _offsets(data)[-1]
        path = tmp_path / f"cut{gz}.warc{'.gz' if gz else ''}"
        path.write_bytes(data[: last + 300])
        got = entries([path])
        assert len(pages(got)) == 3
        (err,) = errors(got)
        assert err.kind in ("truncated", "bad_warc") and err.origin["offset"] == last


def test_damaged_warc_record_in_the_middle(tmp_path):
    data = warc_bytes(5, extra=False)
    offs = _offsets(data)
    path = tmp_path / "hole.warc.gz"
    path.write_bytes(data[: offs[2] + 200] + data[offs[3] :])  # record 2 is cut short
    got = entries([path])
    assert [p.url.rsplit("/", 1)[1] for p in pages(got)] == ["0.shtm", "1.shtm", "3.shtm", "4.shtm"]
    (err,) = errors(got)
    assert err.origin["offset"] == offs[2]
