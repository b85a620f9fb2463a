"""Bounded counting: memory grows with the candidates a group keeps, never with its pages.

`TopCounter` is a top-k counter with a floor (space-saving): it holds at most `capacity` keys;
when full, the rarer half goes and the floor rises to the largest count that went. A key met
again later starts from the floor, which is also its possible error, so `seen` (count minus
error) never over-counts: a line on a third of a million pages is found, a line on one page is
forgotten. `BottomK` keeps the k items with the smallest hashes: a fixed-size sample that does
not depend on the order of the input.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar


class Tally:
    """What a counter knows of one key: its count (floor included) and its possible error."""

    __slots__ = ("count", "error")

    def __init__(self) -> None:
        self.count = 0
        self.error = 0

    @property
    def seen(self) -> int:
        """Occurrences counted while the key was kept: a lower bound of the true count."""
        return self.count - self.error


T = TypeVar("T", bound=Tally)


class TopCounter(Generic[T]):
    """At most `capacity` keys, each with a `Tally` (made by `make`) that the caller extends."""

    def __init__(self, capacity: int, make: Callable[[], T]):
        self.capacity = max(2, capacity)
        self.make = make
        self.items: dict[str, T] = {}
        self.floor = 0

    def hit(self, key: str) -> T:
        """Count one occurrence of `key` and return its tally."""
        tally = self.items.get(key)
        if tally is None:
            if len(self.items) >= self.capacity:
                self._evict()
            tally = self.items[key] = self.make()
            tally.count = tally.error = self.floor
        tally.count += 1
        return tally

    def get(self, key: str) -> T | None:
        return self.items.get(key)

    def _evict(self) -> None:
        counts = sorted(t.count for t in self.items.values())
        cut = counts[len(counts) // 2]
        self.items = {k: t for k, t in self.items.items() if t.count > cut}
        self.floor = max(self.floor, cut)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[tuple[str, T]]:
        return iter(self.items.items())


V = TypeVar("V")


class BottomK(Generic[V]):
    """The `k` keys with the smallest hashes seen, each with the value it first came with."""

    def __init__(self, k: int):
        self.k = k
        self.items: dict[int, tuple[str, V]] = {}
        self._max = -1

    def add(self, key: str, value: V) -> None:
        h = zlib.crc32(key.encode("utf-8", "surrogatepass"))
        if h in self.items or (len(self.items) >= self.k and h >= self._max):
            return
        self.items[h] = (key, value)
        if len(self.items) > self.k:
            del self.items[max(self.items)]
        self._max = max(self.items)

    def __iter__(self) -> Iterator[tuple[str, V]]:
        return (self.items[h] for h in sorted(self.items))

    def __len__(self) -> int:
        return len(self.items)
