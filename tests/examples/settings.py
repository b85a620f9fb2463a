# settings.py of a Scrapy project whose items go through cleaner
BOT_NAME = "docs"
ROBOTSTXT_OBEY = True

ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}
CLEANER_RULES = []  # folders of your own rule packs, beside the bundled ones
CLEANER_SITE = None  # None: each page's site is detected; "book118": that pack for every page
CLEANER_INPUT_FIELD = None  # None: the item's `html` field, else its `text` field
CLEANER_URL_FIELD = "url"
CLEANER_ENCODING_FIELD = "encoding"  # the charset of an `html` field that holds bytes
CLEANER_OUTPUT_FIELDS = ["text", "metadata", "provenance"]
CLEANER_ON_ERROR = "drop"  # "keep": the item goes on, its error record in `error`
CLEANER_PAGE_TIMEOUT = 60  # seconds one page may take (0: no limit)

# the clean records, one JSON line each, without the raw page
FEEDS = {
    "clean.jsonl": {
        "format": "jsonlines",
        "encoding": "utf8",
        "fields": ["url", "text", "metadata", "provenance"],
    }
}
