"""The accounts of a run, read back from its records: per site, per rule, per flag, per error
kind. Memory grows with the number of distinct sites, rules, flags and error kinds (each table
capped), never with the number of records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .records import Record, Unreadable

MAX_ROWS = 500  # distinct rows a table keeps; the rest share one row, OTHERS
MAX_HOSTS = 100  # hosts without a pack named one by one
EXAMPLES = 3  # error records and unreadable lines kept to show, per kind
OTHERS = "(others)"
OTHER_HOSTS = "(no pack) other hosts"


@dataclass(slots=True)
class SiteRow:
    pages: int = 0
    chars_in: int = 0
    chars_out: int = 0
    dom_chars: int = 0  # text characters that DOM rules removed from HTML pages
    by: Counter = field(default_factory=Counter)  # what cleaned its pages (`cleaned_by`)
    found: Counter = field(default_factory=Counter)  # how their site was found (`found_by`)

    @property
    def removed(self) -> int:
        return self.chars_in - self.chars_out


@dataclass(slots=True)
class RuleRow:
    kind: str  # "text", "DOM", "region" or "normalize"
    pages: int = 0
    chars: int = 0  # net characters removed (an inserted line break counts against its span)
    nodes: int = 0  # DOM rules: elements dropped


def site_of(record: dict[str, Any]) -> str:
    """The site a record belongs to: its pack, else `(no pack) host`."""
    prov, meta = record.get("provenance") or {}, record.get("metadata") or {}
    site = (prov.get("detection") or {}).get("site") or meta.get("site")
    if site:
        return str(site)
    try:
        host = urlsplit(str(meta.get("url") or "")).hostname
    except ValueError:  # a URL from the input that does not parse
        host = None
    return f"(no pack) {host}" if host else "(no pack, no host)"


def cleaned_by(record: dict[str, Any]) -> str:
    """What cleaned a page: `pack`, `learned pack` (learned from the site's own pages) or
    `generic` (no pack matched), each `+ region model` when the content-region model ran."""
    prov = record.get("provenance") or {}
    site = (prov.get("detection") or {}).get("site") or (record.get("metadata") or {}).get("site")
    if site:
        packs = [p for p in prov.get("rules") or () if isinstance(p, dict)]
        learned = any(p.get("learned") for p in packs if p.get("pack") == site)
        how = "learned pack" if learned else "pack"
    else:
        how = "generic"
    return how + " + region model" if prov.get("region") is not None else how


def found_by(record: dict[str, Any]) -> str:
    """How a page's site was found: url, canonical, og:url, fingerprint, forced, or none."""
    detection = (record.get("provenance") or {}).get("detection") or {}
    return str(detection.get("by") or "none")


def flags_of(provenance: dict[str, Any]) -> list[str]:
    flags = provenance.get("flags")
    return [str(f) for f in flags] if isinstance(flags, list) else []


def rule_kind(rule: str) -> str:
    head = rule.split("/", 1)[0]
    return head if head in ("region", "normalize") else "text"


def net_removed(span: dict[str, Any]) -> int:
    return span["end"] - span["start"] - len(span.get("insert") or "")


class Tally:
    """Counts every record it is given; `records_in == cleaned + errors` by construction."""

    def __init__(self) -> None:
        self.cleaned = 0
        self.errors = 0
        self.chars_in = 0
        self.chars_out = 0
        self.html_pages = 0
        self.dom_chars = 0
        self.sites: dict[str, SiteRow] = {}
        self.rules: dict[str, RuleRow] = {}
        self.flags: Counter = Counter()
        self.error_kinds: Counter = Counter()
        self.error_examples: dict[str, list[Record]] = {}
        self.unreadable = 0
        self.unreadable_examples: list[Unreadable] = []
        self._hosts = 0

    @property
    def records_in(self) -> int:
        return self.cleaned + self.errors

    def add(self, item: Record | Unreadable) -> None:
        if isinstance(item, Unreadable):
            self.unreadable += 1
            if len(self.unreadable_examples) < EXAMPLES:
                self.unreadable_examples.append(item)
        elif item.kind == "page":
            self._page(item.data)
        else:
            self._error(item)

    def _page(self, record: dict[str, Any]) -> None:
        prov = record["provenance"]
        chars_in, chars_out = _int(prov.get("chars_in")), _int(prov.get("chars_out"))
        self.cleaned += 1
        self.chars_in += chars_in
        self.chars_out += chars_out
        site = self._site(record)
        site.pages += 1
        site.chars_in += chars_in
        site.chars_out += chars_out
        site.by[cleaned_by(record)] += 1
        site.found[found_by(record)] += 1
        per_rule: dict[str, int] = {}
        for span in spans_of(prov):
            per_rule[span["rule"]] = per_rule.get(span["rule"], 0) + net_removed(span)
        for rule, chars in per_rule.items():
            row = self.rules.get(rule) or self._rule(rule, rule_kind(rule))
            row.pages += 1
            row.chars += chars
        if prov.get("text_source") == "html":
            self.html_pages += 1
        for d in _dicts(prov.get("dom_removed")):
            row = self._rule(str(d.get("rule")), "DOM")
            row.pages += 1
            row.chars += _int(d.get("chars"))
            row.nodes += _int(d.get("nodes"))
            site.dom_chars += _int(d.get("chars"))
            self.dom_chars += _int(d.get("chars"))
        for flag in flags_of(prov):
            self.flags[_capped(self.flags, flag)] += 1

    def _error(self, item: Record) -> None:
        self.errors += 1
        kind = _capped(self.error_kinds, str(item.data.get("error")))
        self.error_kinds[kind] += 1
        examples = self.error_examples.setdefault(kind, [])
        if len(examples) < EXAMPLES:
            examples.append(item)

    def _site(self, record: dict[str, Any]) -> SiteRow:
        key = site_of(record)
        if key not in self.sites and key.startswith("(no pack) "):
            if self._hosts >= MAX_HOSTS:
                key = OTHER_HOSTS
            else:
                self._hosts += 1
        key = _capped(self.sites, key)
        if key not in self.sites:
            self.sites[key] = SiteRow()
        return self.sites[key]

    def _rule(self, rule: str, kind: str) -> RuleRow:
        row = self.rules.get(rule)
        if row is None:
            key = _capped(self.rules, rule)
            row = self.rules.setdefault(key, RuleRow(kind if key != OTHERS else "text"))
        return row

    def rules_by_removal(self) -> list[tuple[str, RuleRow]]:
        """The rules that removed the most first (then by pages, then by name)."""
        return sorted(self.rules.items(), key=lambda kv: (-kv[1].chars, -kv[1].pages, kv[0]))


def _capped(table: dict[str, Any], key: str) -> str:
    return key if key in table or len(table) < MAX_ROWS else OTHERS


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def spans_of(provenance: dict[str, Any]) -> list[dict[str, Any]]:
    """The removed spans of a record that are well formed (a damaged record shows what it can)."""
    removed = provenance.get("removed")
    if not isinstance(removed, list):
        return []
    good = []
    for s in removed:
        try:
            rule, start, end, insert = s["rule"], s["start"], s["end"], s.get("insert", "")
        except (TypeError, KeyError, AttributeError):
            continue
        if (
            type(start) is type(end) is int
            and 0 <= start <= end
            and type(rule) is type(insert) is str
        ):
            good.append(s)
    return good
