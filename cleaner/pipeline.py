"""`Cleaner`: one page in, one `Cleaned` out. Pure, picklable, reusable across pages and threads."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .decode import decode
from .detect import Detection, Detector
from .errors import CleanerError
from .metadata import capture, empty, is_truncated, language
from .normalize import title_edits, whitespace_edits
from .page import Cleaned, Page, Removal
from .rulebook import Pack, RuleBook, TextRule, load_rulebook
from .spans import Rendered, apply, merge
from .text import apply_rules


@dataclass(frozen=True, slots=True)
class _Chain:
    packs: tuple[Pack, ...]
    text_rules: tuple[TextRule, ...]


class Cleaner:
    """Cleans pages with the bundled rule packs plus the user's (`rules=[dir or file, …]`).

    Build it once and reuse it: the packs are read and their regexes compiled here, not per page.
    """

    def __init__(
        self,
        rules: Iterable[str | Path] = (),
        *,
        site: str | None = None,
        bundled: bool = True,
        max_rule_share: float = 0.6,
        rule_timeout: float = 2.0,
    ):
        self.book: RuleBook = load_rulebook(rules, bundled=bundled)
        if site is not None and site not in self.book.packs:
            raise CleanerError(f"unknown site '{site}': `cleaner rules list` shows the packs")
        self.site = site
        self.max_rule_share = max_rule_share
        self.rule_timeout = rule_timeout
        self.detector = Detector(self.book)
        self._chains: dict[str | None, _Chain] = {}

    def chain(self, site: str | None) -> _Chain:
        if site not in self._chains:
            packs = tuple(self.book.chain(site))
            self._chains[site] = _Chain(packs, tuple(r for p in packs for r in p.text))
        return self._chains[site]

    def detect(self, text: str, url: str | None = None) -> Detection:
        if self.site:
            return Detection(self.site, "forced")
        return self.detector.detect(text, url, self.rule_timeout)

    def clean(
        self,
        content: str | bytes,
        url: str | None = None,
        *,
        id: str | None = None,
        origin: dict[str, Any] | None = None,
        encoding: str | None = None,
    ) -> Cleaned:
        """Clean one page given as text or bytes; raises `PageError` for what is not a page."""
        return self.clean_page(Page(content, url=url, id=id, origin=origin, encoding=encoding))

    def clean_many(self, pages: Iterable[Page | str]) -> Iterator[Cleaned]:
        for page in pages:
            yield self.clean_page(page if isinstance(page, Page) else Page(page))

    def clean_page(self, page: Page) -> Cleaned:
        provenance: dict[str, Any] = {"origin": page.origin}
        if isinstance(page.content, bytes):
            source, provenance["encoding"] = decode(page.content, page.encoding)
            input_sha = hashlib.sha256(page.content).hexdigest()
        else:
            source = page.content
            input_sha = _sha(source)

        detection = self.detect(source, page.url)
        chain = self.chain(detection.site)
        site_pack = self.book.packs.get(detection.site) if detection.site else None
        meta = empty()
        meta["site"] = detection.site
        meta["site_name"] = site_pack.name if site_pack else None
        meta["url"] = page.url
        capture(chain.packs, source, meta, "page", self.rule_timeout)

        removals, fired = apply_rules(chain.text_rules, source, self.rule_timeout)
        flags = {rule.flag for rule, _ in fired if rule.flag}
        limit = self.max_rule_share * len(source)
        for rule, result in fired:
            if sum(r.end - r.start for r in result.removals) > limit:
                flags.add(f"rule_removed_most:{rule.id}")

        rendered = Rendered(source, merge(removals))
        rendered = Rendered(source, rendered.compose(whitespace_edits(rendered.text)))
        capture(chain.packs, rendered.text, meta, "clean", self.rule_timeout)
        edits = title_edits(rendered.text, meta["title"])
        if edits:
            rendered = Rendered(source, rendered.compose(edits))
        text = rendered.text

        if "truncated" in flags or is_truncated(text):
            meta["truncated"] = True
            flags.add("truncated")
        elif text:
            meta["truncated"] = False
        default_language = site_pack.language if site_pack else None
        meta["language"] = language(text, default_language)
        if not text:
            flags.add("empty")
        if page.extra:
            meta["extra"] = page.extra

        provenance.update(
            input_sha256=input_sha,
            text_sha256=_sha(text),
            cleaner_version=__version__,
            detection={"site": detection.site, "by": detection.by},
            rules=[{"pack": p.id, "sha256": p.sha256} for p in chain.packs],
            removed=[r.to_dict() for r in rendered.removals],
            chars_in=len(source),
            chars_out=len(text),
            flags=sorted(flags),
        )
        return Cleaned(
            id=page.id or _stable_id(page.origin, input_sha),
            text=text,
            metadata=meta,
            provenance=provenance,
            removals=list(rendered.removals),
            source_text=source,
        )


def rebuild(source: str, removed: Iterable[dict[str, Any] | Removal]) -> str:
    """The clean text rebuilt from the input and the provenance spans."""
    spans = [r if isinstance(r, Removal) else Removal(**r) for r in removed]
    return apply(source, spans)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _stable_id(origin: dict[str, Any] | None, input_sha: str) -> str:
    if origin:
        key = json.dumps(origin, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return input_sha[:16]
