"""One page of a batch: cleaned into its output line or turned into its error record, never
raised; the page time limit (SIGALRM) lives here too."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import CleanerError, PageError
from ..io.readers import ReadError, Skipped
from ..io.writers import json_line
from ..page import Cleaned, Page


class PageTimeout(PageError):
    """A page took longer than the per-page time limit."""

    kind = "page_timeout"


def error_record(
    origin: dict[str, Any] | None, kind: str, message: str, id: str | None = None
) -> dict[str, Any]:
    return {"id": id, "origin": origin, "error": kind, "message": message}


# what cleaning one entry gives: ("ok", json line, site, chars_in, chars_out),
# ("error", error record) or ("skipped", what the record is)
Result = tuple


def _on_alarm(signum: int, frame: Any) -> None:
    raise PageTimeout("timeout")


_alarm_on = False  # inside `page_alarm`: SIGALRM ends a page that runs past its time limit


@contextmanager
def page_alarm(timeout: float | None) -> Iterator[None]:
    """Let `clean_entry` time pages out with SIGALRM while this is open: the handler is set
    once for a run of pages, not once a page, and the caller's handler comes back after."""
    global _alarm_on
    if not timeout or not hasattr(signal, "setitimer"):
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread gets signals: pages there run without a time limit
        return
    previous, was_on = signal.signal(signal.SIGALRM, _on_alarm), _alarm_on
    _alarm_on = True
    try:
        yield
    finally:
        _alarm_on = was_on
        signal.signal(signal.SIGALRM, previous)


def clean_one(
    cleaner: Any, page: Page, timeout: float | None, timeout_option: str = "--page-timeout"
) -> Cleaned | dict[str, Any]:
    """One page cleaned, or its error record; never raises. The page time limit holds inside
    `page_alarm`; its error names `timeout_option`, the setting that changes it."""
    alarm = bool(timeout) and _alarm_on
    try:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return cleaner.clean_page(page)
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except PageTimeout:
        msg = f"cleaning took longer than the {timeout:g}s page time limit ({timeout_option})"
        return error_record(page.origin, "page_timeout", msg, page.id)
    except CleanerError as e:
        return error_record(page.origin, e.kind, str(e), page.id)
    except RecursionError:
        return error_record(page.origin, "too_deep", "the page nests too deep", page.id)
    except MemoryError:
        return error_record(page.origin, "no_memory", "out of memory", page.id)
    except Exception as e:  # a bug on one page must not end a week-long run
        msg = f"internal error: {type(e).__name__}: {e}"
        return error_record(page.origin, "internal_error", msg[:500], page.id)


def clean_entry(cleaner: Any, item: Page | ReadError | Skipped, timeout: float | None) -> Result:
    """Clean one page into its JSON line, or give its error record; never raises."""
    if isinstance(item, ReadError):
        return ("error", error_record(item.origin, item.kind, item.message, item.id))
    if isinstance(item, Skipped):
        return ("skipped", item.why)
    cleaned = clean_one(cleaner, item, timeout)
    if isinstance(cleaned, dict):
        return ("error", cleaned)
    prov = cleaned.provenance
    site = cleaned.metadata.get("site") or "unknown"
    line = json_line(cleaned.to_dict())
    return ("ok", line, site, prov.get("chars_in", 0), prov.get("chars_out", 0))


def failed_result(item: Page | ReadError | Skipped, why: str) -> Result:
    if isinstance(item, Skipped):  # never cleaned, so it cannot have been what failed
        return ("skipped", item.why)
    kind = "page_timeout" if "timeout" in why else "worker_crashed"
    return ("error", error_record(item.origin, kind, why, item.id))
