"""Item pipelines: parse → deduplicate → export (through Scrapy's FEEDS).

`ParsePipeline` (100) turns each `DocumentItem` into a record (record.md) with
`crawler.parsing.parse_document`, in a worker thread so downloads go on meanwhile. A document the
spider could not fetch properly (`fetch_problem`) becomes a `failed` record without parsing.

`DedupPipeline` (900, must be the last pipeline) decides what the feeds get:

- rejects (`not_a_report`, `failed`) pass straight through to the rejects feed and are counted;
- reports are *held*: merged by identity key (crawler/identity.py) into a buffer kept in the state
  store, the best-parsed copy wins and the other URLs go to `also_at`. Holding is signalled with
  `HeldForMerge` (a DropItem logged at DEBUG), because a better copy may still arrive;
- when the spider closes, the merged reports that are new or changed since the last export are
  sent to the feeds as scraped items (the `item_scraped` signal the feed exporter listens to).
  The store records them as exported only after the feed exporter has stored every feed without
  error (`feed_exporter_closed`); until then the updates wait in memory, so a feed that fails (or
  a crash before it is stored) leaves the reports pending for the next run: state and files agree.
- a graceful shutdown (one SIGINT/SIGTERM) of a JOBDIR crawl keeps the held reports in the store
  instead: the resumed run merges into them and exports each report exactly once.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.identity import data_hash, dedup_keys, id_for_key, key_string, quality, record_id
from crawler.items import DocumentItem
from crawler.state import full_export_requested, store_for

logger = logging.getLogger(__name__)

REJECT_STATUSES = frozenset({"not_a_report", "failed"})
_FILLABLE = ("title", "report_year", "organ", "organ_level", "index_no", "publisher",
             "written_date", "published_date")
_PORTAL_META_PREFIX = "portal_"


def now_iso() -> str:
    return datetime.now(tz=timezone.utc).replace(microsecond=0).isoformat()


def empty_record(status: str, problems: list[dict]) -> dict:
    from crawler.parsing.spec import PARSER_VERSION
    return {
        "record_id": None, "url": None, "document_url": None, "document_type": None, "portal": None,
        "title": None, "report_year": None, "organ": None, "organ_level": None, "index_no": None,
        "publisher": None, "written_date": None, "published_date": None, "sections": None,
        "table2": None, "table3": None, "table4": None, "checks": [], "problems": problems,
        "status": status, "content_sha1": None, "parser_version": PARSER_VERSION, "fetched_at": None,
    }


def record_from_item(item, parse) -> dict:
    """The record for one fetched document; `parse` is parse_document (injected for tests)."""
    url = item.get("url")
    document_url = item.get("document_url") or url
    problem = item.get("fetch_problem")
    if problem:
        if not isinstance(problem, dict):
            problem = {"code": str(problem)}
        record = empty_record("failed", [{"code": problem.get("code") or "fetch_problem",
                                          "severity": "error", "detail": problem.get("detail") or ""}])
    else:
        try:
            record = parse(item.get("body") or b"", document_url, content_type=item.get("content_type"))
        except Exception as exc:  # the parser must not take the crawl down
            logger.exception("parser failed on %s", document_url)
            record = empty_record("failed", [{"code": "parser_error", "severity": "error",
                                              "detail": f"{type(exc).__name__}: {exc}"}])
    record["url"] = url or document_url
    record["document_url"] = document_url
    record["portal"] = item.get("portal")
    record["found_on"] = item.get("found_on")
    record["link_text"] = item.get("link_text")
    record["http_status"] = item.get("http_status")
    if item.get("fetched_at"):
        record["fetched_at"] = item.get("fetched_at")
    for key, value in (item.get("portal_meta") or {}).items():
        record[_PORTAL_META_PREFIX + str(key)] = value
    record["record_id"] = record_id(record)
    return record


class ParsePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        workers = crawler.settings.getint("GOVREPORTS_PARSE_THREADS", 1)
        self.executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="parse")
        from crawler.parsing import parse_document
        self.parse = parse_document

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        if not isinstance(item, DocumentItem):
            return item
        loop = asyncio.get_running_loop()
        record = await loop.run_in_executor(self.executor, record_from_item, item, self.parse)
        status = record.get("status")
        self.stats.inc_value(f"govreports/records/{status}")
        if record.get("portal"):
            self.stats.inc_value(f"govreports/portal/{record['portal']}/records/{status}")
        return record

    def close_spider(self):
        self.executor.shutdown(wait=True)


def _late(crawler, name: str):
    """crawler.engine / crawler.spider, or None before the crawl starts (unit tests)."""
    try:
        return getattr(crawler, name)
    except RuntimeError:
        return None


class HeldForMerge(DropItem):
    """A report held until spider close (a better copy may still arrive); not an error."""

    def __init__(self, message: str):
        super().__init__(message, log_level="DEBUG")


def _urls(record: dict) -> list[str]:
    return [u for u in (record.get("document_url"), record.get("url")) if u]


def merge(entry: dict, record: dict) -> bool:
    """Merge `record` into a buffer entry; True when the new record became the kept one."""
    kept = entry["record"]
    better = quality(record) > quality(kept)
    winner, loser = (record, kept) if better else (kept, record)
    for f in _FILLABLE:
        if winner.get(f) in (None, "") and loser.get(f) not in (None, ""):
            winner[f] = loser[f]
    winner["record_id"] = kept["record_id"]
    entry["record"] = winner
    entry["urls"] = sorted(set(entry["urls"]) | set(_urls(record)))
    return better


class DedupPipeline:
    COMMIT_EVERY = 50

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store_for(crawler)
        self.rejected: list[tuple[str, str, str | None]] = []
        self.retry_pages: list[str] = []
        self.pending_writes = 0
        self.after_feeds: list[tuple[str, str, dict | None]] = []  # applied once the feeds are stored
        self.full = False
        self.jobdir = bool(crawler.settings.get("JOBDIR"))
        feeds_on = bool(crawler.settings.getdict("FEEDS"))
        crawler.signals.connect(self.commit_after_feeds,
                                signal=signals.feed_exporter_closed if feeds_on else signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.full = full_export_requested(self.crawler)
        held = self.store.count("buffer")
        if held:
            logger.info("%d report(s) held by an interrupted run will be exported by this run", held)

    # ------------------------------------------------------------------ during the crawl
    def process_item(self, record):
        if not isinstance(record, dict) or "status" not in record:
            return record
        portal = record.get("portal")
        if record["status"] in REJECT_STATUSES:
            self.stats.inc_value("govreports/rejects")
            for url in self._urls(record):
                self.rejected.append((url, record["status"], record.get("parser_version")))
            page = record.get("url")
            if record["status"] == "failed" and page and page != record.get("document_url"):
                self.retry_pages.append(page)  # an attachment failed: fetch its page again next run
            return record
        rid = self._bind(record)
        record["record_id"] = rid
        entry = self.store.get("buffer", rid)
        if entry is None:
            entry = {"record": record, "urls": sorted(set(self._urls(record)))}
        else:
            merge(entry, record)
            entry["urls"] = sorted(set(entry["urls"]) | set(self._urls(record)))
            self.stats.inc_value("govreports/duplicates_merged")
            if portal:
                self.stats.inc_value(f"govreports/portal/{portal}/duplicates_merged")
        self.store.put("buffer", rid, entry)
        for url in self._urls(record):
            self.store.put("url", url, {"kind": "buffered", "record_id": rid, "seen_at": now_iso()})
        self._maybe_commit()
        raise HeldForMerge(f"report {rid} held for deduplication until the spider closes")

    def _urls(self, record: dict) -> list[str]:
        """The record's URLs plus the URLs that redirected to its document (middlewares.py)."""
        urls = _urls(record)
        return urls + list(self.store.get("alias", record.get("document_url") or "") or [])

    def _bind(self, record: dict) -> str:
        keys = dedup_keys(record)
        rid = None
        for key in keys:
            rid = self.store.get("key", key_string(key))
            if rid:
                break
        if not rid:
            rid = id_for_key(keys[0]) if keys else record["record_id"]
        for key in keys:
            if not self.store.get("key", key_string(key)):
                self.store.put("key", key_string(key), rid)
        return rid

    def _maybe_commit(self):
        # Under JOBDIR every held report is committed at once: a fetched page is never fetched
        # again by the resumed crawl, so its report must already be in the store.
        self.pending_writes += 1
        if self.pending_writes >= (1 if self.jobdir else self.COMMIT_EVERY):
            self.store.commit()
            self.pending_writes = 0

    # ------------------------------------------------------------------ at close
    async def close_spider(self):
        self.store.commit()  # the buffer is durable from here on
        engine = _late(self.crawler, "engine")
        if self.crawler.settings.get("JOBDIR") and engine is not None and not engine.running:
            held = self.store.count("buffer")
            self.stats.set_value("govreports/held_for_resume", held)
            logger.info("Graceful shutdown of a JOBDIR crawl: %d report(s) kept in the state store; "
                        "they are exported when the crawl is resumed", held)
            self._mark_rejects()
            return
        for record in self.select_for_export():
            await self.crawler.signals.send_catch_log_async(
                signal=signals.item_scraped, item=record, response=None, spider=_late(self.crawler, "spider"))
        self._mark_rejects()

    def select_for_export(self):
        """Yield the merged reports that are new or changed (all of them with a full export) in a
        stable order (portal, organ, year), one at a time (the buffer may be large). The state
        updates (exported, URLs known, buffer emptied) wait in `after_feeds` until every feed is stored."""
        order = []
        for rid, entry in self.store.items("buffer"):
            r = entry["record"]
            order.append((str(r.get("portal") or ""), str(r.get("organ") or ""), r.get("report_year") or 0, rid))
        order.sort()
        at = now_iso()
        for *_, rid in order:
            entry = self.store.get("buffer", rid)
            rec = entry["record"]
            rec["also_at"] = [u for u in entry["urls"] if u not in (rec.get("document_url"), rec.get("url"))]
            dh = data_hash(rec)
            prev = self.store.get("exported", rid)
            change = self._change(prev, rec, dh)
            urls = sorted(set(entry["urls"]) | set((prev or {}).get("urls", [])))
            for url in urls:
                self.after_feeds.append(("url", url, {"kind": "report", "record_id": rid, "seen_at": at}))
            self.after_feeds.append(("buffer", rid, None))
            if change is None:
                self.stats.inc_value("govreports/incremental/unchanged")
                self.after_feeds.append(("exported", rid, {**prev, "urls": urls}))
                continue
            rec["change"] = change
            self.after_feeds.append(("exported", rid, {
                "data_hash": dh, "content_sha1": rec.get("content_sha1"), "quality": list(quality(rec)),
                "urls": urls, "exported_at": at}))
            self.stats.inc_value(f"govreports/exported/{change}")
            if rec.get("portal"):
                self.stats.inc_value(f"govreports/portal/{rec['portal']}/exported")
            yield rec

    def _change(self, prev: dict | None, rec: dict, dh: str) -> str | None:
        if prev is None:
            return "new"
        # Different data counts as a change unless this copy was read less fully (fewer tables or
        # cells: a scan, a truncated PDF); its status may be worse (a correction that breaks a sum).
        if dh != prev.get("data_hash") and list(quality(rec))[1:3] >= list(prev.get("quality") or [])[1:3]:
            return "changed"
        return "full" if self.full else None

    def _mark_rejects(self):
        at = now_iso()
        for url, status, version in self.rejected:
            if status == "not_a_report":  # failed documents are tried again next run
                self.after_feeds.append(("url", url, {"kind": "rejected", "record_id": None, "seen_at": at,
                                                      "parser_version": version}))
        for page in self.retry_pages:  # after the report marks: the page is fetched again next run
            self.after_feeds.append(("url", page, None))
        self.rejected.clear()
        self.retry_pages.clear()

    def commit_after_feeds(self, *args, **kwargs):
        failed = {k: v for k, v in self.crawler.stats.get_stats().items()
                  if k.startswith("feedexport/failed_count/") and v}
        ops, self.after_feeds = self.after_feeds, []
        if failed:
            logger.error("A feed could not be stored (%s): the exported reports stay pending in the "
                         "state store and are exported again by the next run", failed)
            return
        for ns, key, value in ops:
            if value is None:
                self.store.delete(ns, key)
            else:
                self.store.put(ns, key, value)
        self.store.commit()
