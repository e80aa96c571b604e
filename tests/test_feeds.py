"""CSV exporter, feed filters, feed defaults and the data dictionary (crawler/exporters.py, schema.py)."""
import csv
import io
from pathlib import Path

from scrapy.settings import Settings

from crawler import schema
from crawler.exporters import (FeedsAddon, RejectsCsvExporter, RejectsFilter, ReportCsvExporter, ReportsFilter, flatten,
                               neutralise)
from crawler.parsing.spec import SECTION_KEYS, table_columns

REPO = Path(__file__).resolve().parents[1]


def record(**kw):
    r = {
        "record_id": "r0123456789abcdef", "url": "http://x/a.html", "document_url": "http://x/a.pdf",
        "document_type": "pdf", "portal": "http://x/", "title": "某镇2023年政府信息公开工作年度报告",
        "report_year": 2023, "organ": "某县某镇人民政府", "organ_level": "township", "index_no": None,
        "publisher": "=HYPERLINK(\"http://evil\")", "written_date": "2024-01-20", "published_date": None,
        "sections": {"overview": "一、总体情况 …", "other": None},
        "table2": {"format_version": "2021", "rows": {"rules": {"issued": 0, "repealed": None, "in_force": 3}}},
        "table3": {"format_version": "2019", "rows": {"other_handling": {"total": 1}, "new_received": {"total": 2}}},
        "table4": {"rows": {"review": {"total": 0}}},
        "checks": [{"id": "T3-BAL", "scope": "total", "status": "failed"},
                   {"id": "T3-BAL", "scope": "natural_person", "status": "failed"},
                   {"id": "T3-SUM", "scope": "total", "status": "passed"}],
        "problems": [{"code": "merged_cell", "severity": "error", "detail": "…"},
                     {"code": "year_ambiguous", "severity": "warning", "detail": "…"}],
        "status": "inconsistent", "content_sha1": "abc", "parser_version": "0.3.0",
        "fetched_at": "2024-02-01T00:00:00+00:00", "also_at": ["http://x/a.html", "http://y/b.html"],
        "change": "new", "portal_name": "某县", "portal_region_code": "510421",
    }
    r.update(kw)
    return r


def test_columns_follow_the_documented_order():
    names = list(schema.FIELDS)
    assert names[0] == "record_id" and len(names) == len(set(names))
    cells = [f"{t}_{r}__{c}" for t, r, c, _ in table_columns()]
    first_section = names.index("section_overview")
    assert names[first_section:first_section + len(SECTION_KEYS)] == [f"section_{k}" for k in SECTION_KEYS]
    start = names.index(cells[0])
    assert names[start:start + len(cells)] == cells
    assert names[-4:] == ["t2_format_version", "t3_format_version", "checks_failed", "problems"]
    # both format versions: 2019-only and 2021-only cells are all there
    assert "t2_central_procurement__amount_unit" in names and "t2_rules__repealed" in names
    assert "t3_other_handling__total" in names and "t3_other_fee_unpaid__total" in names


def test_flatten_cells_lists_and_blank_vs_zero():
    row = flatten(record())
    assert row["t2_rules__issued"] == 0 and row["t2_rules__repealed"] == "" and row["t2_rules__in_force"] == 3
    assert row["t3_other_handling__total"] == 1 and row["t3_granted__total"] == ""
    assert row["t2_format_version"] == "2021" and row["t3_format_version"] == "2019"
    assert row["checks_failed"] == "T3-BAL"
    assert row["problems"] == "merged_cell;year_ambiguous"
    assert row["also_at"] == "http://x/a.html;http://y/b.html"
    assert row["section_overview"].startswith("一、总体情况") and row["section_other"] == ""
    assert row["report_year"] == 2023 and row["portal_region_code"] == "510421"
    assert set(row) == set(schema.FIELDS)
    empty = flatten({"status": "failed", "table2": None, "sections": None, "checks": [], "problems": []})
    assert empty["t2_format_version"] == "" and empty["t2_rules__issued"] == ""


def test_formula_injection_is_neutralised_but_numbers_are_not():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+86 10 1234") == "'+86 10 1234"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-") == "'-"
    assert neutralise("\t=cmd") == "'\t=cmd"
    for number in ("-3", "-1.5", "+2", "-0.25", "12"):
        assert neutralise(number) == number
    assert neutralise("正常文本") == "正常文本"
    assert flatten(record())["publisher"].startswith("'=HYPERLINK")


def export(records, **kw) -> bytes:
    buf = io.BytesIO()
    exp = ReportCsvExporter(buf, **kw)
    exp.start_exporting()
    for r in records:
        exp.export_item(r)
    exp.finish_exporting()
    return buf.getvalue()


