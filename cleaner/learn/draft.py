"""What is learned for one group before it is written: rules as TOML tables with their support."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Proposal:
    """One rule of a learned pack: its TOML table, its keys in order, and its support."""

    table: str  # "text", "meta" or "html"
    keys: dict[str, Any]
    support: int  # pages it was seen on
    # what it stands for: line shapes (a block: several), a label, or a DOM node's text
    lines: tuple[str, ...] = ()


@dataclass
class Draft:
    """Everything learned for one group."""

    rules: list[Proposal] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    title_glued: int = 0  # pages that show the title glued to the text (0: not learned)


def unique_name(names: set[str], name: str) -> str:
    """`name`, or `name-2`, `name-3`… when it is taken (and then taken)."""
    base, n = name, 2
    while name in names:
        name = f"{base}-{n}"
        n += 1
    names.add(name)
    return name


def unique_ids(rules: list[Proposal]) -> None:
    """Rename rules whose id an earlier rule has: ids are unique in a pack."""
    names: set[str] = set()
    for p in rules:
        if "id" in p.keys:
            p.keys["id"] = unique_name(names, p.keys["id"])
