"""datatrove: `CleanerStep`, a pipeline step that cleans each `Document.text` (HTML or text) as
`cleaner clean` cleans it, for corpus pipelines run locally, on Slurm or on Ray."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

try:
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.utils.logging import logger
    from datatrove.utils.typeshelper import StatHints
except ImportError as e:  # the extra is missing: say how to get it
    raise ImportError(
        "cleaner.integrations.datatrove needs datatrove: pip install 'cleaner[datatrove]'"
    ) from e

from ..errors import CleanerError
from ..page import Page
from ..pipeline import Cleaner
from .accounts import Accounts, on_error_choice

KINDS = (None, "html", "text")


class CleanerStep(PipelineStep):
    """Cleans `Document.text` in place. The metadata (`title`, `site`, `site_name`, `url`,
    `language`, `truncated`…) goes into `Document.metadata` as flat keys, the provenance under
    `provenance_key` (None: left out). A document that cannot be cleaned is dropped, or kept as
    it came with `error` and `error_message` in its metadata (`on_error="keep"`).

    `kind`: "html" or "text" to read every document so, None to tell by its content.
    Stats: `records` = `cleaned` + `errors`, `errors/<kind>`, `site/<site>`, and datatrove's
    `forwarded` and `dropped`. Pages run under a time limit of `page_timeout` seconds where
    the step runs in a process's main thread (local and Slurm tasks).
    """

    name = "🧹 cleaner"
    type = "🧼 - CLEAN"

    def __init__(
        self,
        rules: Iterable[str | Path] = (),
        site: str | None = None,
        *,
        kind: str | None = None,
        on_error: str = "drop",
        page_timeout: float | None = 60.0,
        provenance_key: str | None = "provenance",
    ):
        super().__init__()
        if kind not in KINDS:
            raise CleanerError(f"kind must be 'html', 'text' or None, not {kind!r}")
        self.cleaner = Cleaner(rules=list(rules), site=site)
        self.kind = kind
        self.on_error = on_error_choice(on_error, "on_error")
        self.page_timeout = page_timeout
        self.provenance_key = provenance_key

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        accounts = Accounts(self.cleaner, self.stat_update, self.page_timeout, "page_timeout")
        for doc in data:
            url = doc.metadata.get("url")
            origin: dict[str, Any] = {"id": doc.id}
            if path := doc.metadata.get("file_path"):
                origin["path"] = path
            page = Page(
                doc.text,
                url=url if isinstance(url, str) else None,
                id=doc.id,
                origin=origin,
                kind=self.kind,
            )
            with self.track_time():
                outcome = accounts.clean(page)
            if isinstance(outcome, dict):
                if self.on_error == "drop":
                    self.stat_update(StatHints.dropped)
                    continue
                doc.metadata["error"] = outcome["error"]
                doc.metadata["error_message"] = outcome["message"]
            else:
                doc.text = outcome.text
                doc.metadata.update(outcome.metadata)
                if self.provenance_key:
                    doc.metadata[self.provenance_key] = outcome.provenance
                self.update_doc_stats(doc)
            self.stat_update(StatHints.forwarded)
            yield doc
        for line in accounts.summary.lines():
            logger.info(f"cleaner: {line}")
