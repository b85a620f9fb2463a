"""A learned pack as a file a person reads, edits and commits: TOML with a comment on every
rule saying how many of the group's pages it was seen on, compiled by the same loader as every
other pack (so it passes `cleaner rules check`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from ..errors import PackError
from ..rulebook.load import pack_from_bytes
from ..rulebook.types import Pack
from .draft import Draft, Proposal

HEADER = """\
# Learned by `cleaner learn` from {pages} pages of {what}.
# A draft: read each rule, edit or delete it, then commit the pack. Each rule says on how many
# of the pages it was seen; its examples come from the pages, its keeps from their body lines.
"""


def toml_value(value: Any) -> str:
    """A TOML value: strings as literal strings where they can be (regexes stay readable)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    text = str(value)
    if "'" not in text and all(c == "\t" or (c >= " " and c != "\x7f") for c in text):
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


@dataclass(frozen=True)
class Identity:
    """Who a learned pack is: its id and name, what it was learned from (for its header), its
    domains and the pack it extends."""

    id: str
    name: str
    what: str  # "example.com", "one template (12 pages without a URL)"
    pages: int
    domains: tuple[str, ...] = ()
    extends: str | None = None


def site_table(who: Identity, fingerprints: list[str]) -> list[str]:
    lines = ["[site]", f"id = {toml_value(who.id)}", f"name = {toml_value(who.name)}"]
    if who.domains:
        lines.append(f"domains = {toml_value(list(who.domains))}")
    if fingerprints:
        lines.append("# its most frequent learned lines: they find the site when a page has no URL")
        lines.append(f"fingerprints = {toml_value(fingerprints)}")
    if who.extends:
        lines.append(f"# its rules run after those of '{who.extends}' on that site's pages")
        lines.append(f"extends = {toml_value(who.extends)}")
    lines.append("learned = true")
    return lines


def rule_table(p: Proposal, pages: int) -> list[str]:
    lines = [f"# seen on {p.support} of {pages} pages", f"[[{p.table}]]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in p.keys.items()]
    return lines


def render(who: Identity, draft: Draft) -> str:
    """The pack's TOML text."""
    parts = [HEADER.format(pages=who.pages, what=who.what).rstrip("\n")]
    parts.append("\n".join(site_table(who, draft.fingerprints)))
    if draft.title_glued:
        parts.append(
            f"# seen on {draft.title_glued} of {who.pages} pages: the title glued to the text's"
            " first word\n[title]\nglued = true"
        )
    order = {"meta": 0, "text": 1, "html": 2}
    for p in sorted(draft.rules, key=lambda p: order[p.table]):
        parts.append("\n".join(rule_table(p, who.pages)))
    return "\n\n".join(parts) + "\n"


def compile_draft(who: Identity, draft: Draft) -> tuple[str, Pack, list[str]]:
    """The pack's text, the pack compiled from it, and why the loader refused the rules it
    left out (an example its own pattern misses, say): the pack always loads."""
    alone = replace(who, domains=(), extends=None)
    kept: list[Proposal] = []
    refused: list[str] = []
    for p in draft.rules:
        try:
            pack_from_bytes(render(alone, Draft([p])).encode("utf-8"), who.id)
        except PackError as e:
            refused.append(str(e))
            continue
        kept.append(p)
    text = render(who, replace(draft, rules=kept))
    return text, pack_from_bytes(text.encode("utf-8"), f"{who.id}.toml"), refused
