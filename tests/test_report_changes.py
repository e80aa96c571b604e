"""The run report lists the reports edited or withdrawn since their last export (issue 14)."""
from __future__ import annotations

import json

import lxml.html
import pytest

from crawler.regions.coverage import coverage
from crawler.regions.divisions import load
from crawler.regions.extension import slim
from crawler.regions.html_report import render
from crawler.regions.resolve import resolve
from crawler.report import main as report_main

PORTAL = "http://www.tongshan.gov.cn/"
META = {"name": "通山县人民政府", "region_code": "421224", "province": "湖北省", "city": "咸宁市", "county": "通山县"}
RUN = "2026-01-01T00-00-00+00-00"


@pytest.fixture(scope="module")
def div():
    return load()


def report(div, organ, year, url, **extra):
    r = {"organ": organ, "organ_level": "county_government", "report_year": year, "status": "complete",
         "portal": PORTAL, "url": url, "document_url": url, "record_id": url,
         "title": f"{organ}{year}年政府信息公开工作年度报告", **{f"portal_{k}": v for k, v in META.items()}}
    r.update(resolve(r, div))
    r.update(extra)
    return r


def records(div):
    fields = [{"field": "table3.rows.new.natural_person", "old": 12, "new": 21},
              {"field": "title", "old": "<b>旧标题</b>", "new": "新标题"},
              {"field": "written_date", "old": None, "new": "2024-01-20"},
              *({"field": f"table4.rows.r{i}.total", "old": i, "new": i + 1} for i in range(4))]
    edited = report(div, "通山县人民政府", 2023, "http://x/edited", change="edited", previous_sha256="ab" * 32,
                    changed_fields=fields)
    withdrawn = report(div, "通山县人民政府", 2022, "http://x/gone", change="withdrawn", previous_sha256="cd" * 32,
                       problems=[{"code": "withdrawn", "severity": "warning",
                                  "detail": "gone since it was exported on 2025-01-01 (http_404: <gone>)"}])
    plain = report(div, "通山县人民政府", 2021, "http://x/same", change="new")
    return [edited, withdrawn, plain]


def change_rows(page: str):
    tree = lxml.html.fromstring(page)
    [table] = tree.xpath("//table[@class='changes']")
    return {tr.get("data-change"): tr for tr in table.xpath(".//tr[@data-change]")}, tree


def check_changes(page: str):
    rows, tree = change_rows(page)
    assert sorted(rows) == ["edited", "withdrawn"]   # a new report is not a change
    edited = rows["edited"]
    items = [li.text_content() for li in edited.xpath(".//li")]
    assert items == ["table3.rows.new.natural_person: 12 → 21", "title: <b>旧标题</b> → 新标题",
                     "written_date: null → 2024-01-20", "table4.rows.r0.total: 0 → 1",
                     "table4.rows.r1.total: 1 → 2", "… 2 more"]
    assert not edited.xpath(".//b")   # the old title's markup is text, not markup
    assert edited.xpath(".//a/@href") == ["http://x/edited"] and "ab" * 32 in edited.text_content()
    gone = rows["withdrawn"]
    assert gone.xpath(".//a/@href") == ["http://x/gone"]
    assert [li.text_content() for li in gone.xpath(".//li")] == [
        "gone since it was exported on 2025-01-01 (http_404: <gone>)"]
    assert not tree.xpath("//table[@class='changes']//a[@href='http://x/same']")


def test_the_run_report_lists_edited_and_withdrawn_reports(div):
    recs = records(div)
    [pc] = coverage({PORTAL: META}, recs, div, [2021, 2022, 2023])
    check_changes(render({}, recs, {PORTAL: META}, [pc], "t"))


def test_without_changes_the_section_says_so(div):
    rec = report(div, "通山县人民政府", 2023, "http://x/c", change="new")
    [pc] = coverage({PORTAL: META}, [rec], div, [2023])
    page = render({}, [rec], {PORTAL: META}, [pc], "t")
    assert not lxml.html.fromstring(page).xpath("//table[@class='changes']")
    assert "No report was edited or withdrawn since it was last exported." in page


def test_the_rebuilt_report_lists_them_from_the_feed(div, tmp_path):
    feed = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(div))
    (tmp_path / f"reports-{RUN}.jsonl").write_text(feed, "utf-8")
    (tmp_path / f"rejects-{RUN}.jsonl").write_text("", "utf-8")
    assert report_main([str(tmp_path), "--years", "2021-2023"]) == 0
    check_changes((tmp_path / f"run-report-{RUN}.html").read_text("utf-8"))


def test_the_close_time_report_keeps_the_changes_of_this_run_only(div):
    edited, withdrawn, plain = records(div)
    kept = slim(edited)
    assert kept["change"] == "edited" and kept["previous_sha256"] == "ab" * 32
    assert kept["changed_fields"] == edited["changed_fields"][:5] and kept["changed_fields_total"] == 7
    assert slim(withdrawn)["change"] == "withdrawn"
    assert "change" not in slim(plain)   # new/changed reports: nothing to list
    # the slim record, as the close-time report gets it, still shows all 7 changes counted
    [pc] = coverage({PORTAL: META}, [kept, slim(withdrawn)], div, [2022, 2023])
    check_changes(render({}, [kept, slim(withdrawn), slim(plain)], {PORTAL: META}, [pc], "t"))


def test_a_later_run_does_not_list_the_changes_of_an_earlier_one(div, tmp_path):
    from scrapy.utils.test import get_crawler

    from crawler.regions.extension import NAMESPACE, CoverageReport
    from crawler.state import release_store, store_for

    edited, withdrawn, plain = records(div)
    crawler = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path)})
    ext = CoverageReport(crawler)
    for rec in (edited, withdrawn, plain):
        ext.item_scraped(rec)
    this_run = {r["url"]: r for r in ext._with_earlier_runs({PORTAL: META})}
    assert this_run["http://x/edited"]["change"] == "edited" and this_run["http://x/gone"]["change"] == "withdrawn"
    stored = {v["url"]: v for _k, v in store_for(crawler).items(NAMESPACE)}
    assert sorted(stored) == ["http://x/edited", "http://x/gone", "http://x/same"]
    assert not any(k in v for v in stored.values() for k in ("change", "changed_fields", "previous_sha256"))
    release_store(crawler)
