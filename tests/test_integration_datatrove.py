"""The datatrove step: datatrove's WarcReader → CleanerStep → JsonlWriter on
LocalPipelineExecutor(tasks=2) gives, record for record, what `cleaner clean` gives on the same
WARCs, with stats that add up; failed documents dropped or kept; the Slurm pipeline pickles."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import dill
import pytest
from batch_fixtures import SLOW_PACK
from crawl_pages import (
    DEEP_HTML,
    PDF,
    SLOW_HTML,
    Served,
    cli_clean,
    site_pages,
    write_warc,
)
from datatrove.data import Document

from cleaner import CleanerError
from cleaner.integrations.datatrove import CleanerStep

try:
    import magic  # noqa: F401  (WarcReader sniffs payloads with python-magic, which needs libmagic)
except ImportError as e:
    raise ImportError(f"datatrove's WarcReader needs libmagic (Debian: libmagic1): {e}") from e

EXAMPLE = Path(__file__).resolve().parent / "examples/datatrove_pipeline.py"
BASE = "https://crawl.test"


def example():
    spec = importlib.util.spec_from_file_location("datatrove_pipeline", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The example pipeline on two WARCs (one a task) holding the site pages, a request, a PDF
    and a page nested too deeply to parse; and `cleaner clean` on the same WARCs."""
    tmp = tmp_path_factory.mktemp("datatrove")
    pages = [
        *site_pages(),
        Served("/files/notice.pdf", "application/pdf", PDF),
        Served("/deep.html", "text/html; charset=utf-8", DEEP_HTML.encode()),
    ]
    warcs = tmp / "warc"
    warcs.mkdir()
    write_warc(warcs / "a.warc.gz", BASE, pages[:4])
    write_warc(warcs / "b.warc.gz", BASE, pages[4:])
    example().local(str(warcs), str(tmp / "clean"), str(tmp / "logs"), tasks=2).run()
    docs = []
    for path in sorted((tmp / "clean").iterdir()):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            docs += [json.loads(line) for line in f]
    records, errors = cli_clean(sorted(warcs.iterdir()), tmp / "cli.jsonl")
    stats = json.loads((tmp / "logs/stats.json").read_text("utf-8"))
    return {
        "docs": docs,
        "cli": records,
        "cli_errors": errors,
        "outputs": sorted(p.name for p in (tmp / "clean").iterdir()),
        "stats": next(s["stats"] for s in stats if "cleaner" in s["name"]),
    }


def test_the_pipeline_output_equals_cleaner_clean_record_for_record(run):
    docs = {d["id"].strip("<>"): d for d in run["docs"]}  # WarcReader keeps the id's brackets
    assert sorted(docs) == sorted(r["id"] for r in run["cli"])
    assert len(docs) == len(site_pages())
    assert run["outputs"] == ["00000.jsonl.gz", "00001.jsonl.gz"]  # both tasks wrote
    for record in run["cli"]:
        doc = docs[record["id"]]
        meta = dict(doc["metadata"])
        provenance = meta.pop("provenance")
        assert meta.pop("file_path").endswith(".warc.gz")
        assert meta.pop("date")  # WarcReader's own field
        assert doc["text"] == record["text"]
        assert meta == record["metadata"]  # flat: title, site, url, language…
        # WarcReader decodes the bytes itself: the step sees text, never the page's bytes
        differ = ("origin", "input_sha256", "encoding")
        assert _less(provenance, differ) == _less(record["provenance"], differ)
        assert provenance["origin"] == {"id": doc["id"], "path": doc["metadata"]["file_path"]}


def test_the_step_stats_add_up(run):
    stats = {k: v["total"] if isinstance(v, dict) else v for k, v in run["stats"].items()}
    sites = {k[len("site/") :]: v for k, v in stats.items() if k.startswith("site/")}
    assert stats["records"] == len(site_pages()) + 1 == stats["cleaned"] + stats["errors"]
    assert stats["forwarded"] == stats["cleaned"] == len(run["docs"])
    assert stats["dropped"] == stats["errors"] == stats["errors/bad_page"] == 1
    assert sites == {s: 1 for s in ("book118", "taodocs", "360docs", "renrendoc", "31ppt")}
    # the command line gives the deep page the same error, and passes over the PDF
    assert [e["error"] for e in run["cli_errors"]] == ["bad_page"]
    assert "nested too deeply" in run["cli_errors"][0]["message"]


def _less(provenance: dict, keys: tuple[str, ...]) -> dict:
    return {k: v for k, v in provenance.items() if k not in keys}


# the step in this process


def docs() -> list[Document]:
    page = (Path(__file__).resolve().parent.parent / "samples/book118/speech/input.txt").read_text()
    return [
        Document(page, id="ok", metadata={"url": "https://max.book118.com/html/1.shtm"}),
        Document(DEEP_HTML, id="deep"),
        Document(SLOW_HTML, id="slow"),
    ]


def test_failed_documents_are_kept_as_they_came_when_asked(tmp_path):
    (tmp_path / "slow.toml").write_text(SLOW_PACK, encoding="utf-8")
    step = CleanerStep(rules=[tmp_path], on_error="keep", page_timeout=1.5, provenance_key=None)
    out = {d.id: d for d in step.run(iter(docs()))}
    assert list(out) == ["ok", "deep", "slow"]
    assert out["ok"].metadata["site"] == "book118" and "provenance" not in out["ok"].metadata
    assert out["deep"].text == DEEP_HTML and out["deep"].metadata["error"] == "bad_page"
    assert "nested too deeply" in out["deep"].metadata["error_message"]
    assert out["slow"].text == SLOW_HTML
    assert out["slow"].metadata == {
        "error": "page_timeout",
        "error_message": "cleaning took longer than the 1.5s page time limit (page_timeout)",
    }
    stats = step.stats.stats
    assert (stats["records"].total, stats["cleaned"].total, stats["errors"].total) == (3, 1, 2)
    assert stats["forwarded"].total == 3 and "dropped" not in stats


def test_the_kind_option_reads_every_document_as_html_or_text():
    html = "<html><body><p>正文一段。</p></body></html>"
    as_text = next(CleanerStep(kind="text").run(iter([Document(html, id="a")])))
    as_html = next(CleanerStep(kind="html").run(iter([Document(html, id="b")])))
    assert as_text.text == html and as_html.text == "正文一段。"


@pytest.mark.parametrize(
    "options, message",
    [
        ({"on_error": "skip"}, "on_error must be 'drop' or 'keep'"),
        ({"kind": "pdf"}, "kind must be 'html', 'text' or None"),
        ({"site": "nosuchsite"}, "unknown site 'nosuchsite'"),
    ],
)
def test_bad_options_are_refused_when_the_pipeline_is_built(options, message):
    with pytest.raises(CleanerError, match=message):
        CleanerStep(**options)


def test_the_slurm_pipeline_pickles_as_slurm_runs_it(tmp_path):
    executor = example().slurm("warc", str(tmp_path / "clean"), str(tmp_path / "logs"))
    assert [type(step).__name__ for step in executor.pipeline] == [
        "WarcReader",
        "CleanerStep",
        "JsonlWriter",
    ]
    # each Slurm task loads the executor that `launch_job` pickled with dill, then runs it
    loaded = dill.loads(dill.dumps(executor, fmode=dill.CONTENTS_FMODE))
    step = loaded.pipeline[1]
    cleaned = next(step.run(iter(docs()[:1])))
    assert cleaned.metadata["site"] == "book118" and cleaned.text
