"""End to end: the real `reports` spider over a fixture portal on 127.0.0.1, through the pipelines
into the default FEEDS (CSV + JSON Lines + rejects) and the run summary.

The portal (tests/fixtures/pipeline_site/site.py) publishes 3 reports under 6 URLs: 崆峒镇 in the
年报 column, as a `_wap` twin and again in the town column; 得石镇 as an HTML page plus a DOCX
attachment; 山海关区 once. It also links a dead report URL (→ a `failed` reject) and a 图解 under
a report title (→ a `not_a_report` reject).
"""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import schema
from crawler.parsing.spec import SECTION_KEYS, T2_COLUMNS, T3_COLUMNS, T3_ROW_KEYS, T4_COLUMNS, T4_ROWS
from tests.fixtures.pipeline_site.site import DECOY, EXPECTED_REPORTS, Site, build_site

REPO = Path(__file__).resolve().parents[1]


def crawl(url: str | None, work: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`scrapy crawl reports` in a subprocess (url None: the bundled sample portals)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", *(["-a", f"url={url}"] if url else []),
           "-s", f"GOVREPORTS_OUTPUT_DIR={work / 'out'}", "-s", f"GOVREPORTS_STATE_DIR={work / 'state'}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "TELNETCONSOLE_ENABLED=0", *args]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def runs(outdir: Path) -> list[dict]:
    """The files of each run in `outdir`, oldest first: {time, csv, jsonl, rejects, summary}."""
    times = sorted({m.group(1) for p in outdir.iterdir() if (m := re.match(r"run-summary-(.+)\.json$", p.name))})
    return [{"time": t, "csv": outdir / f"reports-{t}.csv", "jsonl": outdir / f"reports-{t}.jsonl",
             "rejects": outdir / f"rejects-{t}.jsonl", "summary": outdir / f"run-summary-{t}.json"}
            for t in times]


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def csv_rows(path: Path) -> tuple[bytes, list[str], list[dict]]:
    raw = path.read_bytes()
    reader = csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True))
    rows = list(reader)
    header = rows[0] if rows else []
    return raw, header, [dict(zip(header, r)) for r in rows[1:]]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = (int, float)


def check_record(rec: dict) -> None:
    """record.md's JSON shape, field by field (explicit checks instead of a JSON Schema dependency)."""
    str_or_none = ("title", "organ", "index_no", "publisher", "content_sha1")
    for key in ("record_id", "url", "document_url", "portal", "parser_version", "fetched_at", "status"):
        assert isinstance(rec.get(key), str) and rec[key], key
    for key in str_or_none:
        assert key in rec and (rec[key] is None or isinstance(rec[key], str)), key
    assert rec["status"] in ("complete", "inconsistent", "partial", "not_a_report", "failed")
    doc_types = (None, "html", "pdf", "docx", "doc", "wps", "ofd", "text")
    # a failed document may carry the sniffed kind it could not read ("zip", "xls", "image" …)
    assert rec["document_type"] in doc_types or (rec["status"] == "failed" and isinstance(rec["document_type"], str))
    assert rec["organ_level"] in (None, "township", "county_government", "government_office", "department")
    assert rec["report_year"] is None or (isinstance(rec["report_year"], int) and 1990 < rec["report_year"] < 2100)
    for key in ("written_date", "published_date"):
        assert rec[key] is None or _DATE.match(rec[key]), key
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$", rec["fetched_at"])
    assert rec["sections"] is None or (isinstance(rec["sections"], dict) and set(rec["sections"]) <= set(SECTION_KEYS))
    for name, rows_ok, cols_ok in (
        ("table2", lambda v, r: r in T2_COLUMNS["2019"] or r in T2_COLUMNS["2021"],
         lambda v, r, c: c in T2_COLUMNS.get(v, {}).get(r, ())),
        ("table3", lambda v, r: r in T3_ROW_KEYS, lambda v, r, c: c in T3_COLUMNS),
        ("table4", lambda v, r: r in T4_ROWS, lambda v, r, c: c in T4_COLUMNS),
    ):
        table = rec[name]
        if table is None:
            assert any(p["code"].startswith(name) for p in rec["problems"]) or rec["status"] in ("failed", "not_a_report")
            continue
        version = table.get("format_version")
        if name != "table4":
            assert version in ("2019", "2021"), name
        assert isinstance(table["rows"], dict)
        for row, cols in table["rows"].items():
            assert rows_ok(version, row), f"{name}.{row}"
            for col, value in cols.items():
                assert cols_ok(version, row, col), f"{name}.{row}.{col}"
                assert value is None or isinstance(value, _NUMBER) or (col == "amount_unit" and value in ("元", "万元"))
    for check in rec["checks"]:
        assert isinstance(check["id"], str) and check["status"] in ("passed", "failed", "skipped")
    for problem in rec["problems"]:
        assert isinstance(problem["code"], str) and problem["severity"] in ("error", "warning")
    if rec["status"] in ("complete", "inconsistent", "partial"):
        assert rec["document_type"] and rec["content_sha1"]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("e2e")
    root = build_site(work / "site")
    with Site(root) as site:
        proc = crawl(site.url, work)
    (run,) = runs(work / "out")
    return {"site": site.url, "run": run, "log": proc.stderr}


def test_csv_opens_with_bom_and_the_documented_header(first_run):
    raw, header, rows = csv_rows(first_run["run"]["csv"])
    assert raw.startswith(b"\xef\xbb\xbf")
    assert header == list(schema.FIELDS)
    documented = [line.split(",", 1)[0] for line in (REPO / "docs" / "data-dictionary.csv").read_text("utf-8").splitlines()[1:]]
    assert header == documented


