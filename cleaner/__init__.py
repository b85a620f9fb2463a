"""cleaner: clean document text, with provenance, from scraped document-hosting pages."""

__version__ = "0.1.0"

from .errors import CleanerError, PackError, PageError
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
    "__version__",
    "rebuild",
]
