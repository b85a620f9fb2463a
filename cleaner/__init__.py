"""cleaner: clean document text, with provenance, from scraped document-hosting pages."""

from ._version import __version__
from .errors import CleanerError, PackError, PageError, RuleTimeout
from .page import Cleaned, Page, Removal
from .pipeline import Cleaner, rebuild

__all__ = [
    "Cleaned",
    "Cleaner",
    "CleanerError",
    "PackError",
    "Page",
    "PageError",
    "Removal",
    "RuleTimeout",
    "__version__",
    "rebuild",
]