def test_one_row_per_report_whatever_the_number_of_urls(first_run):
    _, _, rows = csv_rows(first_run["run"]["csv"])
    assert len(rows) == EXPECTED_REPORTS
    assert len({r["record_id"] for r in rows}) == EXPECTED_REPORTS
    by_organ = {r["organ"]: r for r in rows}
    assert set(by_organ) == {"平凉市崆峒区崆峒镇人民政府", "攀枝花市米易县得石镇人民政府", "山海关区人民政府办公室"}
    kongtong = by_organ["平凉市崆峒区崆峒镇人民政府"]
    urls = {kongtong["document_url"], *kongtong["also_at"].split(";")}
    site = first_run["site"]
    assert {site + "xxgk/ndbg/t20210122_1001.html", site + "towns/kongtong/ndbg/t1.html"} <= urls
    # every URL a report was seen at is in exactly one row (and the _wap twin is never a row of its own)
    all_urls = [u for r in rows for u in [r["document_url"], *filter(None, r["also_at"].split(";"))]]
    assert len(all_urls) == len(set(all_urls))
    assert not any("_wap" in r["document_url"] for r in rows)


def test_html_plus_attachment_is_one_report(first_run):
    """The 得石镇 DOCX is either merged into the HTML page's row (also_at) or, while the parser cannot
    read DOCX, a `failed` reject; never a second report row."""
    _, _, rows = csv_rows(first_run["run"]["csv"])
    docx = first_run["site"] + "xxgk/ndbg/P020240116.docx"
    in_rows = [r for r in rows if docx == r["document_url"] or docx in r["also_at"].split(";")]
    rejects = [r for r in jsonl(first_run["run"]["rejects"]) if r["document_url"] == docx]
    assert len(in_rows) + len(rejects) == 1
    if in_rows:
        assert in_rows[0]["organ"] == "攀枝花市米易县得石镇人民政府"
    else:
        assert rejects[0]["status"] == "failed" and rejects[0]["url"].endswith("t20240116_1002.html")


def test_json_lines_validate_against_record_md_and_match_the_csv(first_run):
    records = jsonl(first_run["run"]["jsonl"])
    assert len(records) == EXPECTED_REPORTS
    for rec in records:
        check_record(rec)
        assert rec["status"] in ("complete", "inconsistent", "partial") and rec["change"] == "new"
    _, _, rows = csv_rows(first_run["run"]["csv"])
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in records]
    for row, rec in zip(rows, records):
        cells = (rec["table3"] or {}).get("rows", {})
        for r, cols in cells.items():
            for c, v in cols.items():
                assert row[f"t3_{r}__{c}"] == ("" if v is None else str(v))


def test_rejects_feed_has_every_reject_the_spider_fetched(first_run):
    rejects = jsonl(first_run["run"]["rejects"])
    for rec in rejects:
        check_record(rec)
        assert rec["status"] in ("not_a_report", "failed") and rec["problems"]
    summary = json.loads(first_run["run"]["summary"].read_text("utf-8"))
    assert len(rejects) == summary["totals"]["rejects"] > 0
    dead = [r for r in rejects if r["document_url"].endswith("t20240301_9999.html")]
    assert len(dead) == 1 and dead[0]["status"] == "failed" and dead[0]["http_status"] == 404
    decoy = [r for r in rejects if r["document_url"].endswith(f"{DECOY}.html")]
    assert len(decoy) == 1 and decoy[0]["status"] == "not_a_report" and decoy[0]["title"].startswith("图解")


def test_nothing_dropped_every_fetched_document_is_a_row_or_a_reject(first_run):
    summary = json.loads(first_run["run"]["summary"].read_text("utf-8"))
    (p,) = summary["portals"].values()
    t = summary["totals"]
    assert t["report_documents"] + t["rejects"] == p["candidates_yielded"]
    _, _, rows = csv_rows(first_run["run"]["csv"])
    urls_in_rows = sum(1 + len(list(filter(None, r["also_at"].split(";")))) for r in rows)
    assert urls_in_rows >= t["report_documents"] - t["duplicates_merged"]


def test_run_summary_counts_per_portal(first_run):
    summary = json.loads(first_run["run"]["summary"].read_text("utf-8"))
    assert summary["finish_reason"] == "finished"
    (portal,) = summary["portals"]
    p = summary["portals"][portal]
    assert p["pages_fetched"] >= 6 and p["exported"] == EXPECTED_REPORTS
    assert p["duplicates_merged"] >= 1 and p["alerts"] == []
    t = summary["totals"]
    assert t["reports_exported"]["new"] == EXPECTED_REPORTS
    assert t["report_documents"] == t["duplicates_merged"] + EXPECTED_REPORTS
    assert "Run summary (finished)" in first_run["log"]


@pytest.mark.parametrize("ext", ["csv", "jsonl"])
def test_dash_O_gets_the_same_shape(tmp_path, first_run, ext):
    root = build_site(tmp_path / "site")
    with Site(root) as site:
        crawl(site.url, tmp_path, "-O", str(tmp_path / f"x.{ext}"))
    if ext == "csv":
        raw, header, rows = csv_rows(tmp_path / "x.csv")
        assert raw.startswith(b"\xef\xbb\xbf") and header == list(schema.FIELDS)
    else:
        rows = jsonl(tmp_path / "x.jsonl")
        for rec in rows:
            check_record(rec)
        assert set(rows[0]) == set(jsonl(first_run["run"]["jsonl"])[0])
    assert len(rows) == EXPECTED_REPORTS and all(r["status"] not in ("failed", "not_a_report") for r in rows)
    (run,) = runs(tmp_path / "out")  # rejects still have their feed
    assert not run["csv"].exists() and len(jsonl(run["rejects"])) >= 1
