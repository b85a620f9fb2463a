"""Scrapy: `CleanerPipeline`, an item pipeline that cleans the page an item carries into its
`text`, `metadata` and `provenance`, as `cleaner clean` cleans it.

Enable it with `ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}`; the
`CLEANER_*` settings are read once per crawler, which builds one `Cleaner` for its spider.
"""

from __future__ import annotations

import logging
from typing import Any

try:
    from itemadapter import ItemAdapter
    from scrapy.exceptions import DropItem
except ImportError as e:  # the extra is missing: say how to get it
    raise ImportError(
        "cleaner.integrations.scrapy needs Scrapy: pip install 'cleaner[scrapy]'"
    ) from e

from ..errors import CleanerError
from ..io.warc import charset
from ..page import Cleaned, Page
from ..pipeline import Cleaner
from .accounts import Accounts, on_error_choice

OUTPUT_FIELDS = ("text", "metadata", "provenance")
logger = logging.getLogger(__name__)


def declared_encoding(response: Any) -> str | None:
    """The charset the server declared in the response's `Content-Type`, or None.

    Not `response.encoding`: where neither the header nor the page names a charset, that is
    Scrapy's guess (cp1252 before Scrapy 2.19), and a guess that happens to decode a GBK page
    is taken as its charset. With None, cleaner reads the page's `<meta>` and detects the rest.
    """
    header = response.headers.get(b"Content-Type") or b""
    return charset(header.decode("latin-1"))


class CleanerPipeline:
    """Cleans each item's page: the `html` field (bytes with the `encoding` field, or str), else
    the `text` field; sets `text`, `metadata` and `provenance`. A page that cannot be cleaned
    (binary, past its time limit, no page field) is dropped with `DropItem` naming the reason,
    or kept with its error record in `error` and the output fields None (`CLEANER_ON_ERROR`).

    Stats: `cleaner/records`, `cleaner/cleaned`, `cleaner/errors`, `cleaner/errors/<kind>`,
    `cleaner/site/<site>`.
    """

    def __init__(
        self,
        cleaner: Cleaner,
        *,
        input_field: str | None = None,
        url_field: str = "url",
        encoding_field: str = "encoding",
        output_fields: tuple[str, ...] = OUTPUT_FIELDS,
        on_error: str = "drop",
        page_timeout: float | None = 60.0,
        stats: Any = None,
    ):
        unknown = [f for f in output_fields if f not in OUTPUT_FIELDS]
        if unknown or not output_fields:
            raise CleanerError(
                f"CLEANER_OUTPUT_FIELDS takes some of {', '.join(OUTPUT_FIELDS)}, not {unknown}"
            )
        # (field, kind): the default reads `html` as HTML, else `text` as text, as JSONL does;
        # a field named in the settings is read as HTML or text by its content
        self.inputs = [(input_field, None)] if input_field else [("html", "html"), ("text", "text")]
        self.url_field = url_field
        self.encoding_field = encoding_field
        self.output_fields = tuple(output_fields)
        self.on_error = on_error_choice(on_error, "CLEANER_ON_ERROR")
        self.stats = stats
        self.accounts = Accounts(cleaner, self._count, page_timeout, "CLEANER_PAGE_TIMEOUT")

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanerPipeline:
        s = crawler.settings
        cleaner = Cleaner(rules=s.getlist("CLEANER_RULES"), site=s.get("CLEANER_SITE") or None)
        return cls(
            cleaner,
            input_field=s.get("CLEANER_INPUT_FIELD") or None,
            url_field=s.get("CLEANER_URL_FIELD", "url"),
            encoding_field=s.get("CLEANER_ENCODING_FIELD", "encoding"),
            output_fields=tuple(s.getlist("CLEANER_OUTPUT_FIELDS", list(OUTPUT_FIELDS))),
            on_error=s.get("CLEANER_ON_ERROR", "drop"),
            page_timeout=s.getfloat("CLEANER_PAGE_TIMEOUT", 60.0),
            stats=crawler.stats,
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        page = self._page(adapter)
        outcome = self.accounts.clean(page) if isinstance(page, Page) else page
        if isinstance(outcome, Cleaned):
            record = outcome.to_dict()
            for name in self.output_fields:
                _set(adapter, name, record[name], "CLEANER_OUTPUT_FIELDS")
            return item
        if self.on_error == "drop":
            raise DropItem(f"cleaner: {outcome['error']}: {outcome['message']}")
        for name in self.output_fields:
            _set(adapter, name, None, "CLEANER_OUTPUT_FIELDS")
        _set(adapter, "error", outcome, "CLEANER_ON_ERROR = 'keep'")
        return item

    def close_spider(self, spider: Any = None) -> None:
        for line in self.accounts.summary.lines():
            logger.info("cleaner: %s", line)

    def _count(self, name: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"cleaner/{name}")

    def _page(self, item: ItemAdapter) -> Page | dict[str, Any]:
        url = item.get(self.url_field)
        url = url if isinstance(url, str) else None
        origin = {"url": url} if url else None
        for field, kind in self.inputs:
            content = item.get(field)
            if isinstance(content, str | bytes):
                encoding = item.get(self.encoding_field) if isinstance(content, bytes) else None
                encoding = encoding if isinstance(encoding, str) else None
                return Page(content, url=url, origin=origin, encoding=encoding, kind=kind)
        fields = " or ".join(f"'{field}'" for field, _ in self.inputs)
        message = f"the item has no {fields} field holding the page (str or bytes)"
        return self.accounts.fail(origin, "no_text", message)


def _set(item: ItemAdapter, name: str, value: Any, setting: str) -> None:
    try:
        item[name] = value
    except KeyError:
        raise CleanerError(
            f"{type(item.item).__name__} has no field '{name}': declare it on the item class,"
            f" or change {setting}"
        ) from None
