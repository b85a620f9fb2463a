"""Which pages a report shows: those worth a look first (flagged, the largest share removed,
the region model's closest calls) and a random sample of the rest.

Each kind is a heap of fixed size and the sample a reservoir (seeded, so the same run gives the
same report): memory holds a fixed number of records, however long the run.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from typing import Any

from .tally import flags_of

# how much a flag asks for a look; a flag not named here weighs DEFAULT_FLAG_WEIGHT
FLAG_WEIGHT = {"empty": 4, "rule_removed_most": 3, "encoding_loss": 2, "truncated": 1}
DEFAULT_FLAG_WEIGHT = 1
REGION_THRESHOLD = 0.5  # when a record's region block does not name its threshold


@dataclass(slots=True)
class Pick:
    """A page the report shows, and why."""

    record: dict[str, Any]
    where: str
    seq: int  # its place among the run's output records
    reasons: list[str] = field(default_factory=list)


def removed_share(provenance: dict[str, Any]) -> float:
    chars_in, chars_out = provenance.get("chars_in"), provenance.get("chars_out")
    if not isinstance(chars_in, int) or not isinstance(chars_out, int) or chars_in <= 0:
        return 0.0
    return (chars_in - chars_out) / chars_in


def flag_weight(flags: list[str]) -> int:
    return max((FLAG_WEIGHT.get(f.split(":")[0], DEFAULT_FLAG_WEIGHT) for f in flags), default=0)


def region_calls(provenance: dict[str, Any]) -> list[dict[str, Any]]:
    """The region model's decisions nearest its threshold, as the record lists them."""
    region = provenance.get("region")
    calls = region.get("uncertain") if isinstance(region, dict) else None
    if not isinstance(calls, list):
        return []
    return [u for u in calls if isinstance(u, dict) and isinstance(u.get("p"), int | float)]


def closest_call(provenance: dict[str, Any]) -> tuple[dict[str, Any], float] | None:
    """The region model's decision nearest its threshold on this page, and how near."""
    threshold = (provenance.get("region") or {}).get("threshold", REGION_THRESHOLD)
    if not isinstance(threshold, int | float):
        threshold = REGION_THRESHOLD
    near = [(u, abs(u["p"] - threshold)) for u in region_calls(provenance)]
    return min(near, key=lambda c: c[1], default=None)


class Picker:
    """Offered every output record once; keeps `n` of each kind worth a look and a sample."""

    def __init__(self, n: int, seed: int = 0):
        self.n = n
        self._seen = 0
        self._flagged: list[tuple] = []
        self._share: list[tuple] = []
        self._unsure: list[tuple] = []
        self._sample: list[tuple] = []
        self._rng = random.Random(seed)

    def offer(self, record: dict[str, Any], where: str) -> None:
        if self.n <= 0:
            return
        self._seen += 1
        seq, prov = self._seen, record["provenance"]
        flags = flags_of(prov)
        share = removed_share(prov)
        if weight := flag_weight(flags):
            self._keep(self._flagged, (weight, share), seq, where, record)
        if share > 0:
            self._keep(self._share, share, seq, where, record)
        if (closest := closest_call(prov)) is not None:
            self._keep(self._unsure, -closest[1], seq, where, record)
        # a reservoir of 2n: up to n of it may be shown as worth a look, n are left
        item = (seq, where, record)
        if len(self._sample) < 2 * self.n:
            self._sample.append(item)
        elif (j := self._rng.randrange(self._seen)) < 2 * self.n:
            self._sample[j] = item

    def _keep(self, heap: list[tuple], key: Any, seq: int, where: str, record: dict) -> None:
        item = (key, -seq, where, record)  # on equal keys the earlier record stays
        if len(heap) < self.n:
            heapq.heappush(heap, item)
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)

    def look_first(self) -> list[Pick]:
        """Up to n pages, taken in turn from each kind, best first; each says all its reasons."""
        kinds = [
            sorted(h, key=lambda t: t[:2], reverse=True)
            for h in (self._flagged, self._share, self._unsure)
        ]
        picks: dict[int, Pick] = {}
        for rank in range(self.n):
            for kind in kinds:
                if rank < len(kind) and len(picks) < self.n:
                    _, neg_seq, where, record = kind[rank]
                    picks.setdefault(-neg_seq, Pick(record, where, -neg_seq))
        for pick in picks.values():
            pick.reasons = reasons(pick.record)
        return list(picks.values())

    def sample(self, shown: set[int]) -> list[Pick]:
        """Up to n other pages, drawn at random, in run order."""
        rest = [item for item in self._sample if item[0] not in shown]
        drawn = sorted(self._rng.sample(rest, min(self.n, len(rest))), key=lambda t: t[0])
        return [Pick(record, where, seq, ["random sample"]) for seq, where, record in drawn]


def reasons(record: dict[str, Any]) -> list[str]:
    """Why a page is worth a look, in words."""
    prov = record["provenance"]
    out = []
    flags = flags_of(prov)
    if flag_weight(flags):
        out.append("flagged: " + ", ".join(flags))
    if (share := removed_share(prov)) > 0:
        out.append(f"removed {share:.0%} of its text")
    if (closest := closest_call(prov)) is not None:
        call = closest[0]
        kept = "removed" if call.get("removed") else "kept"
        out.append(f"region model's closest call: p(chrome) {call['p']:.2f}, {kept}")
    return out
