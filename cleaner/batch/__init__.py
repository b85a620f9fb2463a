"""Many pages: readers in, one output or error record per input out, in input order, with
workers, a journal to resume from, and the accounts of the run."""

from .entry import PageTimeout, clean_entry, clean_one, error_record, page_alarm
from .job import Job, JobError, JobOptions, default_workers, describe_error
from .runner import accounted, page_size, run
from .summary import Progress, Summary

__all__ = [
    "Job",
    "JobError",
    "JobOptions",
    "PageTimeout",
    "Progress",
    "Summary",
    "accounted",
    "clean_entry",
    "clean_one",
    "default_workers",
    "describe_error",
    "error_record",
    "page_alarm",
    "page_size",
    "run",
]
