import scrapy

from cleaner.integrations.scrapy import declared_encoding


class DocsSpider(scrapy.Spider):
    """Follows every link of a listing page and hands each document page to cleaner."""

    name = "docs"

    def __init__(self, start_url: str = "https://max.book118.com/", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start_url]

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_page)

    def parse_page(self, response):
        # the raw bytes and the charset the server declared: cleaner decodes the page itself
        yield {"url": response.url, "html": response.body, "encoding": declared_encoding(response)}
