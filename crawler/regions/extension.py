"""CoverageReport extension: at spider close, the coverage CSV, the missing list and the HTML run
report of this run (crawler/regions/writer.py).

It sees every record the feeds get (`item_scraped`: rejects as they pass, merged reports when the
dedup pipeline exports them at close). An incremental run does not export unchanged reports
again, so each record's unit, year and status is also kept in the state store (namespace
``coverage``, record_id → slim record): coverage counts what earlier runs found too.
Portals come from the spider (`portal_meta`), years from ``-a years=2019-2024``.
"""
from __future__ import annotations

import logging
import time

from scrapy import signals

from crawler.exporters import output_dir, run_time
from crawler.extensions import summarise
from crawler.regions.coverage import parse_years
from crawler.regions.html_report import CHANGES_SHOWN
from crawler.regions.writer import write_outputs
from crawler.state import store_for

logger = logging.getLogger(__name__)
SLIM = ("record_id", "url", "document_url", "portal", "portal_name", "title", "organ", "organ_level", "report_year",
        "status", "county_code", "county_name", "township_name", "township_code", "region_match", "fetched_at")
NAMESPACE = "coverage"
CHANGE_KEYS = ("change", "previous_sha256", "changed_fields", "changed_fields_total")   # this run only


def slim(record: dict) -> dict:
    out = {k: record.get(k) for k in SLIM}
    out["problems"] = [p for p in (record.get("problems") or []) if isinstance(p, dict)][:5]
    if record.get("change") in ("edited", "withdrawn"):   # this run's report lists them (not stored)
        fields = record.get("changed_fields") or []
        out.update(change=record["change"], previous_sha256=record.get("previous_sha256"),
                   changed_fields=fields[:CHANGES_SHOWN], changed_fields_total=len(fields))
    return out


class CoverageReport:
    def __init__(self, crawler):
        self.crawler = crawler
        self.records: dict[str, dict] = {}
        self.timing: dict[str, list[float]] = {}   # portal → [first, last response time, responses, latency sum]
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def item_scraped(self, item, response=None, spider=None):
        if isinstance(item, dict) and item.get("status"):
            # rejects may share a record_id (no identity key): their document URL tells them apart
            key = f'{item.get("record_id")}|{item.get("document_url") or item.get("url")}'
            if item.get("status") in ("complete", "inconsistent", "partial"):
                key = item.get("record_id") or key
            self.records[key] = slim(item)

    def response_received(self, response, request, spider=None):
        portal = request.meta.get("portal")
        if not portal:
            return
        now = time.time()
        t = self.timing.setdefault(portal, [now, now, 0, 0.0])
        t[1] = now
        t[2] += 1
        t[3] += float(request.meta.get("download_latency") or 0.0)

    def spider_closed(self, spider, reason):
        portals = dict(getattr(spider, "portal_meta", {}) or {})
        try:
            years = parse_years(getattr(spider, "years", None))
        except ValueError as exc:  # checked when the spider starts; never lose the report over it
            logger.error("%s; coverage uses the years found", exc)
            years = None
        records = self._with_earlier_runs(portals)
        summary = summarise(dict(self.crawler.stats.get_stats()), {})
        summary["finish_reason"] = reason
        summary["timing"] = {p: {"seconds": t[1] - t[0], "responses": t[2], "mean_latency": t[3] / max(t[2], 1)}
                             for p, t in self.timing.items()}
        t = run_time(self.crawler)
        paths = write_outputs(output_dir(self.crawler.settings), t, summary, records, portals, years)
        for name in ("coverage", "missing", "html"):
            self.crawler.stats.set_value(f"govreports/{name}_file", paths[name])
        logger.info("Coverage: %s. Files: %s, %s; run report: %s", paths["figures"], paths["coverage"],
                    paths["missing"], paths["html"])
        if reason != "finished":
            logger.warning("The crawl ended early (%s): units not reached yet show as 'not found' in %s",
                           reason, paths["coverage"])
        if self.crawler.settings.get("GOVREPORTS_REDIS_URL"):
            logger.info("Distributed worker: this coverage is this worker's share; merge the workers' outputs "
                        "with python -m crawler.report DIR [DIR …] --all")

    def _with_earlier_runs(self, portals: dict) -> list[dict]:
        """This run's records plus the ones earlier runs kept for the same portals (not re-exported
        because unchanged); this run's records are stored for the next run."""
        try:
            store = store_for(self.crawler)
        except Exception as exc:  # no state store (e.g. a read-only state dir): this run alone
            logger.warning("coverage: state store unavailable (%s); counting this run's records only", exc)
            return list(self.records.values())
        merged = {k: v for k, v in store.items(NAMESPACE) if v.get("portal") in portals}
        for key, rec in self.records.items():
            if rec.get("status") != "not_a_report":
                store.put(NAMESPACE, key, {k: v for k, v in rec.items() if k not in CHANGE_KEYS})
        store.commit()
        merged.update(self.records)
        return list(merged.values())
