"""Incremental crawling: skip documents we already have.

`IncrementalSkipMiddleware` is a downloader middleware (Scrapy's universal kind, so unaffected by
the 2.16 change that broke scrapy-deltafetch). For requests the spider marks
``meta["doc_kind"]`` ``"detail"`` or ``"attachment"`` it looks the URL up in the state store
(crawler/state.py, namespace ``url``) and ignores the request when the URL belongs to an exported
report, an attachment held for merging (a held report *page* is fetched again: the run that
held it may have died before its attachments were fetched), or a page judged ``not_a_report`` by the current parser
version. Navigation, list and API requests are always fetched, so new reports are found;
documents that failed are tried again.

- ``-s GOVREPORTS_FULL_EXPORT=1`` (or ``-a full=1``): skip nothing, export everything.
- ``-s GOVREPORTS_RECHECK_DAYS=N``: fetch a known document again when it was last seen N or more
  days ago, so a report edited in place is noticed (its export is then decided by its data).
It also remembers redirects (``downfile.jsp`` → ``/attach/…``), so the original URL is skipped too.
"""
from __future__ import annotations

from datetime import datetime, timezone

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.state import full_export_requested, store_for

SKIPPED_KINDS = frozenset({"detail", "attachment"})


class IncrementalSkipMiddleware:
    def __init__(self, crawler):
        if not crawler.settings.getbool("GOVREPORTS_INCREMENTAL", True):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store_for(crawler)
        days = crawler.settings.get("GOVREPORTS_RECHECK_DAYS")
        self.recheck_days = float(days) if days not in (None, "") else None
        self._full = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def full(self) -> bool:
        if self._full is None:
            self._full = full_export_requested(self.crawler)
        return self._full

    def process_request(self, request):
        if request.meta.get("doc_kind") not in SKIPPED_KINDS or self.full:
            return None
        known = self.store.get("url", request.url)
        if not known or self._due(known) or self._reparse(known) or self._held_page(request, known):
            return None
        self.stats.inc_value("govreports/incremental/skipped")
        portal = request.meta.get("portal")
        if portal:
            self.stats.inc_value(f"govreports/portal/{portal}/skipped_known")
            if known.get("kind") in ("report", "buffered"):
                self.stats.inc_value(f"govreports/portal/{portal}/skipped_known_reports")
        raise IgnoreRequest(f"already have {request.url} ({known.get('kind')})")

    @staticmethod
    def _held_page(request, known: dict) -> bool:
        """A report page still held for merging was fetched by a run that did not finish: fetched
        again, because its attachments may never have been (crawler/crashsafe.py). A cleanly
        paused JOBDIR run never gets here: Scrapy's seen-set filters the page first."""
        return known.get("kind") == "buffered" and request.meta.get("doc_kind") == "detail"

    @staticmethod
    def _reparse(known: dict) -> bool:
        """A page judged not a report by an older parser is judged again (the parser may have improved)."""
        if known.get("kind") != "rejected":
            return False
        from crawler.parsing.spec import PARSER_VERSION
        return known.get("parser_version") != PARSER_VERSION

    def _due(self, known: dict) -> bool:
        if self.recheck_days is None:
            return False
        try:
            seen = datetime.fromisoformat(known.get("seen_at"))
        except (TypeError, ValueError):
            return True
        age = datetime.now(tz=timezone.utc) - seen
        return age.total_seconds() >= self.recheck_days * 86400

    def process_response(self, request, response):
        redirects = request.meta.get("redirect_urls")
        if redirects and request.meta.get("doc_kind") in SKIPPED_KINDS:
            aliases = set(self.store.get("alias", response.url) or [])
            self.store.put("alias", response.url, sorted(aliases | set(redirects)))
        return response
