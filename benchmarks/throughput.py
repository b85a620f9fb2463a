"""Batch throughput: records/s and MB/s for 1 and 2 workers, the no-op floor, peak memory.

    .venv/bin/python benchmarks/throughput.py            # 100,000 records
    .venv/bin/python benchmarks/throughput.py --records 20000

Builds a dump from the pages in samples/ (text pages and HTML pages, as JSONL.gz and WARC.gz)
under benchmarks/.work/, then runs each measurement in a child process of its own. Every record
is a page of its own, as in a crawl: the lines of a sample's body (its expected text) are
varied from record to record (two neighbouring letters swapped), its chrome is not. A dump of
the same pages over and over would let the content-region model's per-line cache (the shape of
a line, kept for the chrome lines a site repeats) answer for the body lines too, and hide what
reading a new line costs.

- noop: the same run with cleaning replaced by a no-op (read, parse JSON, write): the floor
- clean, 1 worker and 2 workers: the whole dump; and 1 worker without the content-region model
  (`--no-region`), to show what the model costs
- text records: the text-dump file alone, no-op and cleaned (MB/s of text input on one core)
- 7.5 KB text page: the seed page (samples/book118/speech), one record per tenth of the
  dump's size, to show how MB/s grows with the page (the cost per page is mostly fixed)
- last, in this process, one text page grown from 7.5 KB to about 400 KB: MB/s by page size;
  a page of 1,000 to 32,000 short lines: ms per 1,000 lines (the model's time is linear in
  the lines); and what the content-region model costs on real pages: the annotated pages of
  `../shared/corpus` (dev and site sets), when it is beside the repository

Peak RSS is the largest resident set of any one process of a run (parent or worker).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from cleaner import Cleaner

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
MB = 1 << 20
DUMP_FORMAT = 2  # 2: every record a page of its own
SEED = ROOT / "samples" / "book118" / "speech"  # the user's own page


def samples() -> tuple[list[Sample], list[Sample]]:
    """Text pages, and HTML pages with their URL and charset: the charset the page is written
    in, as the cleaner's decoder finds it (the samples are GBK, GB18030 and Big5)."""
    from cleaner.read.decode import decode

    texts, htmls = [], []
    for case in sorted((ROOT / "samples").glob("*/*/case.json")):
        meta = json.loads(case.read_text("utf-8"))
        expected = (case.parent / "expected.txt").read_text("utf-8")
        body = _body_lines(expected)
        if (case.parent / "input.txt").exists():
            text = (case.parent / "input.txt").read_text("utf-8", errors="replace")
            texts.append(Sample(text, body))
        if (case.parent / "input.html").exists():
            html, how = decode((case.parent / "input.html").read_bytes(), None, html=True)
            htmls.append(Sample(html, body, meta.get("url"), how["encoding"]))
    return texts, htmls


class Sample(NamedTuple):
    """A sample page and what makes each record of it a page of its own (`record`)."""

    text: str
    body: Any  # a pattern of its body lines, or None
    url: str | None = None
    charset: str = "utf-8"

    def record(self, i: int) -> str:
        """The page with its body lines varied for record `i` (the same `i`, the same page)."""
        if self.body is None:
            return self.text
        return self.body.sub(lambda m: _varied(m.group(), i), self.text)


def seed_page() -> Sample:
    """The 7.5 KB text page of the user's seed (samples/book118/speech)."""
    text = (SEED / "input.txt").read_text("utf-8")
    return Sample(text, _body_lines((SEED / "expected.txt").read_text("utf-8")))


def _body_lines(expected: str) -> Any:
    lines = {line.strip() for line in expected.splitlines() if len(line.strip()) >= 8}
    if not lines:
        return None
    return re.compile("|".join(map(re.escape, sorted(lines, key=len, reverse=True))))


