"""`DedupPipeline` (900, must be the last pipeline): the Scrapy-facing side of crawler/dedup.

- rejects (`not_a_report`, `failed`) pass straight through to the rejects feed and are counted;
- reports are bound to a record id (`IdentityBinder`) and *held* (`HeldReports`): the best-parsed
  copy wins and the other URLs go to `also_at`. A document that names nothing of its own (a PDF
  without organ) is bound at close, after every other copy is held. Holding is signalled with `HeldForMerge` (a
  DropItem logged at DEBUG), because a better copy may still arrive;
- when the spider closes, the merged reports that are new or changed (`ExportSelector`) are sent
  to the feeds as scraped items (the `item_scraped` signal the feed exporter listens to); the
  store records them as exported only after every feed is stored (`PendingWrites`);
- `hold_reason()` says when the held reports stay in the store instead of being exported (a
  graceful shutdown of a JOBDIR crawl: the resumed run merges into them and exports each report
  exactly once). Subclasses (crawler/distributed.py) override it and `begin_export`/`end_export`.
"""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.dedup.arrival import ARRIVAL, ArrivalOrder
from crawler.dedup.binding import IdentityBinder
from crawler.dedup.export import ExportSelector, withdrawn_record
from crawler.dedup.held import HeldReports, record_urls
from crawler.dedup.pending import PendingWrites, RejectLog
from crawler.identity import identity_of, record_id
from crawler.state import full_export_requested, store_for

logger = logging.getLogger(__name__)

REJECT_STATUSES = frozenset({"not_a_report", "failed"})


class HeldForMerge(DropItem):
    """A report held until spider close (a better copy may still arrive); not an error."""

    def __init__(self, message: str):
        super().__init__(message, log_level="DEBUG")


def _late(crawler, name: str):
    """crawler.engine / crawler.spider, or None before the crawl starts (unit tests)."""
    try:
        return getattr(crawler, name)
    except RuntimeError:
        return None