def test_csv_has_bom_header_and_one_row_per_record():
    data = export([record(), record(record_id="r2", status="complete")], encoding="utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(schema.FIELDS)
    assert len(rows) == 3
    got = dict(zip(rows[0], rows[1]))
    assert got["organ"] == "某县某镇人民政府" and got["t2_rules__in_force"] == "3"


def test_csv_of_an_empty_run_still_has_bom_and_header():
    data = export([])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [",".join(schema.FIELDS)]


def test_appending_to_an_existing_csv_adds_rows_only(tmp_path):
    path = tmp_path / "a.csv"
    for status in ("complete", "partial"):  # what two runs with `-o a.csv` do
        with open(path, "ab") as f:
            exp = ReportCsvExporter(f)
            exp.start_exporting()
            exp.export_item(record(status=status))
            exp.finish_exporting()
    data = path.read_bytes()
    assert data.count(b"\xef\xbb\xbf") == 1 and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(schema.FIELDS) and [r[1] for r in rows[1:]] == ["complete", "partial"]


def test_filters_split_reports_from_rejects():
    rf, jf = ReportsFilter({}), RejectsFilter({})
    for status in ("complete", "inconsistent", "partial"):
        assert rf.accepts({"status": status}) and not jf.accepts({"status": status})
    for status in ("not_a_report", "failed"):
        assert jf.accepts({"status": status}) and not rf.accepts({"status": status})
    assert not rf.accepts(object()) and not jf.accepts(object())


def test_addon_default_feeds_and_cmdline_feeds():
    s = Settings({"GOVREPORTS_OUTPUT_DIR": "out"})
    FeedsAddon().update_settings(s)
    feeds = s.getdict("FEEDS")
    assert sorted(feeds) == ["out/rejects-%(time)s.csv", "out/rejects-%(time)s.jsonl", "out/reports-%(time)s.csv",
                             "out/reports-%(time)s.jsonl"]
    assert feeds["out/reports-%(time)s.csv"]["item_filter"] is ReportsFilter
    assert feeds["out/rejects-%(time)s.jsonl"]["item_filter"] is RejectsFilter
    assert feeds["out/rejects-%(time)s.csv"]["item_filter"] is RejectsFilter
    assert feeds["out/rejects-%(time)s.csv"]["format"] == "rejects_csv"
    assert s.getdict("FEED_EXPORTERS")["rejects_csv"] == "crawler.exporters.RejectsCsvExporter"
    assert s.get("FEED_URI_PARAMS") == "crawler.exporters.uri_params"

    s = Settings({"GOVREPORTS_OUTPUT_DIR": "out"})
    s.set("FEEDS", {"x.csv": {"format": "csv", "overwrite": True}}, priority="cmdline")  # what -O x.csv does
    FeedsAddon().update_settings(s)
    feeds = s.getdict("FEEDS")
    assert feeds["x.csv"]["item_filter"] is ReportsFilter and feeds["x.csv"]["overwrite"] is True
    assert feeds["out/rejects-%(time)s.jsonl"]["item_filter"] is RejectsFilter
    assert feeds["out/rejects-%(time)s.csv"]["item_filter"] is RejectsFilter


def test_rejects_csv_has_url_portal_status_and_problems():
    buf = io.BytesIO()
    exp = RejectsCsvExporter(buf)
    exp.start_exporting()
    exp.export_item({"url": "http://x/list.html", "document_url": "http://x/a.pdf", "portal": "http://x/",
                     "portal_name": "某县人民政府", "status": "failed", "http_status": None, "title": None,
                     "problems": [{"code": "unreachable", "severity": "error",
                                   "detail": "ConnectionRefusedError: Connection was refused"},
                                  {"code": "=cmd", "severity": "warning", "detail": ""}]})
    exp.finish_exporting()
    text = buf.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == ["url", "document_url", "portal", "portal_name", "status", "problems",
                             "problem_details", "title", "document_type", "sniffed_type", "http_status",
                             "found_on", "link_text", "fetched_at"]
    assert rows[0]["portal_name"] == "某县人民政府" and rows[0]["status"] == "failed"
    assert rows[0]["problems"] == "unreachable;=cmd"
    assert rows[0]["problem_details"] == "unreachable: ConnectionRefusedError: Connection was refused | =cmd"


def test_project_settings_register_the_csv_exporter_and_pipeline_order():
    from scrapy.utils.project import get_project_settings
    s = get_project_settings()
    assert s.getdict("FEED_EXPORTERS")["csv"] == "crawler.exporters.ReportCsvExporter"
    pipes = s.getdict("ITEM_PIPELINES")
    assert max(pipes, key=pipes.get) == "crawler.pipelines.DedupPipeline"  # must be last (exports at close)


def test_data_dictionary_is_generated_from_the_schema():
    raw = (REPO / "docs" / "data-dictionary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "with BOM, so Excel shows the Chinese labels"
    committed = raw.decode("utf-8-sig")
    assert committed == schema.data_dictionary_csv(), "run: python -m crawler.schema --write docs/data-dictionary.csv"
    assert schema.main(["--check", str(REPO / "docs" / "data-dictionary.csv")]) == 0
    rows = list(csv.DictReader(io.StringIO(committed)))
    assert [r["column"] for r in rows] == list(schema.FIELDS)
    assert all(r["label_zh"] and r["meaning"] for r in rows)
    assert schema.main(["--check", str(REPO / "docs" / "data-dictionary.csv")]) == 0
