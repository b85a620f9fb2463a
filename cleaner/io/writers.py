"""Writers of clean records: JSONL (`.jsonl`, `.jsonl.gz`), a folder of `.txt` + `.json`, stdout.

A file is written under `NAME.partial` and renamed to its final name only when the run is
complete, so a final name always holds a whole output. `checkpoint()` flushes what was written
and returns the byte size of the partial file at a record boundary: a resumed run cuts the
partial file back to that size and goes on from there. JSONL.gz is written as a series of gzip
members, one per flush, so every checkpoint lies on a member boundary.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import unicodedata
import zlib
from pathlib import Path
from typing import IO, Any

import orjson

FLUSH_BYTES = 1 << 20
GZIP_LEVEL = 6
PARTIAL = ".partial"


def output_kind(target: str) -> str:
    """ "stdout", "jsonl" or "folder", from the name given to `-o`."""
    if target == "-":
        return "stdout"
    name = target.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz")):
        return "jsonl"
    return "folder"


def partial_path(target: str | Path) -> Path:
    target = Path(target)
    return target.with_name(target.name + PARTIAL)


def json_line(record: dict[str, Any]) -> str:
    """A record as one line of JSON, UTF-8 as it is. orjson writes it about ten times faster
    than the standard library, which still writes what orjson refuses: lone surrogates (escaped
    later, by the writer) and integers past 64 bits. orjson writes a NaN or an infinity (from a
    kept input field) as null, as JSON has neither."""
    try:
        return orjson.dumps(record).decode("utf-8")
    except TypeError:
        return json.dumps(record, ensure_ascii=False)


def utf8_safe(line: str) -> str:
    """The JSON line itself or, when it holds lone surrogates from the input (UTF-8 cannot
    write them), the same record with every non-ASCII character escaped."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(json.loads(line), ensure_ascii=True)
    return line


def _utf8(lines: list[str]) -> bytes:
    try:
        return "".join(lines).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from the input: escape them in that record
        return "".join(utf8_safe(line.rstrip("\n")) + "\n" for line in lines).encode("utf-8")


class JsonlWriter:
    """JSONL records (lines ending in a newline) to a file, a `.gz` file, or stdout (`-`).

    `resume_at` reopens an existing partial file cut back to that many bytes.
    """

    def __init__(self, target: str | Path, *, resume_at: int | None = None):
        self.target = str(target)
        self.gz = self.target.lower().endswith(".gz")
        self._lines: list[str] = []
        self._size = 0
        self.partial: Path | None = None
        if self.target == "-":
            self._f: IO[bytes] = sys.stdout.buffer
            self.gz = False
            return
        final = Path(self.target)
        self.partial = partial_path(final)
        if resume_at is not None:
            self._f = self.partial.open("r+b")
            self._f.truncate(resume_at)
            self._f.seek(resume_at)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._f = self.partial.open("wb")

    def write(self, record: dict[str, Any] | str) -> None:
        """A record as a dict or as its JSON line (without the newline)."""
        line = record if isinstance(record, str) else json_line(record)
        self._lines.append(line + "\n")
        self._size += len(line)
        if self._size >= FLUSH_BYTES:
            self._flush_lines()

    def _flush_lines(self) -> None:
        if not self._lines:
            return
        data = _utf8(self._lines)
        self._lines.clear()
        self._size = 0
        if self.gz:
            c = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
            data = c.compress(data) + c.flush()
        self._f.write(data)

    def checkpoint(self) -> int:
        """Flush everything written so far; the partial file's size (a record boundary)."""
        self._flush_lines()
        self._f.flush()
        return self._f.tell() if self.partial is not None else 0

    def close(self) -> None:
        """Complete the output: flush, close and rename the partial file to the final name."""
        self.checkpoint()
        if self.partial is not None:
            self._f.close()
            os.replace(self.partial, self.target)

    def abort(self) -> None:
        """Stop without completing: what was written stays in the partial file."""
        if self.partial is not None and not self._f.closed:
            with contextlib.suppress(OSError):
                self._f.close()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:
            self.abort()


# names Windows reserves whatever the extension; refused everywhere so outputs travel
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
_RESERVED |= {f"lpt{i}" for i in range(10)}
_UNSAFE = re.compile(r"[^\w.\-=+,@~()\[\]]+")
MAX_NAME_BYTES = 120


def safe_name(key: str) -> str:
    """A file name for a record id or URL that stays inside its folder on every system.

    Anything but letters, digits and `._-=+,@~()[]` becomes `_`; leading dots, reserved
    device names and long names are altered. An altered name ends with a short hash of the
    original, so two different ids never share a name.
    """
    name = unicodedata.normalize("NFC", key)
    name = _UNSAFE.sub("_", name).strip("._ ")
    cut = name.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")
    if cut.split(".")[0].lower() in _RESERVED:
        cut = "_" + cut
    if cut != key or not cut:
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        cut = f"{cut}-{digest}" if cut else digest
    return cut


class FolderWriter:
    """One `ID.txt` (the clean text) and one `ID.json` (id, metadata, provenance) per record.

    Each file is written under a temporary name and renamed. Two records with the same id get
    distinct names (`ID~2`); a record written again on resume replaces its own files.
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._root = self.folder.resolve()
        self.partial = None

    def path_for(self, record: dict[str, Any]) -> Path:
        base = safe_name(str(record.get("id") or "record"))
        origin = record.get("provenance", {}).get("origin")
        n = 1
        while True:
            name = base if n == 1 else f"{base}~{n}"
            meta = self.folder / f"{name}.json"
            if not meta.exists() or _origin_of(meta) == origin:
                break
            n += 1
        path = self.folder / name
        if path.resolve().parent != self._root:  # never reached with safe names; kept as a guard
            raise OSError(f"refusing to write outside {self.folder}: {name!r}")
        return path

    def write(self, record: dict[str, Any] | str) -> None:
        rec = json.loads(record) if isinstance(record, str) else record
        path = self.path_for(rec)
        meta = {k: v for k, v in rec.items() if k != "text"}
        _atomic_write(path.with_name(path.name + ".txt"), rec.get("text") or "")
        _atomic_write(
            path.with_name(path.name + ".json"),
            json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
        )

    def checkpoint(self) -> int:
        return 0

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


def _origin_of(meta: Path) -> Any:
    try:
        return json.loads(meta.read_text("utf-8")).get("provenance", {}).get("origin")
    except (OSError, ValueError, AttributeError):
        return None


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", errors="replace") as f:
        f.write(text)
    os.replace(tmp, path)
