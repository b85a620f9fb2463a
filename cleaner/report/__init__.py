"""What people read about a run: `explain` (one page, in a terminal or as HTML) and the HTML
review report of a whole run (`write_report`)."""

from .build import DEFAULT_SAMPLE, ReportInfo, check_target, explain_html, write_report
from .records import ReportError

__all__ = [
    "DEFAULT_SAMPLE",
    "ReportError",
    "ReportInfo",
    "check_target",
    "explain_html",
    "write_report",
]
