"""Bytes to text: byte-order mark, the caller's charset, the page's own `<meta>` charset, then
detection over the whole document.

Every label is checked against the bytes: a charset that does not decode the whole page strictly
is rejected (and named in provenance), so a wrong `<meta charset=utf-8>` on a GBK page is caught.
Detection does not look at the first kilobytes only: a Chinese page whose head is ASCII markup and
whose body is GBK is judged on its body. The candidates are the codecs that decode every byte of
the page; charset-normalizer chooses among them on a sample made of the page's non-ASCII runs.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from charset_normalizer import from_bytes

from ..errors import PageError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# file formats that are never a page, whatever else they hold
_BINARY_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\xd0\xcf\x11\xe0",
    b"Rar!",
    b"7z\xbc\xaf",
)
# labels that name a subset of a larger encoding that pages really use
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "ascii": "utf-8",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
}
# a page cannot declare these in its own markup: its markup would not be ASCII-readable then
_NOT_IN_META = ("utf-16", "utf-32")
# where the HTML standard's prescan looks, widened: real heads carry long scripts before <meta>
META_WINDOW = 8192
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# the multi-byte text of a page: non-ASCII runs (with the ASCII-range trail bytes of GBK/Big5
# and short ASCII gaps), which is where the encoding shows; markup says nothing about it
_NON_ASCII_RUNS = re.compile(rb"[\x80-\xff]+(?:[\x00-\x7f]{0,8}[\x80-\xff]+)*[\x40-\x7e]?")
SAMPLE_BYTES = 65536
# tried in this order when the detector's choice does not decode the page
_CJK_CANDIDATES = ("gb18030", "big5hkscs", "shift_jis", "euc_kr")


def canonical(label: str) -> str | None:
    """A Python codec name for a charset label, widened to the superset pages really use."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, AttributeError):
        return None
    return _SUPERSETS.get(name, name)


def meta_charset(data: bytes) -> str | None:
    """The charset label an HTML page gives itself (`<meta charset>`, `http-equiv`, `<?xml`)."""
    head = data[:META_WINDOW]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def decode(
    data: bytes, declared: str | None = None, *, html: bool = False
) -> tuple[str, dict[str, Any]]:
    """Decode a page; returns the text and `{"encoding", "by"[, "rejected"]}` for provenance.

    `by` is `bom`, `declared` (the caller's charset: HTTP header, WARC or JSONL field), `meta`
    (the page's own label, HTML only) or `detected`. `rejected` lists labels that did not decode.
    """
    if _is_binary(data):
        raise PageError("binary content (NUL bytes): not a text or HTML page")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), {"encoding": name, "by": "bom"}

    rejected: list[dict[str, str]] = []
    labels = [(declared, "declared")]
    if html:
        labels.append((meta_charset(data), "meta"))
    for label, by in labels:
        if not label:
            continue
        name = canonical(label)
        if name is None or (by == "meta" and name.startswith(_NOT_IN_META)):
            rejected.append({"label": label, "from": by, "why": "unknown charset"})
            continue
        if name != "utf-8" and _is_utf8(data):
            # multi-byte text that is valid UTF-8 is UTF-8: no GBK or Big5 page is, by chance
            rejected.append({"label": label, "from": by, "why": "bytes are UTF-8"})
            break
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            rejected.append({"label": label, "from": by, "why": "bytes do not decode"})
            continue
        return text, _info(name, by, rejected)

    text, name, by = detect(data)
    return text, _info(name, by, rejected)


def detect(data: bytes) -> tuple[str, str, str]:
    """Text, codec and how it was chosen, for bytes with no usable label."""
    try:
        return data.decode("utf-8"), "utf-8", "detected"
    except UnicodeDecodeError:
        pass
    repaired = _damaged_utf8(data)
    if repaired is not None:
        return repaired, "utf-8", "detected-lossy"
    sample = b"\n".join(m.group() for m in _NON_ASCII_RUNS.finditer(data))[:SAMPLE_BYTES]
    best = from_bytes(sample).best() if sample else None
    tried: list[str] = []
    if best is not None and best.encoding:
        name = canonical(best.encoding) or best.encoding
        tried.append(name)
        try:
            return data.decode(name), name, "detected"
        except (UnicodeDecodeError, LookupError):
            pass
    for name in _CJK_CANDIDATES:
        if name in tried:
            continue
        try:
            return data.decode(name), name, "detected"
        except UnicodeDecodeError:
            continue
    name = tried[0] if tried else "utf-8"
    return data.decode(name, errors="replace"), name, "detected-lossy"


def _is_binary(data: bytes) -> bool:
    """A file format (PDF, ZIP, image…) or bytes full of NULs; a stray NUL in a page is not."""
    head = data[:65536]
    if head.startswith(_BINARY_MAGIC):
        return True
    if head.startswith(tuple(b for b, _ in _BOMS[1:])):
        return False  # UTF-16 and UTF-32 text is full of NUL bytes
    return head.count(b"\x00") > max(2, len(head) // 200)


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few broken bytes (a cut or a bad copy upstream), decoded with U+FFFD.

    A single-byte codec would "decode" such a page too, turning all its good text into mojibake.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return text if good >= 8 and bad * 20 <= good else None


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _info(name: str, by: str, rejected: list[dict[str, str]]) -> dict[str, Any]:
    info: dict[str, Any] = {"encoding": name, "by": by}
    if rejected:
        info["rejected"] = rejected
    return info
