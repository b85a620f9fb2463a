"""Learning a dump: pages stream in, each is cleaned with the packs in use and counted in its
group; at the end every group with enough pages gets a draft pack. `learn_then_clean` is the
first pass of `cleaner clean --learn`: it gives the `Cleaner` with the learned packs added."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..describe.detect import host_of
from ..engine.rx import Rx, matching_view
from ..errors import CleanerError
from ..io.readers import Entry, ReadError, ReadOptions, Skipped, read_inputs
from ..page import Page
from ..pipeline import Cleaner
from ..rulebook.types import Pack
from .config import LearnConfig, load_config
from .draft import Proposal, unique_ids
from .group import Templates, removed_lines, site_of
from .nodes import observe_nodes
from .observe import observe
from .pack import Identity, compile_draft
from .propose import propose
from .stats import GroupStats

GROUP_BY = ("host", "template")
MAX_GROUPS = 5000  # groups followed at once; the smallest give their place up


@dataclass
class LearnOptions:
    """`group_by`: "host" (the site of the URL; pages without one by template) or "template"
    (every page by template); `min_pages`: a group with fewer pages gets no pack."""

    group_by: str = "host"
    min_pages: int | None = None  # None: the configuration's (5)
    config: LearnConfig | None = None


@dataclass
class GroupResult:
    """One group: its pages, and its learned pack (or why it has none)."""

    key: str
    pages: int
    hosts: list[str]
    pack: Pack | None = None
    text: str | None = None  # the pack as TOML
    why: str | None = None  # why there is no pack
    refused: list[str] = field(default_factory=list)  # learned rules the pack checks refused

    @property
    def rules(self) -> int:
        p = self.pack
        return len(p.text) + len(p.meta) + len(p.html) if p is not None else 0


@dataclass
class LearnReport:
    """Every group of the input and what was learned for it, and the input's accounts."""

    groups: list[GroupResult] = field(default_factory=list)
    records: int = 0
    errors: Counter = field(default_factory=Counter)
    skipped: int = 0
    dropped_pages: int = 0  # pages of small groups given up to keep memory bounded

    @property
    def packs(self) -> list[Pack]:
        return [g.pack for g in self.groups if g.pack is not None]

    def lines(self) -> list[str]:
        """What the summary says: the groups that got a pack and their rule counts, the others."""
        learned = [g for g in self.groups if g.pack is not None]
        out = []
        if learned:
            out.append(
                "learned packs: "
                + ", ".join(f"{g.key} {g.rules} rules ({g.pages:,} pages)" for g in learned)
            )
        rest = [g for g in self.groups if g.pack is None]
        if rest:
            shown = ", ".join(f"{g.key} ({g.pages:,} pages: {g.why})" for g in rest[:10])
            more = f", and {len(rest) - 10:,} more" if len(rest) > 10 else ""
            out.append(f"no pack learned: {shown}{more}")
        if not self.groups:
            out.append("no pack learned: no pages")
        if self.errors:
            kinds = ", ".join(f"{k} {n:,}" for k, n in self.errors.most_common())
            out.append(f"learning passed over records it could not read or clean: {kinds}")
        refused = [g for g in self.groups if g.refused]
        if refused:
            counts = ", ".join(f"{g.key} {len(g.refused)}" for g in refused)
            out.append(f"learned rules the pack checks refused, left out: {counts}")
        if self.dropped_pages:
            out.append(
                f"learning gave up {self.dropped_pages:,} pages of small groups"
                f" (over {MAX_GROUPS:,} groups at once)"
            )
        return out

    def write(self, folder: str | Path, force: bool = False) -> list[Path]:
        """Write each pack as `folder/<id>.toml`; refuses to overwrite a pack without `force`."""
        folder = Path(folder)
        targets = [(folder / f"{g.pack.id}.toml", g) for g in self.groups if g.pack is not None]
        existing = [str(p) for p, _ in targets if p.exists()]
        if existing and not force:
            raise CleanerError(f"{', '.join(existing)} exists: use --force to overwrite")
        if targets:
            folder.mkdir(parents=True, exist_ok=True)
        for path, g in targets:
            path.write_text(g.text or "", encoding="utf-8")
        return [p for p, _ in targets]


