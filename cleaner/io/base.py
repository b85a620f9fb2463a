"""What every reader shares: the error record of an unreadable input and the reading options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..page import Page

MB = 1024 * 1024


@dataclass(slots=True)
class ReadError:
    """An input record that could not be read: where it is (file, line or offset) and why."""

    origin: dict[str, Any]
    kind: str
    message: str
    id: str | None = None


@dataclass(slots=True)
class Skipped:
    """A record of the input that is not a page (a WARC request, an image, a 404): it is not
    cleaned and not an error, but counted, so a run says what it passed over."""

    origin: dict[str, Any]
    why: str  # what it is, short: "WARC request record", "image/png", "HTTP 404"


@dataclass(slots=True)
class ReadOptions:
    """How inputs are read: forced format, folder globs, JSONL field names, size limit."""

    format: str | None = None  # "text", "html", "jsonl" or "warc"; None: by extension/content
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    text_field: str = "text"
    html_field: str = "html"
    url_field: str = "url"
    id_field: str = "id"
    encoding_field: str = "encoding"
    keep_fields: tuple[str, ...] = ()  # "*" keeps every other field
    max_record_bytes: int = 64 * MB
    extra: dict[str, Any] = field(default_factory=dict)


# what readers yield: a page, an error or a skipped record, and the input bytes it took (MB/s)
Entry = tuple[Page | ReadError | Skipped, int]
