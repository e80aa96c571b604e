"""Feed exporters and feed configuration (Scrapy FEEDS; nothing here writes files by hand).

- `ReportCsvExporter`: registered for the ``csv`` format in FEED_EXPORTERS, so both the default
  per-run feed and ``-O file.csv`` get one flattened row per record in the fixed column order of
  crawler/schema.py, UTF-8 with BOM, and spreadsheet formula injection neutralised.
- `RecordJsonLinesExporter` (formats ``jsonlines``/``jsonl``, unless FEED_EXPORTERS names others):
  Scrapy's JSON Lines exporter, encoding a plain dict record without its per-field copy.
- `RejectsCsvExporter` (format ``rejects_csv``): the rejects as a CSV (url, portal, status, problem
  codes and details, crawler/csvrow.py `REJECT_FIELDS`) beside the rejects JSON Lines.
- `ReportsFilter` / `RejectsFilter`: feed ``item_filter`` classes that split reports
  (complete | inconsistent | partial) from rejects (not_a_report | failed).
- `uri_params`: FEED_URI_PARAMS hook: one ``%(time)s`` per run, shared by all feeds and the summary.
- `UnbufferedFileFeedStorage`: local feed files flushed after every item (the distributed mode's
  feed storage: a SIGKILLed worker keeps every line it exported).
- `FeedsAddon`: fills in the default feeds (``output/reports-<time>.csv``, ``.jsonl``,
  ``output/rejects-<time>.jsonl`` and ``.csv``) when FEEDS is empty, and when feeds come from ``-o/-O``
  restricts them to reports and keeps the rejects feed, so nothing is dropped silently.
"""
from __future__ import annotations

import io
import os
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.exporters import BaseItemExporter, CsvItemExporter, JsonLinesItemExporter
from scrapy.utils.python import to_bytes
from scrapy.extensions.feedexport import FileFeedStorage, ItemFilter

from crawler.csvrow import REJECT_FIELDS, LIST_SEP, flatten, flatten_reject, neutralise  # noqa: F401  (re-exported)
from crawler.schema import FIELDS

REPORT_STATUSES = frozenset({"complete", "inconsistent", "partial"})
REJECT_STATUSES = frozenset({"not_a_report", "failed"})
DEFAULT_OUTPUT_DIR = "output"
_PLAIN = frozenset({str, int, float})  # the cell types of a flattened row (crawler/csvrow.py `_text`)

class ReportCsvExporter(CsvItemExporter):
    """CSV in the documented column order, UTF-8 with BOM (Excel), formula-safe.

    A row is written straight from the flattened record (crawler/csvrow.py) by the same
    ``csv.writer`` Scrapy set up: flattened cells are already ``str``/numbers, so Scrapy's per-field
    serializer chain (``get_serialized_fields`` → ``serialize_field`` → ``_build_row``) would hand
    every value through unchanged; skipping it writes the same bytes at a fraction of the CPU
    (issue 15). A subclass that overrides that chain gets it back (`_fast_row`)."""

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
        cls = type(self)
        self._fast_row = (cls.serialize_field is CsvItemExporter.serialize_field
                          and cls._build_row is CsvItemExporter._build_row
                          and cls.get_serialized_fields is CsvItemExporter.get_serialized_fields)
        self._columns: list[tuple[str, str]] | None = None  # (item field, CSV column) pairs

    def start_exporting(self) -> None:
        super().start_exporting()
        if self._headers_not_written:  # header (and BOM) even when the run exports nothing
            self._headers_not_written = False
            self._write_headers_and_set_fields_to_export(None)

    def export_item(self, item: Any) -> None:
        record = dict(item) if not isinstance(item, dict) else item
        self._write_flat(flatten(record))

    def _write_flat(self, row: dict) -> None:
        """One flattened row: what ``CsvItemExporter.export_item`` writes for this plain dict of
        str/number cells (missing columns are ``""``, str/numbers pass its serializers as they are)."""
        if self._headers_not_written or not self._fast_row:
            CsvItemExporter.export_item(self, row)
            return
        columns = self._columns
        if columns is None:
            fields = self.fields_to_export
            if isinstance(fields, Mapping):
                columns = list(fields.items())
            else:
                columns = [(f, f) if isinstance(f, str) else tuple(f) for f in fields]
            self._columns = columns
        if not _PLAIN.issuperset(map(type, row.values())):
            CsvItemExporter.export_item(self, row)   # not a flattened row: Scrapy's serializers decide
            return
        get = row.get
        self.csv_writer.writerow([get(name, "") for name, _ in columns])


