"""The baseline of crawl_bench.py: a bare link-following spider (every same-host <a href>, no
classification, no platform logic, no items), under the same settings as the real spider."""
from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True, "DEPTH_LIMIT": 0}

    def __init__(self, portals=None, *a, **kw):
        super().__init__(*a, **kw)
        self.portals_file = portals

    async def start(self):
        from crawler.spiders.inputs import read_portals
        for p in read_portals(self.portals_file):
            yield scrapy.Request(p["url"], callback=self.parse)

    def parse(self, response):
        self.crawler.stats.inc_value("bare/pages")
        if not hasattr(response, "css") or not response.headers.get("Content-Type", b"").startswith(b"text/html"):
            return
        host = urlsplit(response.url).netloc
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc == host:
                yield scrapy.Request(url, callback=self.parse)
