"""Issue 15: the CSV exporters write each flattened row straight to the csv writer; the bytes are
those Scrapy's CsvItemExporter serializer chain writes for the same rows (BOM, header, quoting,
line endings, missing columns, formula-neutralised cells, numbers, lists)."""
from __future__ import annotations

import io

from scrapy.exporters import CsvItemExporter

from crawler.csvrow import REJECT_FIELDS, flatten, flatten_reject
from crawler.exporters import RejectsCsvExporter, ReportCsvExporter
from crawler.schema import FIELDS


class SlowReports(ReportCsvExporter):
    """The exporter as it was: every row through Scrapy's CsvItemExporter.export_item."""

    def export_item(self, item):
        CsvItemExporter.export_item(self, flatten(dict(item)))


class SlowRejects(RejectsCsvExporter):
    def export_item(self, item):
        CsvItemExporter.export_item(self, flatten_reject(dict(item)))


RECORDS = [
    {"status": "complete", "title": "=HYPERLINK(\"x\")", "organ": "漫湾镇人民政府", "report_year": 2023,
     "url": "http://a.gov.cn/t1.html", "document_url": "http://a.gov.cn/t1.pdf", "portal": "http://a.gov.cn/",
     "sections": {"overview": "第一行\n第二行, \"引号\""}, "organ_level": "township",
     "table2": {"rows": {"1": {"a": 3, "b": "-5"}, "2": {}}, "format_version": 2},
     "table3": {"rows": {"1": {"a": 1.5}}}, "table4": None, "problems": [{"code": "x"}, {"code": "x"}, "junk"],
     "checks": [{"id": "c1", "status": "failed"}, {"id": "c2", "status": "passed"}],
     "changed_fields": [{"field": "title"}], "also_at": ["http://b/1", "http://b/2"], "record_id": "r1",
     "evidence": {"page": {"sha256": "ab", "warc": "w.warc.gz"}}, "fetched_at": "2026-01-01T00:00:00+00:00",
     "duplicate": True, "http_status": 200, "county_code": "530823", "region_note": "+1 note\r\nnext"},
    {"status": "partial", "title": "@SUM(1)", "report_year": None, "organ": "", "url": "http://a.gov.cn/t2.html"},
    {"status": "inconsistent", "title": "-12.5%", "publisher": "\tx", "also_at": [], "report_year": 2022},
    {},
]
REJECTS = [
    {"status": "failed", "url": "http://a/1", "problems": [{"code": "http_error", "detail": "404"}, {"code": "z"}],
     "http_status": 404, "title": "=cmd"},
    {"status": "not_a_report", "url": "http://a/2", "problems": []},
]


def run(cls, records, **kwargs):
    buf = io.BytesIO()
    exp = cls(buf, **kwargs)
    exp.start_exporting()
    for r in records:
        exp.export_item(r)
    exp.finish_exporting()
    return buf.getvalue()


def test_report_rows_are_the_bytes_scrapys_serializers_write():
    for kwargs in ({}, {"fields_to_export": None, "encoding": "utf-8", "indent": 0}, {"encoding": "gb18030"},
                   {"fields_to_export": ["title", "nope", "report_year", "county_code"]},
                   {"fields_to_export": {"title": "标题", "report_year": "year", "missing": "m"}},
                   {"delimiter": ";"}, {"include_headers_line": False}):
        fast = run(ReportCsvExporter, RECORDS, **kwargs)
        assert fast == run(SlowReports, RECORDS, **kwargs), kwargs
    fast = run(ReportCsvExporter, RECORDS)
    assert fast.startswith("\ufeff".encode() + b"record_id,") or fast.startswith("\ufeff".encode())
    assert fast.count(b"\r\n") >= len(RECORDS) + 1
    assert "'=HYPERLINK".encode() in fast and b"-12.5%" in fast


def test_reject_rows_are_the_bytes_scrapys_serializers_write():
    assert run(RejectsCsvExporter, REJECTS) == run(SlowRejects, REJECTS)
    assert run(RejectsCsvExporter, REJECTS, fields_to_export=None, encoding="utf-8", indent=0) == \
        run(SlowRejects, REJECTS, fields_to_export=None, encoding="utf-8", indent=0)


def test_a_row_with_other_cell_types_goes_through_scrapys_serializers():
    class Odd(ReportCsvExporter):
        def export_item(self, item):
            self._write_flat({"title": b"bytes \xe4\xb8\xad".decode("latin-1").encode("latin-1"),
                              "organ": ["a", "b"], "report_year": True})
    buf = io.BytesIO()
    exp = Odd(buf, fields_to_export=["title", "organ", "report_year"])
    exp.start_exporting()
    exp.export_item({})
    exp.finish_exporting()
    assert buf.getvalue().decode("utf-8-sig").splitlines()[1] == "bytes 中,a;b,True"


def test_a_subclass_overriding_the_serializer_chain_keeps_it():
    class Upper(ReportCsvExporter):
        def serialize_field(self, field, name, value):
            return value.upper() if isinstance(value, str) else value
    out = run(Upper, [{"status": "complete", "title": "abc"}]).decode("utf-8-sig")
    assert ",ABC," in out or out.splitlines()[1].split(",")[FIELDS.index("title")] == "ABC"
    assert REJECT_FIELDS[0] == "url"


def test_jsonlines_records_are_the_bytes_scrapys_exporter_writes():
    import datetime
    from decimal import Decimal

    from scrapy.exporters import JsonLinesItemExporter

    from crawler.exporters import FeedsAddon, RecordJsonLinesExporter
    from crawler.items import DocumentItem

    items = [*RECORDS, *REJECTS, {"when": datetime.date(2024, 1, 2), "n": Decimal("1.5"), "s": {"中"}},
             DocumentItem(url="http://a/", http_status=200)]
    for kwargs in ({"fields_to_export": None, "encoding": "utf-8", "indent": 0}, {},
                   {"fields_to_export": ["title", "status"], "encoding": "utf-8"},
                   {"encoding": "utf-8", "export_empty_fields": True}):
        assert run(RecordJsonLinesExporter, items, **kwargs) == run(JsonLinesItemExporter, items, **kwargs), kwargs

    from scrapy.settings import Settings
    s = Settings({"FEED_EXPORTERS": {"jsonl": "my.Exporter"}})
    FeedsAddon().update_settings(s)
    exporters = s.getdict("FEED_EXPORTERS")
    assert exporters["jsonl"] == "my.Exporter" and exporters["jsonlines"] == "crawler.exporters.RecordJsonLinesExporter"
