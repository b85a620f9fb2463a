"""Readers: every input record becomes a `Page`, a `ReadError` or a counted `Skipped`, never
silence.

The formats live in their own modules (`sniff`, `files`, `jsonl`, `warc`); this module is the
entry point the rest of the package uses.
"""

from __future__ import annotations

from .base import MB, Entry, ReadError, ReadOptions, Skipped
from .files import SKIP_NAMES, read_file, read_inputs, read_stream, walk
from .sniff import FORMATS

__all__ = [
    "FORMATS",
    "MB",
    "SKIP_NAMES",
    "Entry",
    "ReadError",
    "ReadOptions",
    "Skipped",
    "read_file",
    "read_inputs",
    "read_stream",
    "walk",
]
