"""Progress line every LOGSTATS_INTERVAL (or GOVREPORTS_PROGRESS_INTERVAL) seconds:

    Progress: portals 3/7 done, 2 active; pages 412; report documents 15 (complete 11, inconsistent 1,
    partial 3); rejects 6 (not_a_report 4, failed 2); unreachable 1, blocked 0

Scrapy's own LogStats counts `scraped items`, which stay at ~0 until the spider closes (reports are
held for merging, crawler/pipelines.py); these counts come from the parse pipeline instead.

A portal is *done* when none of its requests waits in the scheduler, downloads or is being
processed by its callback. Requests are counted per portal from the engine's signals
(scheduled − dropped − left the downloader − ignored by a downloader middleware before download)
plus the engine's in-progress set, which covers the callback that may still add requests and the
documents still going through the parse pipeline (a response stays in progress until its items have).
"""
from __future__ import annotations

import logging
from collections import Counter

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.extensions import STATUSES

logger = logging.getLogger(__name__)
_REACHED = "_progress_reached_downloader"


class Progress:
    """The extension (EXTENSIONS) and, for requests ignored before download, a downloader middleware."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.pending: Counter = Counter()
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        interval = s.getfloat("GOVREPORTS_PROGRESS_INTERVAL") or s.getfloat("LOGSTATS_INTERVAL")
        if not interval:
            raise NotConfigured
        o = cls(crawler, interval)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(o.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(o.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(o.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(o.request_left, signal=signals.request_left_downloader)
        return o

    # ------------------------------------------------------------------ request accounting
    @staticmethod
    def _portal(request):
        return request.meta.get("portal")

    def request_scheduled(self, request, spider=None):
        request.meta.pop(_REACHED, None)  # a retry/redirect copies the meta of a request that was downloaded
        self.pending[self._portal(request)] += 1

    def request_dropped(self, request, spider=None):
        self.pending[self._portal(request)] -= 1

    def request_reached(self, request, spider=None):
        request.meta[_REACHED] = True

    def request_left(self, request, spider=None):
        self.pending[self._portal(request)] -= 1

    def request_ignored(self, request):
        if not request.meta.get(_REACHED):
            self.pending[self._portal(request)] -= 1

    # ------------------------------------------------------------------ the line
    def spider_opened(self, spider):
        self.task = create_looping_call(self.log)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()
        logger.info(self.line(final=True))

    def _busy_portals(self) -> set:
        busy = {p for p, n in self.pending.items() if n > 0}
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)  # requests still in a callback
        for request in getattr(slot, "inprogress", ()) or ():
            busy.add(self._portal(request))
        return busy

    def line(self, final: bool = False) -> str:
        stats = self.crawler.stats.get_stats()
        total = {k[len("govreports/portal/"):-len("/pages_fetched")] for k in stats
                 if k.startswith("govreports/portal/") and k.endswith("/pages_fetched")}
        busy = self._busy_portals() & total
        by = {s: stats.get(f"govreports/records/{s}", 0) for s in STATUSES}
        unreachable = sum(v for k, v in stats.items() if k.startswith("govreports/portal/")
                          and k.endswith("/unreachable") and isinstance(v, int))
        blocked = sum(v for k, v in stats.items() if k.startswith("govreports/portal/")
                      and k.endswith("/blocked") and isinstance(v, int))
        pages = sum(v for k, v in stats.items() if k.startswith("govreports/portal/")
                    and k.endswith("/pages_fetched") and isinstance(v, int))
        return (f"Progress{' (final)' if final else ''}: portals {len(total) - len(busy)}/{len(total)} done, {len(busy)} active; pages {pages}; "
                f"report documents {by['complete'] + by['inconsistent'] + by['partial']} (complete "
                f"{by['complete']}, inconsistent {by['inconsistent']}, partial {by['partial']}); rejects "
                f"{by['not_a_report'] + by['failed']} (not_a_report {by['not_a_report']}, failed {by['failed']}); "
                f"unreachable {unreachable}, blocked {blocked}")

    def log(self):
        logger.info(self.line())
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("Progress: requests pending per active portal: %s",
                         {p: self.pending[p] for p in self._busy_portals()})


class ProgressIgnoredMiddleware:
    """Downloader middleware (priority 0, so its process_exception runs last): a request that a
    middleware ignored before download (robots.txt, incremental skip) leaves the portal's count."""

    def __init__(self, progress: Progress | None):
        self.progress = progress

    @classmethod
    def from_crawler(cls, crawler):
        ext = next((e for e in crawler.extensions.middlewares if isinstance(e, Progress)), None) \
            if getattr(crawler, "extensions", None) else None
        if ext is None:
            raise NotConfigured
        return cls(ext)

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, IgnoreRequest):
            self.progress.request_ignored(request)
        return None
