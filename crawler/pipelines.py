"""Item pipelines: parse → deduplicate → export (through Scrapy's FEEDS).

`ParsePipeline` (100) turns each `DocumentItem` into a record (record.md) with
`crawler.parsing.parse_document`, run in child processes with an address-space and a time limit
(crawler/sandbox.py; ``GOVREPORTS_PARSE_MEMORY_MB``, ``GOVREPORTS_ATTACHMENT_TIME_LIMIT``): one
child per usable core by default (``GOVREPORTS_PARSE_THREADS``), each driven by a thread of a pool,
documents handed over as bytes and records back as dicts, so parsing uses every core while
downloads go on. A decompression or PDF bomb ends as a `failed` record with
``resource_limit``/``time_limit``, never as an OOM of the crawl. The documents waiting for a child
are bounded by Scrapy's scraper slot (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``: no new download while the
responses still in the pipelines exceed it); stat ``govreports/parse/max_in_flight``.
``GOVREPORTS_PARSE_ISOLATED=0`` parses in the pool's threads instead (no memory bound, one core).
A document the spider could not fetch properly (`fetch_problem`) becomes a `failed` record
without parsing.

`DedupPipeline` (900, must be the last pipeline) lives in crawler/dedup/ (identity binding, merging,
export of new/changed reports, commit after the feeds); it is imported here so the setting's path
`crawler.pipelines.DedupPipeline` stays valid.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from crawler.dedup.arrival import ARRIVAL
from crawler.dedup.held import merge  # noqa: F401  (re-exported)
from crawler.dedup.pipeline import REJECT_STATUSES, DedupPipeline, HeldForMerge  # noqa: F401  (re-exported)
from crawler.items import DocumentItem

logger = logging.getLogger(__name__)

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


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # a container or taskset may allow fewer than cpu_count()
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse_workers(settings) -> int:
    """GOVREPORTS_PARSE_THREADS, where 0 (the default) means one parse child per usable core."""
    n = settings.getint("GOVREPORTS_PARSE_THREADS", 0)
    return n if n > 0 else usable_cores()


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
            record = parse(item.get("body") or b"", document_url, content_type=item.get("content_type"),
                           link_text=item.get("link_text"))  # a title of last resort (parse_document)
        except Exception as exc:  # the parser must not take the crawl down
            logger.exception("parser failed on %s", document_url)
            record = empty_record("failed", [{"code": "parser_error", "severity": "error",
                                              "detail": f"{type(exc).__name__}: {exc}"}])
    record["url"] = url or document_url
    record["document_url"] = document_url
    record["portal"] = item.get("portal")
    record["found_on"] = item.get("found_on")
    record["link_text"] = item.get("link_text")
    record.setdefault("evidence", None)  # docs/record.md: null unless the archive (crawler/archive/) is on
    record["http_status"] = item.get("http_status")
    if item.get("fetched_at"):
        record["fetched_at"] = item.get("fetched_at")
    for key, value in (item.get("portal_meta") or {}).items():
        record[_PORTAL_META_PREFIX + str(key)] = value
    return record  # record_id: assigned by DedupPipeline (crawler/dedup), the one home of identity


class IsolatedParser:
    """parse_document's signature, run by crawler.sandbox in a resource-limited child process
    (one child per parse thread)."""

    def __init__(self, limits):
        self.limits = limits
        self.local = threading.local()
        self.workers = []

    def __call__(self, body: bytes, url: str, content_type: str | None = None, link_text: str | None = None) -> dict:
        worker = getattr(self.local, "worker", None)
        if worker is None:
            from crawler.sandbox import Worker
            worker = self.local.worker = Worker(self.limits)
            self.workers.append(worker)
        outcome, payload = worker.parse(body, url, content_type, link_text)
        if outcome == "ok":
            return payload
        logger.warning("%s on %s: %s", outcome, url, payload)
        return empty_record("failed", [{"code": outcome, "severity": "error", "detail": str(payload)}])

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


class ParsePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        s = crawler.settings
        self.executor = ThreadPoolExecutor(max_workers=parse_workers(s), thread_name_prefix="parse")
        self.in_flight = 0
        self.entries = 0
        if s.getbool("GOVREPORTS_PARSE_ISOLATED", True):
            from crawler.sandbox import Limits
            memory_mb = s.getint("GOVREPORTS_PARSE_MEMORY_MB", 1024)
            self.parse = IsolatedParser(Limits(
                memory_bytes=memory_mb * 1024 * 1024 if memory_mb > 0 else None,
                time_limit=s.getfloat("GOVREPORTS_ATTACHMENT_TIME_LIMIT", 60.0),
                max_bytes=s.getint("GOVREPORTS_ATTACHMENT_MAX_BYTES", 0) or None))
        else:
            from crawler.parsing import parse_document
            from crawler.parsing.formats import _guard
            _guard.configure(max_bytes=s.getint("GOVREPORTS_ATTACHMENT_MAX_BYTES", 0) or None,
                             time_limit=s.getfloat("GOVREPORTS_ATTACHMENT_TIME_LIMIT", 60.0))
            self.parse = parse_document

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        if not isinstance(item, DocumentItem):
            return item
        loop = asyncio.get_running_loop()
        # documents waiting for a parse child: bounded, because Scrapy stops downloading while the
        # responses whose items are still in the pipelines exceed SCRAPER_SLOT_MAX_ACTIVE_SIZE bytes
        self.in_flight += 1
        self.stats.max_value("govreports/parse/max_in_flight", self.in_flight)
        entry, self.entries = self.entries, self.entries + 1
        try:
            record = await loop.run_in_executor(self.executor, record_from_item, item, self.parse)
        finally:
            self.in_flight -= 1
        record[ARRIVAL] = entry  # dedup binds in this order, whichever child finished first (dedup/arrival.py)
        status = record.get("status")
        self.stats.inc_value(f"govreports/records/{status}")
        if record.get("portal"):
            self.stats.inc_value(f"govreports/portal/{record['portal']}/records/{status}")
        return record

    def close_spider(self):
        self.executor.shutdown(wait=True)
        if isinstance(self.parse, IsolatedParser):
            self.parse.close()
