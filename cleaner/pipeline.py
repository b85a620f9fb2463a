"""`Cleaner`: one page in, one `Cleaned` out. Pure, picklable, reusable across pages and threads."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._version import __version__
from .describe.detect import Detection, Detector, host_of, registrable_domain
from .describe.metadata import (
    capture,
    empty,
    fill_from_head,
    is_truncated,
    language,
    title_cut,
)
from .describe.normalize import title_edits, whitespace_edits
from .describe.title import choose_title, latin, slug_title
from .engine import dom
from .engine.spans import Rendered, apply, merge
from .engine.text import Join, TextRules, apply_rules, join_edits
from .errors import CleanerError
from .page import Cleaned, Page, Removal
from .read.decode import decode
from .read.head import Head, head_metadata
from .read.html import block_text, looks_like_html, parse
from .region.model import Region, RegionModel
from .rulebook.load import BUNDLED_RULES, check_inherits, load_rulebook
from .rulebook.types import Pack, RuleBook


@dataclass(frozen=True, slots=True)
class _Chain:
    packs: tuple[Pack, ...]
    text_rules: TextRules
    dom_rules: dom.DomRules
    region: bool  # the content-region model runs (no pack of the chain switched it off)
    region_threshold: float | None  # the first pack's own threshold, if one sets it
    title_glued: bool  # a pack removes the title where it is glued to the text's first word


@dataclass(slots=True)
class _Source:
    """The text the text rules run on, and what the page said before it became that text."""

    text: str
    detection: Detection
    chars_in: int
    html: dict[str, Any] | None = None  # provenance of the HTML branch
    head: Head | None = None
    full_text: str | None = None  # the whole page's text, when detection needed it
    dom_removed: list[dom.DomRemoval] | None = None
    tree: Any = None  # the parsed page, whole: DOM rules leave it as it was


class Cleaner:
    """Cleans pages with the bundled rule packs plus the user's (`rules=[dir or file, …]`);
    `site_packs=False` leaves out the bundled site packs (the generic always-packs stay).

    Build it once and reuse it: the packs are read and their regexes compiled here, not per page.
    """

    def __init__(
        self,
        rules: Iterable[str | Path] = (),
        *,
        site: str | None = None,
        bundled: bool = True,
        site_packs: bool = True,
        max_rule_share: float = 0.6,
        rule_timeout: float = 2.0,
        region: bool | str | Path = True,
    ):
        self.book: RuleBook = load_rulebook(rules, bundled=bundled, site_packs=site_packs)
        if region is True:
            region = BUNDLED_RULES / "region"
        self.region = RegionModel(Path(region)) if region else None
        if site is not None and site not in self.book.packs:
            raise CleanerError(f"unknown site '{site}': `cleaner rules list` shows the packs")
        self.site = site
        self.max_rule_share = max_rule_share
        self.rule_timeout = rule_timeout
        self.detector = Detector(self.book)
        self._chains: dict[str | None, _Chain] = {}

    def with_packs(self, packs: Iterable[Pack]) -> Cleaner:
        """A copy of this cleaner with `packs` (compiled, e.g. learned) added after its own."""
        book = RuleBook(dict(self.book.packs))
        for pack in packs:
            book.add(pack)
        check_inherits(book)
        other = copy.copy(self)
        other.book, other.detector, other._chains = book, Detector(book), {}
        return other

    def chain(self, site: str | None) -> _Chain:
        if site not in self._chains:
            packs = tuple(self.book.chain(site))
            thresholds = [p.region_threshold for p in packs if p.region_threshold is not None]
            self._chains[site] = _Chain(
                packs,
                TextRules(r for p in packs for r in p.text),
                dom.compile_rules(packs),
                self.region is not None and all(p.region_enabled is not False for p in packs),
                thresholds[0] if thresholds else None,
                any(p.title_glued for p in packs),
            )
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
        is_html = page.kind == "html" or (page.kind is None and looks_like_html(page.content))
        if isinstance(page.content, bytes):
            raw, provenance["encoding"] = decode(page.content, page.encoding, html=is_html)
            input_sha = hashlib.sha256(page.content).hexdigest()
        else:
            raw = page.content
            input_sha = _sha(raw)
        if is_html:
            src = self._from_html(raw, page.url)
        else:
            src = _Source(raw, self.detect(raw, page.url), len(raw))
        source, detection = src.text, src.detection

        chain = self.chain(detection.site)
        site_pack = self.book.packs.get(detection.site) if detection.site else None
        meta = empty()
        meta["site"] = detection.site
        meta["site_name"] = site_pack.name if site_pack else None
        meta["url"] = page.url
        capture(chain.packs, source, meta, "page", self.rule_timeout)
        if is_html:  # chrome that DOM rules removed still tells metadata
            full_text = src.full_text or self._removed_chrome_text(src, chain, meta)
            if full_text:
                capture(chain.packs, full_text, meta, "page", self.rule_timeout)

        removals, fired = apply_rules(chain.text_rules, source, self.rule_timeout)
        flags = {rule.flag for rule, _ in fired if rule.flag}
        if provenance.get("encoding", {}).get("by") == "detected-lossy":
            flags.add("encoding_loss")
        limit = self.max_rule_share * len(source)
        for rule, result in fired:
            if sum(r.end - r.start for r in result.removals) > limit:
                flags.add(f"rule_removed_most:{rule.id}")

        joins = [join for _, result in fired for join in result.joins]
        rendered = Rendered(source, merge(removals))
        region, filled = None, {}
        if chain.region:
            host = host_of(page.url)
            site = registrable_domain(host) if host else None
            region = self.region.decide(rendered.text, chain.region_threshold, page.url, site)
            rendered = self._apply_region(region, rendered, chain, src, meta, filled, flags, joins)
        elif joins:
            rendered = Rendered(source, rendered.compose(join_edits(rendered, joins)))
        rendered = Rendered(source, rendered.compose(whitespace_edits(rendered.text)))
        capture(chain.packs, rendered.text, meta, "clean", self.rule_timeout)
        if src.head is not None:
            filled |= fill_from_head(meta, src.head.candidates(), chain.packs)
        if filled and src.html is not None:
            src.html["metadata_from"] = filled
        # a title the page gave in its chrome or head and repeats at the top of the text; a
        # heading the region model took for the title stays the document's first line
        if filled.get("title") == "text":
            edits = []
        else:
            edits = title_edits(rendered.text, meta["title"], chain.title_glued)
        if edits:
            rendered = Rendered(source, rendered.compose(edits))
        text = rendered.text

        if "truncated" in flags or is_truncated(text):
            meta["truncated"] = True
            flags.add("truncated")
        elif text:
            meta["truncated"] = False
        default_language = site_pack.language if site_pack else None
        if default_language is None and src.head is not None and src.head.lang:
            default_language = src.head.lang.split("-")[0] or None
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
            rules=[_pack_entry(p) for p in chain.packs],
        )
        if src.html is not None:
            provenance.update(src.html)
            provenance["dom_removed"] = [d.to_dict() for d in src.dom_removed or ()]
        if region is not None:
            provenance["region"] = region.provenance(self.region.margin)
        provenance.update(
            removed=[r.to_dict() for r in rendered.removals],
            chars_in=src.chars_in,
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
            dom_removals=list(src.dom_removed or ()),
            region=region,
        )

    def _apply_region(
        self,
        region: Region,
        rendered: Rendered,
        chain: _Chain,
        src: _Source,
        meta: dict[str, Any],
        filled: dict[str, str],
        flags: set[str],
        joins: list[Join],
    ) -> Rendered:
        """The text less the lines the region model finds chrome, until it finds none. When
        no capture named the title, the heading it found becomes the title; a heading the site
        decorated (`…范文5篇`) is the site's, not the document's, and goes too. The rules'
        joins across a line break are made where the model keeps both lines."""
        if sum(e.end - e.start for e in region.edits) > self.region.most * len(rendered.text):
            flags.add("region_removed_most")
        cut = _memo(title_cut(chain.packs, found=True))
        if meta["title"] is None:
            page_url = meta["url"]
            head = src.head.candidates()["title"] if src.head is not None else ()
            head_title = next((value for _, value in head if value), None)
            fallback = region.guess or (slug_title(page_url) if latin(rendered.text) else None)
            title, where = choose_title(region.title_text, head_title, cut, fallback)
            if title:
                meta["title"], filled["title"] = title, where
        joined = join_edits(rendered, joins, region.edits)
        return self.region.settle(rendered, region, lambda t: cut(t) != t, meta["url"], joined)

    def _from_html(self, raw: str, url: str | None) -> _Source:
        """decode → parse → detect → DOM rules → block text: the text the text rules see."""
        root = parse(raw)
        head = head_metadata(root)
        prov: dict[str, Any] = {"text_source": "html", "html_chars": len(raw)}
        full_text = None
        if self.site:
            detection = Detection(self.site, "forced")
        elif site := self.detector.by_url(url):
            detection = Detection(site, "url")
        else:
            detection = Detection(None, None)
            for by, link in (("canonical", head.canonical), ("og:url", head.og.get("url"))):
                if site := self.detector.by_url(link):
                    detection = Detection(site, by)
                    break
            if detection.site is None:
                full_text = block_text(dom.body_of(root))
                site = self.detector.by_content(full_text, self.rule_timeout)
                detection = Detection(site, "fingerprint" if site else None)
        chain = self.chain(detection.site)
        content, dom_removed, dropped = dom.apply_rules(root, chain.dom_rules)
        text = block_text(content, skip=dropped)
        return _Source(
            text,
            detection,
            len(text),
            html=prov,
            head=head,
            full_text=full_text,
            dom_removed=dom_removed,
            tree=root,
        )

    def _removed_chrome_text(self, src: _Source, chain: _Chain, meta: dict[str, Any]) -> str | None:
        """The whole page's text, when a capture still missing could match what DOM rules removed.

        Most pages need no second walk: the text of the removed nodes holds none of the strings
        the missing captures need.
        """
        removed = "\n".join(d.raw for d in src.dom_removed or ())
        if not removed:
            return None
        for pack in chain.packs:
            for rule in pack.meta:
                if (
                    rule.source == "page"
                    and meta.get(rule.field) is None
                    and rule.pattern.may_match(removed)
                ):
                    return block_text(dom.body_of(src.tree))
        return None


def _memo(cut: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """`cut`, remembering its answers for one page (the title is cut in each pass)."""
    seen: dict[str, str | None] = {}

    def cached(title: str) -> str | None:
        if title not in seen:
            seen[title] = cut(title)
        return seen[title]

    return cached


def rebuild(source: str, removed: Iterable[dict[str, Any] | Removal]) -> str:
    """The clean text rebuilt from the input and the provenance spans."""
    spans = [r if isinstance(r, Removal) else Removal(**r) for r in removed]
    return apply(source, spans)


def _pack_entry(pack: Pack) -> dict[str, Any]:
    entry: dict[str, Any] = {"pack": pack.id, "sha256": pack.sha256}
    if pack.learned:
        entry["learned"] = True
    return entry


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _stable_id(origin: dict[str, Any] | None, input_sha: str) -> str:
    if origin:
        key = json.dumps(origin, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return input_sha[:16]
