"""The chrome vocabulary (`rules/region/vocabulary.toml`), found in every line of a page in one
Hyperscan pass over its literal phrases and the first match of each of its few patterns, and a
second pass, which reports where each match starts, only where a pattern matches.

A phrase is written once, in simplified Chinese and lower case; it is compiled into a pattern
whose characters also accept their traditional forms (`rules/region/traditional.txt`) and
whose letters match in either case (Hyperscan folds the case of Cyrillic and accented letters
too, as `str.lower` would, at no cost to the page), and the page is matched with full-width
ASCII folded (`matching_view`). What a line gets is, per kind, the share of its bytes that hits
of that kind cover.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import tomllib
from collections.abc import Sequence
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import hyperscan

from ..engine.rx import matching_view
from ..errors import PackError

STRONG = "strong"
KEPT_LINES = 4096  # lines whose coverage is kept for the pages that follow (about 1.5 MB)


class Coverage(NamedTuple):
    """What the vocabulary found in one line: the covered share of its bytes per kind (and for
    the strong phrases), and the number of hits. A named tuple: one is made per line with a
    chrome word, and a tuple is quicker to make than a frozen dataclass."""

    shares: dict[str, float]
    hits: int
    total: float = 0.0  # the covered share of all kinds together (strong phrases aside)


class Vocabulary:
    """The kinds of chrome words, compiled once into Hyperscan databases (kept between runs)."""

    def __init__(self, path: Path, traditional: Path):
        self.path, self._traditional = str(path), str(traditional)
        data = _read_toml(path)
        variants = _variants(traditional)
        kinds = data.get("kinds")
        if not isinstance(kinds, dict) or not kinds:
            raise PackError(self.path, "needs [kinds.<name>] tables", fix="see the file's header")
        self.kinds: tuple[str, ...] = tuple(kinds)
        # kinds a title may carry (a file name); the others rule a line out as a title
        self.title_kinds = frozenset(k for k, t in kinds.items() if t.get("in_titles") is True)
        # literal phrases (with their traditional forms), where a match's start is its end less
        # its length, scanned with the first match of each of the few patterns (most pages have
        # none); where a pattern matches, a second database that reports starts (slower) finds
        # each of its matches
        phrases: list[bytes] = []
        patterns: list[bytes] = []
        self._owner: list[str] = []  # phrase id -> kind (or STRONG)
        self._size: list[int] = []  # phrase id -> bytes
        self._pattern_kind: list[str] = []  # pattern id -> kind
        for kind, table in kinds.items():
            for key, owner in (("phrases", kind), ("strong", STRONG)):
                for phrase in _strings(table, key, self.path, kind):
                    phrases.append(_phrase(phrase, variants))
                    self._owner.append(owner)
                    self._size.append(len(phrase.lower().encode("utf-8")))
            for pattern in _strings(table, "patterns", self.path, kind):
                patterns.append(pattern.encode("utf-8"))
                self._pattern_kind.append(kind)
        utf8 = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_CASELESS
        multiline = hyperscan.HS_FLAG_MULTILINE
        first = utf8 | multiline | hyperscan.HS_FLAG_SINGLEMATCH
        flags = [utf8] * len(phrases) + [first] * len(patterns)
        self._phrases = _database(phrases + patterns, flags, self.path)
        flags = [utf8 | multiline | hyperscan.HS_FLAG_SOM_LEFTMOST] * len(patterns)
        self._patterns = _database(patterns, flags, self.path)
        self._local = threading.local()

    def __getstate__(self) -> tuple[str, str]:
        return self.path, self._traditional

    def __setstate__(self, state: tuple[str, str]) -> None:
        self.__init__(Path(state[0]), Path(state[1]))

    def coverage(self, lines: Sequence[str]) -> list[Coverage]:
        """Per line, the shares of its bytes that each kind's hits cover. The lines read lately
        are not scanned again: a site's chrome comes back on every page, and a page is read
        again after the model took some of its lines (the last `KEPT_LINES` lines, per
        thread)."""
        kept = getattr(self._local, "lines", None)
        if kept is None:
            kept = self._local.lines = {}
        new = [line for line in dict.fromkeys(lines) if line not in kept]
        if not new:
            return [kept[line] for line in lines]
        found = self._coverage(new)
        if len(new) == len(lines):  # every line new, none twice: most pages
            out = found
        else:
            read = dict(zip(new, found, strict=True))
            out = [read[line] if line in read else kept[line] for line in lines]
        kept.update(zip(new, found, strict=True))
        for line in list(islice(kept, max(len(kept) - KEPT_LINES, 0))):
            del kept[line]  # the oldest first
        return out

    def forget(self) -> None:
        """Empty this thread's kept lines (a benchmark's page that is new to the run)."""
        self._local.lines = {}

    def _coverage(self, lines: Sequence[str]) -> list[Coverage]:
        data = matching_view("\n".join(lines)).encode("utf-8", "surrogatepass")
        out = [_NOTHING] * (data.count(b"\n") + 1)
        if not data.strip():
            return out
        owner, size, phrases = self._owner, self._size, len(self._owner)
        found = self._scan(0, data)
        hits = [(owner[p], end - size[p], end) for p, _, end in found if p < phrases]
        if len(hits) < len(found):  # a pattern matches too
            hits += [(self._pattern_kind[p], a, b) for p, a, b in self._scan(1, data)]
        spans: dict[int, list[tuple[str, int, int]]] = {}  # line -> its hits
        line = at = 0  # the line of the data at `at`, counted on from the hit before
        for hit in sorted(hits, key=itemgetter(1)):  # by start
            if hit[1] >= 0:  # none before the data (a phrase in a shorter traditional form)
                line, at = line + data.count(b"\n", at, hit[1]), hit[1]
                spans.setdefault(line, []).append(hit)
        for i, found in spans.items():
            first = data.rfind(b"\n", 0, found[0][1]) + 1
            last = data.find(b"\n", first)
            out[i] = _cover(found, first, last if last >= 0 else len(data))
        return out

    def _scan(self, which: int, data: bytes) -> list[tuple[int, int, int]]:
        """(id, start, end) of every match of the phrases and the first of each pattern (0, a
        pattern's id after the phrases'), or of every match of the patterns (1); Hyperscan's
        scratch space is one thread's."""
        db = (self._phrases, self._patterns)[which]
        scratches = getattr(self._local, "scratch", None)
        if scratches is None:
            scratches = self._local.scratch = {}
        if which not in scratches:
            scratches[which] = hyperscan.Scratch(db)
        found: list[tuple[int, int, int]] = []
        db.scan(data, match_event_handler=_collect, context=found, scratch=scratches[which])
        return found


