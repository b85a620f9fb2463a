"""What every integration shares: a page cleaned or turned into its error record exactly as
`cleaner clean` does it, counted in the run's `Summary` and in the framework's own stats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..batch import Summary, clean_one, error_record, page_alarm, page_size
from ..errors import CleanerError
from ..page import Cleaned, Page

ON_ERROR = ("drop", "keep")


def on_error_choice(value: str, option: str) -> str:
    if value not in ON_ERROR:
        raise CleanerError(f"{option} must be 'drop' or 'keep', not {value!r}")
    return value


class Accounts:
    """Cleans a framework's records one by one and keeps the accounts: `records` in =
    `cleaned` + `errors`, `site/<site>` for each cleaned page, `errors/<kind>` for each error.

    `count(name)` adds one to a stat of the framework; `timeout_option` is the setting that
    names the page time limit in its error message.
    """

    def __init__(
        self,
        cleaner: Any,
        count: Callable[[str], None],
        page_timeout: float | None,
        timeout_option: str,
    ):
        self.cleaner = cleaner
        self.count = count
        self.page_timeout = page_timeout or None
        self.timeout_option = timeout_option
        self.summary = Summary()

    def clean(self, page: Page) -> Cleaned | dict[str, Any]:
        """The page's `Cleaned`, or its error record; never raises."""
        self.summary.bytes_in += page_size(page)
        with page_alarm(self.page_timeout):
            outcome = clean_one(self.cleaner, page, self.page_timeout, self.timeout_option)
        if isinstance(outcome, dict):
            self._count_error(outcome["error"])
            return outcome
        site = outcome.metadata.get("site") or "unknown"
        prov = outcome.provenance
        self.summary.add_cleaned(site, prov["chars_in"], prov["chars_out"])
        for name in ("records", "cleaned", f"site/{site}"):
            self.count(name)
        return outcome

    def fail(self, origin: dict[str, Any] | None, kind: str, message: str) -> dict[str, Any]:
        """The error record of a record that holds no page, counted as an error."""
        self._count_error(kind)
        return error_record(origin, kind, message)

    def _count_error(self, kind: str) -> None:
        self.summary.add_error(kind)
        for name in ("records", "errors", f"errors/{kind}"):
            self.count(name)
