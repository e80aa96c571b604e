"""Polite under pressure: honour Retry-After, stop redirect loops, do not retry a full timeout.

`PressureMiddleware` is a downloader middleware placed between the downloader and Scrapy's
RedirectMiddleware (600) and RetryMiddleware (550), so it sees responses and exceptions first:

- **Retry-After** (seconds or an HTTP date) on a 429/503 pauses the whole download slot of that
  host — not just the retried request — by holding the slot's queue (its ``latercall``, the
  hook Scrapy's DOWNLOAD_DELAY uses), so no request of the host leaves before the server asked
  (``govreports/retry_after_waits``). A wait over ``GOVREPORTS_RETRY_AFTER_MAX`` seconds is not
  honoured by waiting: the request is not retried (the document then fails with its HTTP status
  and is tried again next run).
- **Redirect loops**: a 3xx whose target is a URL this request already redirected through ends as
  ``IgnoreRequest("redirect loop: …")``, which the spider's errback turns into a
  ``redirect_loop`` reject (Scrapy would otherwise follow it up to REDIRECT_MAX_TIMES, then drop it
  silently, or its dupefilter would drop the looped-back URL with no trace).
- **Full timeouts of attachments**: an attachment whose download took its whole
  ``download_timeout`` (a trickling server) is not retried: three tries would hold the crawl 3×.
"""
from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.asyncio import call_later
from scrapy.utils.misc import load_object

logger = logging.getLogger(__name__)

_TIMEOUTS = tuple(load_object(p) for p in (
    "scrapy.exceptions.DownloadTimeoutError", "twisted.internet.error.TimeoutError"))


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header value (delta-seconds or HTTP-date); None if unusable."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PressureMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_wait = crawler.settings.getfloat("GOVREPORTS_RETRY_AFTER_MAX", 300.0)
        # response_downloaded fires before the downloader hands the slot its next request (the
        # signal AutoThrottle uses); process_response would come too late to hold that one back
        crawler.signals.connect(self._on_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _on_downloaded(self, response, request, **kwargs):
        if response.status in (429, 503):
            self._retry_after(request, response)

    def process_response(self, request, response):
        if 300 <= response.status < 400 and b"Location" in response.headers:
            target = urljoin(request.url, response.headers[b"Location"].decode("latin-1"))
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if target in chain:
                self.stats.inc_value("govreports/redirect_loops")
                raise IgnoreRequest("redirect loop: " + " → ".join([*chain, target]))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, _TIMEOUTS) and request.meta.get("doc_kind") == "attachment":
            request.meta["dont_retry"] = True  # it already took the whole download_timeout
            self.stats.inc_value("govreports/attachment_timeouts")
        return None

    def _retry_after(self, request, response) -> None:
        header = response.headers.get(b"Retry-After")
        wait = retry_after_seconds(header)
        if wait is None:
            return
        if wait > self.max_wait:
            request.meta["dont_retry"] = True
            self.stats.inc_value("govreports/retry_after_too_long")
            return
        downloader = getattr(getattr(self.crawler, "engine", None), "downloader", None)
        if downloader is None:
            return
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        # A pending `latercall` blocks the slot's queue until it fires (Scrapy's own delay
        # mechanism): replace it by one that fires after the wait the server asked for.
        if slot.latercall:
            slot.latercall.cancel()
        slot.latercall = call_later(wait, downloader._latercall, slot)
        self.stats.inc_value("govreports/retry_after_waits")
        logger.info("%s answered %d with Retry-After %s: pausing its download slot %.0f s",
                    request.url, response.status, header.decode("latin-1"), wait)