def _database(expressions: list[bytes], flags: list[int], where: str):
    """A Hyperscan database of the expressions (None for none). Compiling the vocabulary takes
    about a second, so the compiled database is kept in the cache folder (`cache_folder`) and
    loaded from there by the next run, or the next worker, with the same expressions."""
    if not expressions:
        return None
    folder = cache_folder()
    key = hashlib.sha256(repr((hyperscan.__version__, flags, expressions)).encode()).hexdigest()
    cached = folder / f"vocabulary-{key[:32]}.hsdb" if folder is not None else None
    if cached is not None:
        try:
            db = hyperscan.loadb(cached.read_bytes(), hyperscan.HS_MODE_BLOCK)
            db.scan(b"x", match_event_handler=None, scratch=hyperscan.Scratch(db))
            return db  # it loads and scans on this machine (a database is built for a CPU)
        except (OSError, hyperscan.error, TypeError, ValueError):
            pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=flags,
        )
    except hyperscan.error as e:
        raise PackError(where, f"a phrase or pattern does not compile: {e}") from None
    if cached is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            part = cached.with_suffix(f".{os.getpid()}.part")
            part.write_bytes(hyperscan.dumpb(db))
            part.replace(cached)  # whole or not at all, for workers starting together
        except OSError:
            pass  # a read-only home: compile again next time
    return db


def cache_folder() -> Path | None:
    """Where compiled databases are kept between runs: `$CLEANER_CACHE_DIR` (empty: nowhere),
    else `cleaner/` in `$XDG_CACHE_HOME` or `~/.cache`."""
    folder = os.environ.get("CLEANER_CACHE_DIR")
    if folder is not None:
        return Path(folder) if folder else None
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cleaner"
    except RuntimeError:  # no home folder
        return None


_NOTHING = Coverage({}, 0)


def _cover(hits: list[tuple[str, int, int]], first: int, last: int) -> Coverage:
    """Covered share per kind of the line `[first, last)` of the data (the hits' offsets),
    overlapping hits of a kind counted once."""
    size = last - first
    if len(hits) == 1:  # most lines with a chrome word
        kind, start, end = hits[0]
        share = (min(end, last) - start) / size if size else 0.0
        if kind == STRONG:
            return Coverage({kind: share}, 0, 0)
        return Coverage({kind: share}, 1, share)
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for kind, start, end in hits:
        by_kind.setdefault(kind, []).append((start, min(end, last)))
    shares = {}
    for kind, spans in by_kind.items():
        covered, reach = 0, first
        for start, end in sorted(spans):
            if end > reach:
                covered += end - max(start, reach)
                reach = end
        shares[kind] = covered / size if size else 0.0
    # a pattern reports every end of a match (`www\.\S+`): a hit is a kind at a start
    count = len({(kind, start) for kind, start, _ in hits if kind != STRONG})
    return Coverage(shares, count, sum(v for k, v in shares.items() if k != STRONG))


def _collect(expression: int, start: int, end: int, flags: int, found: list) -> None:
    found.append((expression, start, end))


def _phrase(phrase: str, variants: dict[str, str]) -> bytes:
    """A literal phrase as a pattern whose characters accept their traditional forms too, and
    whose Latin words are whole words (`words` is not in `keywords`)."""
    phrase = phrase.lower()
    parts = ["\\b" if _word_char(phrase[0]) else ""]
    for char in phrase:
        other = variants.get(char)
        parts.append(f"[{re.escape(char)}{re.escape(other)}]" if other else re.escape(char))
    parts.append("\\b" if _word_char(phrase[-1]) else "")
    return "".join(parts).encode("utf-8")


def _word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _variants(path: Path) -> dict[str, str]:
    """Simplified character -> its traditional forms, from the traditional -> simplified table."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if len(line) == 2 and not line.startswith("#"):
            traditional, simplified = line
            out[simplified] = out.get(simplified, "") + traditional
    return out


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise PackError(str(path), f"cannot read the region model's data: {e}") from None


def _strings(table: dict, key: str, where: str, kind: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
        raise PackError(where, f"[kinds.{kind}] {key} must be a list of non-empty strings")
    return value
