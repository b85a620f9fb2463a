"""What the integration tests crawl and archive: the HTML samples as a site would serve them, in
their real charsets, plus pages that cannot be cleaned; an HTTP server on 127.0.0.1 for them, and
a WARC of the same responses, which `cleaner clean` cleans for comparison."""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from clirun import runner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

SLOW_HTML = "<html><body><p>SLOW PAGE</p><p>" + "a" * 40 + "!</p></body></html>"
DEEP_HTML = "<html><body>" + "<div>" * 100_000 + "正文。" + "</div>" * 100_000 + "</body></html>"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256))


@dataclass(frozen=True)
class Served:
    path: str
    content_type: str
    body: bytes


def sample(site_case: str) -> bytes:
    return (SAMPLES / site_case / "input.html").read_bytes()


def as_utf8(site_case: str, label: str) -> bytes:
    """A sample re-encoded as UTF-8, its own charset label changed to match."""
    html = sample(site_case).decode(label)
    return html.replace(f'charset="{label}"', 'charset="utf-8"', 1).encode("utf-8")


def site_pages() -> list[Served]:
    """Pages that clean: GBK, Big5 and UTF-8 with the charset in the HTTP header, GBK with none
    anywhere, and GBK that both the header and the page call UTF-8."""
    return [
        Served("/book118/notice.html", "text/html; charset=gbk", sample("book118/notice-html")),
        Served("/taodocs/report.html", "text/html; charset=big5", sample("taodocs/report-html")),
        Served(
            "/360docs/essay.html",
            "text/html; charset=utf-8",
            as_utf8("360docs/essay-html", "gb18030"),
        ),
        Served("/renrendoc/plan.html", "text/html", sample("renrendoc/plan-html")),
        Served("/31ppt/lesson.html", "text/html; charset=utf-8", sample("31ppt/lesson-html")),
    ]


class PageServer:
    """An HTTP server on 127.0.0.1, on a free port, in a thread: `/` links every page."""

    def __init__(self, pages: list[Served]):
        self.pages = {p.path: p for p in pages}
        links = "".join(f'<li><a href="{p.path}">{p.path}</a></li>' for p in pages)
        index = f"<html><body><ul>{links}</ul></body></html>".encode()
        self.pages["/"] = Served("/", "text/html; charset=utf-8", index)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = pages.get(self.path)
                if page is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *args) -> None:
                pass

        return Handler

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def write_warc(path: Path, base_url: str, pages: list[Served]) -> dict[str, str]:
    """The responses as a crawler archives them: URL, HTTP headers, payload (gzipped WARC,
    with the payload type Common Crawl adds), after the request of the first one. Returns the
    URL of each response's record id."""
    urls = {}
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        for i, p in enumerate(pages):
            url = base_url + p.path
            if i == 0:
                request = w.create_warc_record(url, "request", payload=io.BytesIO(b"GET /"))
                w.write_record(request)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", p.content_type)], protocol="HTTP/1.1"
            )
            payload_type = {"WARC-Identified-Payload-Type": p.content_type.split(";")[0]}
            record = w.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(p.body),
                http_headers=headers,
                warc_headers_dict=payload_type,
            )
            w.write_record(record)
            urls[record.rec_headers.get_header("WARC-Record-ID").strip("<>")] = url
    return urls


def cli_clean(inputs: list[Path], out: Path, *options: str) -> tuple[list[dict], list[dict]]:
    """`cleaner clean INPUTS -o OUT`: its records and its error records."""
    errors = out.with_name(out.name + ".errors")
    args = ["clean", *map(str, inputs), "-o", str(out), "--errors", str(errors), "-q"]
    result = runner().invoke(cli, [*args, "--workers", "1", *options])
    assert result.exit_code in (0, 1), result.output + result.stderr
    return read_jsonl(out), read_jsonl(errors) if errors.exists() else []


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
