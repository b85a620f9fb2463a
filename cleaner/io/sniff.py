"""Which reader a file needs: by extension first, by its first bytes when the name says nothing."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

FORMATS = ("text", "html", "jsonl", "warc")
GZIP_MAGIC = b"\x1f\x8b"

_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
}
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|table|script)\b",
    re.IGNORECASE | re.DOTALL,
)


def by_name(path: str | Path) -> str | None:
    """The format a file name announces (`.jsonl.gz` is JSONL), or None."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return _BY_SUFFIX.get(suffixes[-1]) if suffixes else None


def by_content(head: bytes) -> str:
    """The format of a (decompressed) file from its first bytes."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"{"):
        first = start.split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            if b"\n" not in start:  # one very long line: JSON cut by the sniff window
                return "jsonl"
    if _HTML_START.match(start[:4096]):
        return "html"
    return "text"


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


def sniff_file(path: Path, size: int = 65536) -> str:
    """The format of a file by its content (gzip is looked through)."""
    with path.open("rb") as f:
        head = f.read(size)
    if is_gzip(head):
        try:
            with gzip.open(path, "rb") as g:
                head = g.read(size)
        except (OSError, EOFError):
            pass
    return by_content(head)


def detect(path: Path, forced: str | None = None) -> str:
    return forced or by_name(path) or sniff_file(path)
