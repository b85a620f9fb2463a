"""Bytes to text: byte-order mark, the caller's charset, UTF-8, then detection."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .errors import PageError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# labels that name a subset of a larger encoding that pages really use
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8"}


def canonical(label: str) -> str | None:
    """A Python codec name for a charset label, widened to the superset pages really use."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, AttributeError):
        return None
    return _SUPERSETS.get(name, name)


def decode(data: bytes, declared: str | None = None) -> tuple[str, dict[str, str]]:
    """Decode a page; returns the text and `{"encoding", "by"}` for provenance."""
    if b"\x00" in data[:65536] and not data.startswith(tuple(b for b, _ in _BOMS[1:])):
        raise PageError("binary content (NUL bytes): not a text or HTML page")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), {"encoding": name, "by": "bom"}
    if declared and (name := canonical(declared)):
        try:
            return data.decode(name), {"encoding": name, "by": "declared"}
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), {"encoding": "utf-8", "by": "utf-8"}
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return data.decode("utf-8", errors="replace"), {"encoding": "utf-8", "by": "replacement"}
    name = canonical(best.encoding) or best.encoding
    return data.decode(name, errors="replace"), {"encoding": name, "by": "detected"}