class DedupPipeline:
    COMMIT_EVERY = 50

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store_for(crawler)
        self.binder = IdentityBinder(self.store, self.stats)
        self.held = HeldReports(self.store)
        self.rejects = RejectLog()
        self.attachment_notes: dict[str, list[dict]] = {}  # page URL → attachment_failed notes waiting for it
        self.gone: dict[str, dict] = {}  # record id → the reject of an exported report's page that is gone
        self.pending = PendingWrites()
        self.pending_writes = 0
        self.jobdir = bool(crawler.settings.get("JOBDIR"))
        # a record waiting for its predecessors is only in memory: where each processed item must
        # be in the store at once (JOBDIR resume, a distributed worker's acknowledged lease) it binds now
        self.arrival = ArrivalOrder(cap=0 if self.jobdir or self.COMMIT_EVERY == 1 else 256)
        feeds_on = bool(crawler.settings.getdict("FEEDS"))
        crawler.signals.connect(self.commit_after_feeds,
                                signal=signals.feed_exporter_closed if feeds_on else signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        held = self.held.count()
        if held:
            logger.info("%d report(s) held by an interrupted run will be exported by this run", held)

    # ------------------------------------------------------------------ during the crawl
    def process_item(self, record):
        if not isinstance(record, dict) or "status" not in record:
            return record
        seq = record.pop(ARRIVAL, None)
        if record["status"] in REJECT_STATUSES:
            record["record_id"] = record_id(record)
            self.stats.inc_value("govreports/rejects")
            self.rejects.add(record, self._urls(record))
            self._name_failed_attachment(record)
            self._note_gone(record)
            for ready in self.arrival.add(seq, None):
                self._hold(ready)
            return record
        for ready in self.arrival.add(seq, record):
            self._hold(ready)
        raise HeldForMerge("report held for deduplication until the spider closes")

    def _hold(self, record: dict) -> None:
        urls = self._urls(record)
        own = identity_of(record)   # computed once for `weak` and `bind` (the record is not changed between)
        if self.binder.weak(record, own):
            self.held.defer(record, urls)
            self.stats.inc_value("govreports/dedup/deferred")
        else:
            self._bind_and_hold(record, urls, own)
        self._maybe_commit()

    def _bind_and_hold(self, record: dict, urls: list[str], own: dict | None = None) -> str:
        rid, notes, bridged = self.binder.bind(record, own)
        merged = self.held.hold(rid, record, urls, notes)
        for url in urls:  # an attachment of this page failed before the page was held
            for note in self.attachment_notes.pop(url, []):
                self.held.note_on_page(url, note)
        for other in bridged:
            self.held.fold(rid, other)
        for _ in range(int(merged) + len(bridged)):
            self.stats.inc_value("govreports/duplicates_merged")
            if record.get("portal"):
                self.stats.inc_value(f"govreports/portal/{record['portal']}/duplicates_merged")
        return rid

    def _name_failed_attachment(self, record: dict) -> None:
        """A failed attachment names itself on its page's held report (`attachment_failed`), so a
        report read from the page alone says which file is missing and why (issue 13). A page not
        held yet (several parse threads, a page deferred until close) gets it when it is held."""
        page, doc = record.get("url"), record.get("document_url")
        if record["status"] != "failed" or not page or page == doc:
            return
        first = (record.get("problems") or [{}])[0]
        note = {"code": "attachment_failed", "severity": "warning",
                "detail": f"{doc}: {first.get('code')} {first.get('detail') or ''}".strip()[:300]}
        self.stats.inc_value("govreports/attachments_failed")
        if not self.held.note_on_page(page, note):
            self.attachment_notes.setdefault(page, []).append(note)

    def _note_gone(self, record: dict) -> None:
        """An exported report's document now answers 404/410 or a soft 404 (a recheck): remember
        it; at close the report is exported as `withdrawn` unless a copy of it arrived this run."""
        codes = {p.get("code") for p in record.get("problems") or [] if isinstance(p, dict)}
        if not ("soft_404" in codes or record.get("http_status") in (404, 410)):
            return
        known = self.store.get("url", record.get("document_url") or "") or {}
        if known.get("kind") == "report" and known.get("record_id"):
            self.gone[known["record_id"]] = record

    def _urls(self, record: dict) -> list[str]:
        """The record's URLs plus the URLs that redirected to its document (middlewares.py)."""
        return record_urls(record) + list(self.store.get("alias", record.get("document_url") or "") or [])

    def _maybe_commit(self):
        # Under JOBDIR every held report is committed at once: a fetched page is never fetched
        # again by the resumed crawl, so its report must already be in the store.
        self.pending_writes += 1
        if self.pending_writes >= (1 if self.jobdir else self.COMMIT_EVERY):
            self.store.commit()
            self.pending_writes = 0

    # ------------------------------------------------------------------ hooks
    def hold_reason(self) -> str | None:
        """Why the held reports stay in the store instead of being exported now (None: export):
        a log message with one ``%d``, the number of reports kept."""
        engine = _late(self.crawler, "engine")
        if self.jobdir and engine is not None and not engine.running:
            return ("Graceful shutdown of a JOBDIR crawl: %d report(s) kept in the state store; "
                    "they are exported when the crawl is resumed")
        return None

    async def begin_export(self) -> None:
        """Called before the held reports are exported (a distributed run takes its lock here)."""

    def end_export(self) -> None:
        """Called once the export is committed or abandoned (after the feeds are stored)."""

    # ------------------------------------------------------------------ at close
    async def close_spider(self):
        for record in self.arrival.drain():
            self._hold(record)
        self.store.commit()  # the buffer is durable from here on
        reason = self.hold_reason()
        if reason:
            held = self.held.count()
            self.stats.set_value("govreports/held_for_resume", held)
            logger.info(reason, held)
            self.rejects.flush(self.pending)
            return
        await self.begin_export()
        for record, urls in self.held.take_deferred():
            self._bind_and_hold(record, urls)
        self.store.commit()
        selector = ExportSelector(self.store, self.stats, full_export_requested(self.crawler))
        present = set(self.store.keys("buffer"))  # reports with a copy this run
        for record in selector.select(self.pending):
            await self.crawler.signals.send_catch_log_async(
                signal=signals.item_scraped, item=record, response=None, spider=_late(self.crawler, "spider"))
        for rid, reject in self.gone.items():
            record = None if rid in present else withdrawn_record(self.store, self.pending, rid, reject)
            if record is not None:
                self.stats.inc_value("govreports/exported/withdrawn")
                await self.crawler.signals.send_catch_log_async(
                    signal=signals.item_scraped, item=record, response=None, spider=_late(self.crawler, "spider"))
        self.rejects.flush(self.pending)

    def commit_after_feeds(self, *args, **kwargs):
        failed = {k: v for k, v in self.crawler.stats.get_stats().items()
                  if k.startswith("feedexport/failed_count/") and v}
        try:
            self.pending.apply(self.store, failed)
        finally:
            self.end_export()
