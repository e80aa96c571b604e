"""The `reports` spider: every 政府信息公开工作年度报告 of a county portal and its townships.

    scrapy crawl reports                          # the bundled sample portals (served on 127.0.0.1)
    scrapy crawl reports -a url=http://www.example.gov.cn/
    scrapy crawl reports -a portals=portals.csv   # CSV with a `url` column (+ name, region_code, …) or one URL a line

It yields `DocumentItem`s (crawler/items.py) for report pages, report attachments and report
candidates that could not be fetched properly (`fetch_problem`); the parse pipeline turns them into
records. Discovery is by link text and page content (crawler.discovery), re-done on every run.
"""
from __future__ import annotations

import csv
from pathlib import Path

from crawler.discovery.scope import Scope, host_of
from crawler.spiders.base import LinkTextCrawler
from crawler.spiders.inputs import InputError, check_arguments, normalise_url, read_portals
from crawler.spiders.platforms import PLATFORMS

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples" / "portals"
# The bundled farm is served by this very process on 127.0.0.1: politeness towards ourselves is
# pointless, so its requests use their own download slot without delay (real portals are untouched).
SAMPLES_SLOT = "govreports-samples"


class ReportsSpider(*PLATFORMS.values(), LinkTextCrawler):   # one mixin per platform (the registry)
    name = "reports"
    custom_settings = {
        # Every status reaches the callbacks: 404/412/521… are counted per portal, not silently dropped.
        "HTTPERROR_ALLOW_ALL": True,
        # Navigation depth is bounded by the spider's own hop budget (base.MAX_HOPS), which does not
        # count pagination and API paging: long lists are not cut off by DEPTH_LIMIT.
        "DEPTH_LIMIT": 0,
        # A response yields at most a few items: Scrapy's default of 100 output workers per response
        # costs ~100 asyncio tasks per page for nothing (measured in benchmarks/crawl_bench.py).
        "CONCURRENT_ITEMS": 8,
    }

    def __init__(self, portals: str | None = None, url: str | None = None, samples: str | None = None,
                 *args, **kwargs):
        check_arguments({"portals": portals, "url": url, "samples": samples, **kwargs})
        super().__init__(*args, **kwargs)
        self._portals_arg, self._url_arg, self._samples_arg = portals, url, samples
        self.scopes: dict[str, Scope] = {}
        self.portal_meta: dict[str, dict] = {}
        self._seen: set = set()
        self._issued: dict[str, int] = {}
        self._server = None

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        slots.setdefault(SAMPLES_SLOT, {"concurrency": 8, "delay": 0, "jitter": 0})
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    def make_request(self, *args, **kw):
        req = super().make_request(*args, **kw)
        if req is not None and self._server is not None:
            req.meta["download_slot"] = SAMPLES_SLOT
            req.meta["autothrottle_dont_adjust_delay"] = True
        return req

    # ------------------------------------------------------------------ portals
    @classmethod
    def check_inputs(cls, kwargs: dict) -> None:
        """Called by `scrapy crawl` before crawling: InputError (one line) when an argument is wrong."""
        check_arguments(kwargs)
        if kwargs.get("url"):
            normalise_url(kwargs["url"], where="-a url")
        elif kwargs.get("portals"):
            read_portals(kwargs["portals"])
        else:
            cls._samples_root(kwargs.get("samples"))

    @staticmethod
    def _samples_root(arg: str | None) -> Path:
        root = Path(arg) if arg else SAMPLES_DIR
        if not (root / "portals.csv").is_file():
            raise InputError(f"-a samples={root}: no portals.csv there (expected a farm directory)")
        return root

    def load_portals(self) -> list[dict]:
        """The portals to crawl; InputError (one line for the user) when the arguments are wrong."""
        if self._url_arg:
            return [{"url": normalise_url(self._url_arg, where="-a url"), "meta": {}}]
        if self._portals_arg:
            return read_portals(self._portals_arg)
        return self._sample_portals(self._samples_root(self._samples_arg))

    def _sample_portals(self, root: Path) -> list[dict]:
        """Serve the bundled farm on an ephemeral 127.0.0.1 port and crawl its portals."""
        from crawler.samples_server import FarmServer
        self._server = FarmServer(root, ports=2).start()
        self.logger.info("serving sample portals from %s on %s", root, ", ".join(self._server.origins))
        out = []
        with open(root / "portals.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                url = row.pop("url").replace("{{ORIGIN}}", self._server.origin)
                out.append({"url": url, "meta": {k: v for k, v in row.items() if v}})
        return out

    async def start(self):
        self.max_requests_per_portal = self.settings.getint("GOVREPORTS_MAX_REQUESTS_PER_PORTAL",
                                                            self.max_requests_per_portal)
        for p in self.load_portals():
            url = p["url"]
            self.scopes[url] = Scope(url)
            self.portal_meta[url] = p["meta"]
            self.crawler.stats.set_value(f"govreports/portal/{url}/pages_fetched", 0)
            req = self.make_request(url, None, "nav", hops=0, zone=0, portal=url)
            if req is not None:
                yield req

    def parse_page(self, response):
        # a start URL that redirects to another host (海淀 → zyk.bjhd.gov.cn) brings that host in scope
        if response.meta.get("hops") == 0 and response.meta.get("redirect_urls"):
            self.scopes[response.meta["portal"]].add_host(host_of(response.url))
        yield from super().parse_page(response)

    def closed(self, reason):
        if self._server is not None:
            self._server.stop()