class RejectsCsvExporter(ReportCsvExporter):
    """rejects-<time>.csv: url, portal, status, problem codes and details of every reject (format ``rejects_csv``)."""

    def __init__(self, file, **kwargs):
        kwargs["fields_to_export"] = list(REJECT_FIELDS)
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        record = dict(item) if not isinstance(item, dict) else item
        self._write_flat(flatten_reject(record))


class RecordJsonLinesExporter(JsonLinesItemExporter):
    """Scrapy's JSON Lines exporter (formats ``jsonlines``/``jsonl``), minus its per-field pass for
    plain dict records: with no ``fields_to_export`` and no per-field serializers, that pass copies
    the dict unchanged (same keys, same order), so the encoder gets the record itself and writes
    the same line (issue 15). Items of other types, or selected fields, take Scrapy's path."""

    def __init__(self, file, **kwargs):
        super().__init__(file, **kwargs)
        cls = type(self)
        self._fast = (cls.serialize_field is BaseItemExporter.serialize_field
                      and cls.get_serialized_fields is BaseItemExporter.get_serialized_fields)

    def export_item(self, item: Any) -> None:
        if (type(item) is dict and self._fast and self.fields_to_export is None
                and not self.export_empty_fields):
            self.file.write(to_bytes(self.encoder.encode(item) + "\n", self.encoding))
            return
        super().export_item(item)


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


RUN_FILE_PREFIXES = ("reports-", "rejects-", "run-summary-", "coverage-", "missing-", "run-report-")


def run_time(crawler) -> str:
    """The run's timestamp for file names (UTC, like Scrapy's %(time)s), fixed at first use and
    unique in the output directory: a second run started within the same second (a script, two
    cron jobs sharing an output directory) gets ``<time>-2`` instead of overwriting the first's
    files."""
    stats = crawler.stats
    value = stats.get_value("govreports/run_time")
    if value is None:
        start = stats.get_value("start_time")
        if start is None:
            from datetime import datetime, timezone
            start = datetime.now(tz=timezone.utc)
        value = _claim(crawler, start.replace(microsecond=0).isoformat().replace(":", "-"))
        stats.set_value("govreports/run_time", value)
    return value


def _claim(crawler, base: str) -> str:
    """The first of base, base-2, base-3 … that no run in the output directory has used or is
    claiming (an O_EXCL claim file, removed when this run's engine stops: by then its own files
    hold the name)."""
    out = output_dir(crawler.settings)
    try:
        os.makedirs(out, exist_ok=True)
        taken = {name for name in os.listdir(out)}
    except OSError:   # an unwritable output directory fails later, where the feeds say so
        return base
    n = 1
    while True:
        value = base if n == 1 else f"{base}-{n}"
        n += 1
        if any(name.startswith(prefix + value + ".") for name in taken for prefix in RUN_FILE_PREFIXES):
            continue
        claim = os.path.join(out, f".run-{value}.claim")
        try:
            os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        except OSError:
            return value
        def release(*_a, **_kw):
            try:
                os.remove(claim)
            except OSError:
                pass
        crawler.signals.connect(release, signal=signals.engine_stopped, weak=False)
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
        ours = {"rejects_csv": "crawler.exporters.RejectsCsvExporter",
                "jsonlines": "crawler.exporters.RecordJsonLinesExporter",
                "jsonl": "crawler.exporters.RecordJsonLinesExporter"}
        missing = {fmt: path for fmt, path in ours.items() if fmt not in exporters}
        if missing:
            settings.set("FEED_EXPORTERS", {**exporters, **missing},
                         priority=settings.getpriority("FEED_EXPORTERS") or "addon")
        if not settings.get("FEED_URI_PARAMS"):
            settings.set("FEED_URI_PARAMS", "crawler.exporters.uri_params", priority="addon")


class _FlushingWriter(io.BufferedWriter):
    def write(self, data) -> int:
        n = super().write(data)
        self.flush()  # loops until the kernel has all of it
        return n


class UnbufferedFileFeedStorage(FileFeedStorage):
    """A local feed file flushed after every write: an exported item is in the file (the kernel's
    page cache) before the item_scraped signal returns. Rejects are not held in Redis like reports
    (they go straight to the feed), so with Python's buffer a worker SIGKILLed after acknowledging
    their requests' leases would lose its last few kB of rejects."""

    def open(self, spider):
        dirname = os.path.dirname(self.path)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        return _FlushingWriter(io.FileIO(self.path, self.write_mode))
