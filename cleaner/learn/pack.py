"""A learned pack as a file a person reads, edits and commits: TOML with a comment on every
rule saying how many of the group's pages it was seen on, compiled by the same loader as every
other pack (so it passes `cleaner rules check`)."""

from __future__ import annotations

import json
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


def site_table(
    pack_id: str,
    name: str,
    domains: list[str],
    fingerprints: list[str],
    extends: str | None,
) -> list[str]:
    lines = ["[site]", f"id = {toml_value(pack_id)}", f"name = {toml_value(name)}"]
    if domains:
        lines.append(f"domains = {toml_value(domains)}")
    if fingerprints:
        lines.append("# its most frequent learned lines: they find the site when a page has no URL")
        lines.append(f"fingerprints = {toml_value(fingerprints)}")
    if extends:
        lines.append(f"# its rules run after those of the pack '{extends}' on that site's pages")
        lines.append(f"extends = {toml_value(extends)}")
    lines.append("learned = true")
    return lines


def rule_table(p: Proposal, pages: int) -> list[str]:
    lines = [f"# seen on {p.support} of {pages} pages"]
    lines.append(f"[[{p.table}]]")
    lines += [f"{k} = {toml_value(v)}" for k, v in p.keys.items()]
    return lines


def render(
    pack_id: str,
    name: str,
    what: str,
    pages: int,
    draft: Draft,
    domains: list[str],
    extends: str | None = None,
) -> str:
    """The pack's TOML text."""
    parts = [HEADER.format(pages=pages, what=what).rstrip("\n")]
    parts.append("\n".join(site_table(pack_id, name, domains, draft.fingerprints, extends)))
    if draft.title_glued:
        parts.append(
            f"# seen on {draft.title_glued} of {pages} pages: the title glued to the text's"
            " first word\n[title]\nglued = true"
        )
    order = {"meta": 0, "text": 1, "html": 2}
    for p in sorted(draft.rules, key=lambda p: order[p.table]):
        parts.append("\n".join(rule_table(p, pages)))
    return "\n\n".join(parts) + "\n"


def compile_draft(
    pack_id: str,
    name: str,
    what: str,
    pages: int,
    draft: Draft,
    domains: list[str],
    extends: str | None = None,
) -> tuple[str, Pack]:
    """The pack's text and the pack compiled from it. A rule the loader refuses (an example
    its own pattern misses, say) is left out, so the pack always loads."""
    kept: list[Proposal] = []
    for p in draft.rules:
        single = Draft([p], [], 0)
        try:
            pack_from_bytes(render(pack_id, name, what, pages, single, []).encode(), pack_id)
        except PackError:
            continue
        kept.append(p)
    draft = Draft(kept, draft.fingerprints, draft.title_glued)
    text = render(pack_id, name, what, pages, draft, domains, extends)
    return text, pack_from_bytes(text.encode("utf-8"), f"{pack_id}.toml")