def _varied(line: str, i: int) -> str:
    """`line` with up to two pairs of neighbouring letters swapped, chosen by `i`: the same
    letters, so the same shape, vocabulary aside, and a text no other record has (a line with
    n such pairs has about n² variants)."""
    pairs = [j for j in range(len(line) - 1) if _swappable(line[j], line[j + 1])]
    if not pairs:
        return line
    chars = list(line)
    for j in {pairs[i % len(pairs)], pairs[(i // len(pairs)) % len(pairs)]}:
        chars[j], chars[j + 1] = chars[j + 1], chars[j]
    return "".join(chars)


def _swappable(a: str, b: str) -> bool:
    return a != b and a.isalpha() and b.isalpha() and a.isascii() == b.isascii()


def build(n: int) -> dict[str, Path]:
    """The dump: 60% text records (JSONL.gz), 20% HTML records (JSONL.gz), 20% WARC.gz."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    WORK.mkdir(parents=True, exist_ok=True)
    texts, htmls = samples()
    # a dump built from other samples is never reused
    key = [DUMP_FORMAT, [p.text for p in texts], [p.text for p in htmls]]
    tag = hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:8]
    files = {
        k: WORK / f"{k}-{n}-{tag}{ext}"
        for k, ext in [("text", ".jsonl.gz"), ("html", ".jsonl.gz"), ("warc", ".warc.gz")]
    }
    seed = WORK / f"seed-{n // 10}-{tag}.jsonl.gz"
    if all(f.exists() for f in [*files.values(), seed]):
        return files | {"seed": seed}
    with gzip.open(seed, "wt", encoding="utf-8", compresslevel=3) as f:
        page = seed_page()
        for i in range(n // 10):
            rec = {"id": f"s{i}", "text": page.record(i)}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    n_text, n_html = n * 6 // 10, n * 2 // 10
    n_warc = n - n_text - n_html
    with gzip.open(files["text"], "wt", encoding="utf-8", compresslevel=3) as f:
        for i in range(n_text):
            rec = {"id": f"t{i}", "text": texts[i % len(texts)].record(i // len(texts))}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with gzip.open(files["html"], "wt", encoding="utf-8", compresslevel=3) as f:
        for i in range(n_html):
            page = htmls[i % len(htmls)]
            html = page.record(i // len(htmls))
            f.write(json.dumps({"id": f"h{i}", "html": html, "url": page.url}, ensure_ascii=False))
            f.write("\n")
    with files["warc"].open("wb") as raw:
        w = WARCWriter(raw, gzip=True)
        for i in range(n_warc):
            page = htmls[i % len(htmls)]
            enc = page.charset
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", f"text/html; charset={enc}")], protocol="HTTP/1.1"
            )
            # the HTML records had the first variants of each page: these take the next ones
            html = page.record((n_html + i) // len(htmls))
            body = io.BytesIO(html.encode(enc, errors="replace"))
            target = page.url or f"https://example.com/{i}"
            w.write_record(
                w.create_warc_record(target, "response", payload=body, http_headers=headers)
            )
    return files | {"seed": seed}


class NoopCleaner:
    """Cleaning replaced by nothing: the page text goes out as it came in."""

    def clean_page(self, page):
        from cleaner.page import Cleaned

        text = page.content
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        prov = {"origin": page.origin, "chars_in": len(text), "chars_out": len(text)}
        return Cleaned(id=page.id or "", text=text, metadata={"site": None}, provenance=prov)


def child(args: argparse.Namespace) -> None:
    """One measured run (in its own process): prints the summary as JSON."""
    from cleaner import Cleaner
    from cleaner.batch import Job, JobOptions

    cleaner = NoopCleaner() if args.noop else Cleaner(region=not args.no_region)
    out = WORK / f"out-{os.getpid()}.jsonl"
    opts = JobOptions(output=str(out), workers=args.workers, force=True, progress="off")
    t = time.monotonic()
    s = Job(cleaner, args.inputs, options=opts).run()
    seconds = time.monotonic() - t
    out.unlink()
    assert s.adds_up()
    print(
        json.dumps(
            {"records": s.records_in, "errors": s.errors, "bytes": s.bytes_in, "seconds": seconds}
        )
    )


def measure(inputs: list[Path], workers: int, noop: bool = False, region: bool = True) -> dict:
    cmd = [sys.executable, __file__, "--child", "--workers", str(workers)]
    cmd += ["--noop"] * noop + ["--no-region"] * (not region) + [str(p) for p in inputs]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    if status:
        raise SystemExit(f"run failed: {cmd}")
    res = json.loads(out)
    res["rss_mb"] = usage.ru_maxrss / 1024
    res["rps"] = res["records"] / res["seconds"]
    res["mbps"] = res["bytes"] / MB / res["seconds"]
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--noop", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--no-region", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    t = time.monotonic()
    files = build(args.records)
    size = sum(f.stat().st_size for f in files.values())
    print(
        f"dump: {args.records:,} records, {size / MB:.0f} MB compressed "
        f"({time.monotonic() - t:.0f}s to build), cores: {os.cpu_count()}"
    )
    every = [files["text"], files["html"], files["warc"]]
    rows = [
        ("no-op floor, 1 worker", measure(every, 1, noop=True)),
        ("clean, 1 worker", measure(every, 1)),
        ("clean, 1 worker, no region", measure(every, 1, region=False)),
        ("clean, 2 workers", measure(every, 2)),
        ("text records: no-op floor", measure([files["text"]], 1, noop=True)),
        ("text records, 1 worker", measure([files["text"]], 1)),
        ("7.5 KB text page, 1 worker", measure([files["seed"]], 1)),
    ]
    print(f"{'run':30} {'records':>9} {'records/s':>10} {'MB/s':>7} {'peak RSS MB':>12}")
    for name, r in rows:
        print(f"{name:30} {r['records']:9,} {r['rps']:10,.0f} {r['mbps']:7.1f} {r['rss_mb']:12.0f}")
    floor, one, bare, two = (r for _, r in rows[:4])
    print(f"clean 1 worker vs no-op floor: {one['seconds'] / floor['seconds']:.1f}x slower")
    print(f"the content-region model costs {1 - one['rps'] / bare['rps']:.0%} of the records/s")
    print(f"2 workers vs 1: {two['rps'] / one['rps']:.2f}x")
    print(f"load average at the end (other processes compete for the cores): {os.getloadavg()}")
    by_page_size()
    long_book()
    on_real_pages()


def by_page_size() -> None:
    """MB/s of one text page as it grows: the seed with the middle third of its lines repeated,
    cleaned in this process (no reading or writing)."""
    from cleaner import Cleaner

    cleaner = Cleaner()
    seed = seed_page()
    lines = seed.text.splitlines()
    middle = "\n".join(lines[len(lines) // 3 : 2 * len(lines) // 3])
    copies = [seed._replace(text=middle).record(k) for k in range(64)]
    print("one text page as it grows (the seed's middle repeated), cleaned in one process:")
    for times in (1, 2, 4, 16, 64):
        page = seed.text.replace(middle, "\n".join(copies[:times]))
        rounds = max(3, 400 // times)
        cleaner.clean(page)
        seconds = 0.0
        for _ in range(rounds):
            forget_lines(cleaner)
            t = time.perf_counter()
            cleaner.clean(page)
            seconds += time.perf_counter() - t
        seconds /= rounds
        kb, mbps = len(page.encode("utf-8")) / 1024, len(page.encode("utf-8")) / MB / seconds
        print(f"  {kb:6.0f} KB  {seconds * 1e3:6.2f} ms a page  {mbps:5.1f} MB/s")


def long_book() -> None:
    """ms per 1,000 lines of a page of many short lines (the seed's sentences, each copy
    varied), with and without the model: the model's time is linear in the lines."""
    from cleaner import Cleaner

    seed = (SEED / "expected.txt").read_text("utf-8")
    sentences = [s + "。" for line in seed.splitlines() for s in line.split("。") if len(s) > 8]
    on, off = Cleaner(), Cleaner(region=False)
    print("a page of many short lines (a long book), cleaned in one process:")
    for count in (1_000, 8_000, 32_000):
        lines = [_varied(sentences[i % len(sentences)], i) for i in range(count)]
        page = "\n".join(lines)
        times = []
        for cleaner in (on, off):
            forget_lines(cleaner)
            t = time.perf_counter()
            cleaner.clean(page)
            times.append((time.perf_counter() - t) * 1e3 * 1_000 / count)
        without = f"({times[1]:.1f} without the model)"
        print(f"  {count:6,} lines  {times[0]:6.1f} ms per 1,000 lines {without}")


def forget_lines(cleaner: Cleaner) -> None:
    """Empty the content-region model's caches of lines (shapes, vocabulary): what a run keeps
    of the lines that came before (the chrome a site repeats), and what a page new to the run
    cannot use."""
    if cleaner.region is not None:
        cleaner.region.forget()


def on_real_pages(rounds: int = 5) -> None:
    """The model's share of the cleaning time on the real pages of the shared corpus (read once,
    cleaned in this process, with and without the model, the best of `rounds`; each round
    meets every page as new, as a crawl would)."""
    from cleaner import Cleaner
    from cleaner.page import Page

    corpus = ROOT.parent / "shared" / "corpus"
    files = sorted(corpus.glob("dev/*/raw.txt")) + sorted(corpus.glob("sitesets/*/*/raw.txt"))
    if not files:
        return
    pages = [Page(f.read_bytes(), kind="text") for f in files]
    best = {}
    for region in (True, False):
        cleaner = Cleaner(region=region)
        for page in pages:
            cleaner.clean_page(page)
        times = []
        for _ in range(rounds):
            forget_lines(cleaner)
            t = time.perf_counter()
            for page in pages:
                cleaner.clean_page(page)
            times.append((time.perf_counter() - t) / len(pages))
        best[region] = min(times)
    print(
        f"{len(pages)} real pages of the shared corpus, one process: "
        f"{best[True] * 1e3:.2f} ms a page, {best[False] * 1e3:.2f} ms without the model; "
        f"the model takes {1 - best[False] / best[True]:.0%} of the time"
    )


if __name__ == "__main__":
    main()