class Learner:
    """Feeds pages to their groups; `finish` drafts the packs."""

    def __init__(self, cleaner: Cleaner, options: LearnOptions | None = None):
        self.cleaner = cleaner
        self.options = options or LearnOptions()
        if self.options.group_by not in GROUP_BY:
            raise CleanerError(f"--group-by is one of {', '.join(GROUP_BY)}")
        self.cfg = self.options.config or load_config()
        self.min_pages = self.options.min_pages or self.cfg.group_min_pages
        self.groups: dict[str, GroupStats] = {}
        self.templates = Templates(self.cfg)
        self.report = LearnReport()

    def add_entry(self, entry: Entry | Page) -> None:
        item = entry[0] if isinstance(entry, tuple) else entry
        if isinstance(item, Skipped):
            self.report.skipped += 1
            return
        self.report.records += 1
        if isinstance(item, ReadError):
            self.report.errors[item.kind] += 1
            return
        try:
            self.add(item)
        except CleanerError as e:
            self.report.errors[e.kind] += 1
        except RecursionError:
            self.report.errors["too_deep"] += 1
        except Exception:  # a bug met on one page must not end the learning of a dump
            self.report.errors["internal_error"] += 1

    def add(self, page: Page) -> None:
        cleaned = self.cleaner.clean_page(page)
        url = page.url or cleaned.metadata.get("url")
        key = site_of(url) if self.options.group_by == "host" else None
        if key is None:
            key = self.templates.assign(cleaned.source_text, removed_lines(cleaned))
        stats = self.groups.get(key)
        if stats is None:
            if len(self.groups) >= MAX_GROUPS:
                self._shrink()
            stats = self.groups[key] = GroupStats(key, self.cfg)
        site = cleaned.provenance.get("detection", {}).get("site")
        stats.add(observe(cleaned, self.cfg), site, host_of(url))
        if cleaned.provenance.get("text_source") == "html":
            observe_nodes(stats, page, cleaned, self.cleaner, self.cfg)

    def _shrink(self) -> None:
        """Give up the smaller half of the groups: memory stays bounded however many sites."""
        sizes = sorted(g.pages for g in self.groups.values())
        cut = sizes[len(sizes) // 2]
        for key in [k for k, g in self.groups.items() if g.pages <= cut]:
            self.report.dropped_pages += self.groups.pop(key).pages

    def finish(self) -> LearnReport:
        for key, stats in sorted(self.groups.items(), key=lambda kv: (-kv[1].pages, kv[0])):
            self.report.groups.append(self._draft(key, stats))
        return self.report

    def _draft(self, key: str, stats: GroupStats) -> GroupResult:
        hosts = [h for h, _ in stats.hosts.most_common()]
        result = GroupResult(key, stats.pages, hosts)
        if stats.pages < self.min_pages:
            result.why = f"under --min-pages {self.min_pages}"
            return result
        draft = propose(stats, self.cfg)
        if stats.nodes is not None:
            nodes = stats.nodes.propose(stats.pages, self.cfg)
            texts = [text for p in nodes for text in p.lines]
            draft.rules = [p for p in draft.rules if not _inside(p, texts)] + nodes
            unique_ids(draft.rules)
        if not draft.rules and not draft.title_glued:
            result.why = "nothing repeats with chrome evidence"
            return result
        templated = not hosts  # pages without a URL
        if templated and not draft.fingerprints:
            result.why = "no line to detect its pages by (no URL, no fingerprint)"
            return result
        site = stats.sites.most_common(1)[0][0] if stats.sites else None
        extends = site if site and site in self.cleaner.book.packs else None
        if extends and self.cleaner.book.packs[extends].always:
            extends = None
        what = key if not templated else f"one template ({stats.pages:,} pages without a URL)"
        who = Identity(
            key, f"{key} (learned)", what, stats.pages, () if templated else (key,), extends
        )
        result.text, result.pack, result.refused = compile_draft(who, draft)
        if not result.rules and not result.pack.title_glued:
            result.pack = result.text = None
            result.why = "no learned rule passed the pack checks"
        return result


def _inside(p: Proposal, texts: list[str]) -> bool:
    """A text rule that finds the text of a learned DOM node: the DOM rule drops that text."""
    if p.table != "text" or "pattern" not in p.keys:
        return False
    rx = Rx(p.keys["pattern"])
    return any(rx.search(matching_view(text)) for text in texts)


def learn(
    entries: Iterable[Entry | Page],
    cleaner: Cleaner,
    options: LearnOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> LearnReport:
    """Learn a pack for every group of pages with enough of them (one pass, bounded memory)."""
    learner = Learner(cleaner, options)
    for entry in entries:
        learner.add_entry(entry)
        if progress is not None:
            progress(learner.report.records)
    return learner.finish()


def learn_sources(
    sources: list[str],
    read: ReadOptions,
    cleaner: Cleaner,
    options: LearnOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> LearnReport:
    """`learn` over files, folders, globs and stdin (`-`) as `cleaner clean` reads them."""
    return learn(read_inputs(sources, read), cleaner, options, progress)


def learn_then_clean(
    sources: list[str],
    read: ReadOptions,
    cleaner: Cleaner,
    options: LearnOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Cleaner, LearnReport]:
    """The first pass of `clean --learn`: learn from `sources` with `cleaner`, and give the
    cleaner of the second pass: the same, with the learned packs added after its own."""
    if "-" in sources:
        raise CleanerError("--learn reads the input twice: give files, not - (stdin)")
    report = learn_sources(sources, read, cleaner, options, progress)
    return cleaner.with_packs(report.packs), report
