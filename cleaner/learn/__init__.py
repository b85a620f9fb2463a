"""Learning a site from its own pages: what repeats across them, with evidence that it is
chrome, becomes a draft rule pack (`cleaner learn`, `cleaner clean --learn`).

Modules by job: `group` (site or template of a page), `counter` (bounded counting), `observe`
(one page's lines and their place), `stats` (a group's counts), `shape` (lines generalised into
patterns), `evidence` (the safety rule), `propose` (counts to text rules), `captures` (labels,
fields and titles), `nodes` (HTML subtree rules), `draft` and `pack` (the rules as the TOML a
person reads), `run` (the passes).
"""

from .config import LearnConfig, load_config
from .run import (
    GROUP_BY,
    GroupResult,
    Learner,
    LearnOptions,
    LearnReport,
    learn,
    learn_sources,
    learn_then_clean,
)

__all__ = [
    "GROUP_BY",
    "GroupResult",
    "LearnConfig",
    "LearnOptions",
    "LearnReport",
    "Learner",
    "learn",
    "learn_sources",
    "learn_then_clean",
    "load_config",
]
