"""Feed exporters and feed configuration (Scrapy FEEDS; nothing here writes files by hand).

- `ReportCsvExporter`: registered for the ``csv`` format in FEED_EXPORTERS, so both the default
  per-run feed and ``-O file.csv`` get one flattened row per record in the fixed column order of
  crawler/schema.py, UTF-8 with BOM, and spreadsheet formula injection neutralised.
- `RejectsCsvExporter` (format ``rejects_csv``): the rejects as a CSV (url, portal, status, problem
  codes and details, crawler/csvrow.py `REJECT_FIELDS`) beside the rejects JSON Lines.
- `ReportsFilter` / `RejectsFilter`: feed ``item_filter`` classes that split reports
  (complete | inconsistent | partial) from rejects (not_a_report | failed).
- `uri_params`: FEED_URI_PARAMS hook: one ``%(time)s`` per run, shared by all feeds and the summary.
- `FeedsAddon`: fills in the default feeds (``output/reports-<time>.csv``, ``.jsonl``,
  ``output/rejects-<time>.jsonl`` and ``.csv``) when FEEDS is empty, and when feeds come from ``-o/-O``
  restricts them to reports and keeps the rejects feed, so nothing is dropped silently.
"""
from __future__ import annotations

import os
from typing import Any

from scrapy.exporters import CsvItemExporter
from scrapy.extensions.feedexport import ItemFilter

from crawler.csvrow import REJECT_FIELDS, LIST_SEP, flatten, flatten_reject, neutralise  # noqa: F401  (re-exported)
from crawler.schema import FIELDS

REPORT_STATUSES = frozenset({"complete", "inconsistent", "partial"})
REJECT_STATUSES = frozenset({"not_a_report", "failed"})
DEFAULT_OUTPUT_DIR = "output"

class ReportCsvExporter(CsvItemExporter):
    """CSV in the documented column order, UTF-8 with BOM (Excel), formula-safe."""

    def __init__(self, file, **kwargs):
        encoding = kwargs.get("encoding")
        if not encoding or encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            kwargs["encoding"] = "utf-8-sig"
        if not kwargs.get("fields_to_export"):
            kwargs["fields_to_export"] = list(FIELDS)
        kwargs.setdefault("join_multivalued", LIST_SEP)
        super().__init__(file, **kwargs)
        if _position(file) > 0:  # appending (-o): the file already has its BOM and header
            self.include_headers_line = False

    def start_exporting(self) -> None:
        super().start_exporting()
        if self._headers_not_written:  # header (and BOM) even when the run exports nothing
            self._headers_not_written = False
            self._write_headers_and_set_fields_to_export(None)

    def export_item(self, item: Any) -> None:
        record = dict(item) if not isinstance(item, dict) else item
        super().export_item(flatten(record))


class RejectsCsvExporter(ReportCsvExporter):
    """rejects-<time>.csv: url, portal, status, problem codes and details of every reject (format ``rejects_csv``)."""

    def __init__(self, file, **kwargs):
        kwargs["fields_to_export"] = list(REJECT_FIELDS)
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        record = dict(item) if not isinstance(item, dict) else item
        CsvItemExporter.export_item(self, flatten_reject(record))


def _position(file) -> int:
    try:
        return file.tell()
    except (AttributeError, OSError, ValueError):
        return 0


def _status(item: Any) -> Any:
    try:
        return item.get("status")
    except AttributeError:
        return None


class ReportsFilter(ItemFilter):
    def accepts(self, item: Any) -> bool:
        return _status(item) in REPORT_STATUSES


class RejectsFilter(ItemFilter):
    def accepts(self, item: Any) -> bool:
        return _status(item) in REJECT_STATUSES


def run_time(crawler) -> str:
    """The run's timestamp for file names (UTC, like Scrapy's %(time)s), fixed at first use."""
    stats = crawler.stats
    value = stats.get_value("govreports/run_time")
    if value is None:
        start = stats.get_value("start_time")
        if start is None:
            from datetime import datetime, timezone
            start = datetime.now(tz=timezone.utc)
        value = start.replace(microsecond=0).isoformat().replace(":", "-")
        stats.set_value("govreports/run_time", value)
    return value


def uri_params(params: dict, spider) -> dict:
    params["time"] = run_time(spider.crawler)
    return params


def output_dir(settings) -> str:
    return settings.get("GOVREPORTS_OUTPUT_DIR") or DEFAULT_OUTPUT_DIR


def default_feeds(settings) -> dict:
    out = output_dir(settings)
    return {
        os.path.join(out, "reports-%(time)s.csv"): {
            "format": "csv", "item_filter": ReportsFilter, "overwrite": True},
        os.path.join(out, "reports-%(time)s.jsonl"): {
            "format": "jsonlines", "encoding": "utf-8", "item_filter": ReportsFilter, "overwrite": True},
        **rejects_feed(settings),
    }


def rejects_feed(settings) -> dict:
    out = output_dir(settings)
    return {
        os.path.join(out, "rejects-%(time)s.jsonl"): {
            "format": "jsonlines", "encoding": "utf-8", "item_filter": RejectsFilter, "overwrite": True},
        os.path.join(out, "rejects-%(time)s.csv"): {
            "format": "rejects_csv", "item_filter": RejectsFilter, "overwrite": True},
    }


class FeedsAddon:
    """Completes FEEDS before the crawler freezes its settings (runs after -o/-O/-s are applied)."""

    def update_settings(self, settings) -> None:
        if settings.getbool("GOVREPORTS_DISABLE_DEFAULT_FEEDS"):
            return
        feeds = settings.getdict("FEEDS")
        priority = settings.getpriority("FEEDS") or 0
        if not feeds:
            feeds = default_feeds(settings)
        else:
            feeds = {uri: dict(opts or {}) for uri, opts in feeds.items()}
            has_rejects = False
            for opts in feeds.values():
                flt = opts.get("item_filter")
                if flt is None:
                    opts["item_filter"] = ReportsFilter
                elif flt in (RejectsFilter, "crawler.exporters.RejectsFilter"):
                    has_rejects = True
            if not has_rejects:
                feeds.update(rejects_feed(settings))
        settings.set("FEEDS", feeds, priority=priority)  # same priority: replaces, never loses to
        exporters = settings.getdict("FEED_EXPORTERS")
        if "rejects_csv" not in exporters:
            settings.set("FEED_EXPORTERS", {**exporters, "rejects_csv": "crawler.exporters.RejectsCsvExporter"},
                         priority=settings.getpriority("FEED_EXPORTERS") or "addon")
        if not settings.get("FEED_URI_PARAMS"):
            settings.set("FEED_URI_PARAMS", "crawler.exporters.uri_params", priority="addon")
