"""Expected units × years from the division list, statuses, the missing list, the rebuild command."""
from __future__ import annotations

import csv
import json

import pytest

from crawler.regions.coverage import NOT_FOUND, coverage, missing, parse_years
from crawler.regions.divisions import load
from crawler.regions.resolve import resolve
from crawler.report import main as report_main

TONGSHAN = "http://www.tongshan.gov.cn/"
META = {"name": "通山县人民政府", "region_code": "421224", "province": "湖北省", "city": "咸宁市", "county": "通山县"}


@pytest.fixture(scope="module")
def div():
    return load()


def record(div, organ, level, year, status, portal=TONGSHAN, url="http://x/1.html", rid=None, meta=META):
    r = {"organ": organ, "organ_level": level, "report_year": year, "status": status, "portal": portal,
         "url": url, "document_url": url, "record_id": rid or url, "title": f"{organ}{year}年政府信息公开工作年度报告",
         **{f"portal_{k}": v for k, v in meta.items()}}
    r.update(resolve(r, div))
    return r


def test_parse_years():
    assert parse_years("2019-2024") == [2019, 2020, 2021, 2022, 2023, 2024]
    assert parse_years("2023,2021") == [2021, 2023]
    assert parse_years("2021-2022,2024") == [2021, 2022, 2024]
    assert parse_years(None) is None and parse_years("") is None
    for bad in ("19-24", "2024-2019", "abc", "2019-"):
        with pytest.raises(ValueError):
            parse_years(bad)


def test_every_expected_unit_and_year_gets_a_row(div):
    recs = [record(div, "通山县人民政府", "county_government", 2023, "complete", url="http://x/c23"),
            record(div, "通山县通羊镇人民政府", "township", 2023, "partial", url="http://x/t23"),
            record(div, "通山县通羊镇人民政府", "township", 2023, "complete", url="http://x/t23b"),
            record(div, "大路乡人民政府", "township", 2022, "failed", url="http://x/d22"),
            record(div, "通山县城关镇人民政府", "township", 2022, "inconsistent", url="http://x/g22")]
    [pc] = coverage({TONGSHAN: META}, recs, div, [2022, 2023])
    rows = {(r["unit"], r["year"]): r for r in pc.rows}
    towns = [t for t in div.towns("421224") if t.level in ("街道", "镇", "乡")]
    assert len(towns) == 12   # 8 镇 + 4 乡; 九宫山自然保护管理局 and 开发区 are not expected
    assert len([r for r in pc.rows if r["expected"] == "yes"]) == (1 + 12) * 2
    assert rows[("通山县", 2023)]["status"] == "complete" and rows[("通山县", 2022)]["status"] == NOT_FOUND
    # the best of several documents wins; the code is the township's
    assert (rows[("通羊镇", 2023)]["status"], rows[("通羊镇", 2023)]["code"], rows[("通羊镇", 2023)]["documents"]) == \
        ("complete", "421224100", 2)
    assert rows[("通羊镇", 2023)]["url"] == "http://x/t23b"
    assert rows[("大路乡", 2022)]["status"] == "failed"
    assert rows[("南林桥镇", 2022)]["status"] == NOT_FOUND
    # a township the list lacks gets its own row, not counted as expected
    assert rows[("城关镇", 2022)]["status"] == "inconsistent" and rows[("城关镇", 2022)]["expected"] == "no"
    miss = missing(pc.rows)
    assert ("大路乡", 2022) in {(m["unit"], m["year"]) for m in miss}
    assert len(miss) == 26 - 2   # expected rows minus the two with a readable report (通山县, 通羊镇 2023)


def test_a_town_report_on_another_portal_counts_for_the_town(div):
    town_site = "http://tyz.tongshan.gov.cn/"
    recs = [record(div, "通山县通羊镇人民政府", "township", 2023, "complete", portal=town_site,
                   meta={"county": "通山县", "province": "湖北省"})]
    # two portals of one county share one grid; the years are those found on either
    [pc] = coverage({TONGSHAN: META, town_site: {"county": "通山县", "province": "湖北省"}}, recs, div)
    assert (pc.portal, pc.years) == (f"{TONGSHAN};{town_site}", [2023])
    assert len(pc.rows) == 13 and {r["unit"]: r["status"] for r in pc.rows}["通羊镇"] == "complete"
    [pc] = coverage({TONGSHAN: META}, recs, div)
    assert pc.years == []     # the county portal itself had no report: its years default to none
    [pc] = coverage({TONGSHAN: META}, recs, div, [2023])
    assert {r["unit"]: r["status"] for r in pc.rows}["通羊镇"] == "complete"


def test_a_listed_unit_that_is_not_expected_still_shows_its_report(div):
    rec = record(div, "通山县开发区管委会", "township", 2023, "complete", url="http://x/kfq")
    rec.update(township_name="开发区", township_code="421224570", region_match="by_name_in_county")
    [pc] = coverage({TONGSHAN: META}, [rec], div, [2023])
    row = [r for r in pc.rows if r["code"] == "421224570"]
    assert [(r["unit"], r["level"], r["expected"], r["status"]) for r in row] == \
        [("开发区", "other_township", "no", "complete")]


def test_a_portal_without_metadata_takes_the_county_of_its_own_government(div):
    recs = [record(div, "通山县人民政府", "county_government", 2023, "complete", meta={}),
            record(div, "通山县厦铺镇人民政府", "township", 2023, "partial", url="http://x/2", meta={})]
    [pc] = coverage({TONGSHAN: {}}, recs, div)
    assert pc.county.code == "421224" and pc.years == [2023]
    assert {r["unit"]: r["status"] for r in pc.rows}["厦铺镇"] == "partial"
    assert "inferred" in pc.note


def test_rebuild_from_feeds(div, tmp_path, capsys):
    recs = [record(div, "通山县人民政府", "county_government", 2023, "complete", url="http://x/c23"),
            record(div, "通山县通羊镇人民政府", "township", 2023, "partial", url="http://x/t23")]
    t = "2026-01-01T00-00-00+00-00"
    (tmp_path / f"reports-{t}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
    (tmp_path / f"rejects-{t}.jsonl").write_text("", "utf-8")
    assert report_main([str(tmp_path), "--years", "2022-2023"]) == 0
    assert "1 county grid(s), 26 expected unit-year(s), 2 with a report, 24 missing" in capsys.readouterr().out
    with open(tmp_path / f"coverage-{t}.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 13 * 2
    got = {(r["unit"], r["year"]): r["status"] for r in rows}
    assert got[("通羊镇", "2023")] == "partial" and got[("通羊镇", "2022")] == NOT_FOUND
    html = (tmp_path / f"run-report-{t}.html").read_text("utf-8")
    assert "通山县人民政府" in html and "http://x/t23" in html
    assert report_main([str(tmp_path / "nowhere")]) == 2
    assert report_main([str(tmp_path), "--years", "20-24"]) == 2
    assert "crawler.report:" in capsys.readouterr().err


def test_the_html_report_escapes_what_portals_print_and_says_when_a_crawl_ended_early(div):
    from crawler.regions.html_report import render
    bad = record(div, "通山县人民政府", "county_government", 2023, "complete", url="javascript:alert(1)")
    bad["title"] = "<script>alert('x')</script>年报"
    [pc] = coverage({TONGSHAN: META}, [bad], div, [2023])
    page = render({"finish_reason": "shutdown"}, [bad], {TONGSHAN: META}, [pc], "t")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page
    assert "ended early (shutdown)" in page
    for outside in ("<script", "<link", "@import", "url(", "src=", "<iframe"):   # one file, nothing fetched
        assert outside not in page.lower()
    assert "ended early" not in render({"finish_reason": "finished"}, [bad], {TONGSHAN: META}, [pc], "t")


def test_a_failed_document_counts_for_the_year_its_link_prints(div):
    failed = record(div, None, None, None, "failed", url="http://x/a.pdf")
    failed.update(link_text="通山县通羊镇2022年政府信息公开工作年度报告.pdf", title=None)
    failed.update(resolve(failed, div))
    assert failed["township_code"] == "421224100"
    [pc] = coverage({TONGSHAN: META}, [failed], div, [2022])
    assert {r["unit"]: r["status"] for r in pc.rows}["通羊镇"] == "failed"
    failed["link_text"] = "2021年和2022年报告"   # two years printed: no year, no row
    [pc] = coverage({TONGSHAN: META}, [failed], div, [2021, 2022])
    assert {r["status"] for r in pc.rows} == {"not found"}


def test_a_malformed_years_argument_is_one_line_and_a_non_zero_exit(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path
    repo = Path(__file__).resolve().parents[1]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawler.settings", PYTHONPATH=str(repo),
               GOVREPORTS_OUTPUT_DIR=str(tmp_path / "out"), GOVREPORTS_STATE_DIR=str(tmp_path / "state"))
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", "years=2024-2019"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "years" in lines[0] and "forwards" in lines[0], proc.stderr[-2000:]
    assert not (tmp_path / "out").exists()   # nothing crawled


def test_rebuild_merges_the_worker_outputs_of_a_distributed_run(div, tmp_path):
    c23 = record(div, "通山县人民政府", "county_government", 2023, "complete", url="http://x/c23", rid="rc23")
    t23 = record(div, "通山县通羊镇人民政府", "township", 2023, "partial", url="http://x/t23", rid="rt23")
    t23_again = dict(t23, status="complete", document_url="http://x/t23.pdf")   # the same report, better read
    for worker, t, recs in (("w1", "2026-01-01T00-00-00+00-00", [c23, t23]),
                            ("w2", "2026-01-01T00-00-05+00-00", [t23_again])):
        d = tmp_path / "output" / worker
        d.mkdir(parents=True)
        (d / f"reports-{t}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
        (d / f"run-summary-{t}.json").write_text(json.dumps({"totals": {"pages_fetched": 10},
                                                             "portals": {TONGSHAN: {"pages_fetched": 10}}}), "utf-8")
    assert report_main([str(tmp_path / "output"), "--years", "2023"]) == 0
    [cov] = (tmp_path / "output").glob("coverage-2026-01-01T00-00-05+00-00.csv")
    with open(cov, encoding="utf-8-sig") as f:
        got = {r["unit"]: (r["status"], r["documents"]) for r in csv.DictReader(f)}
    assert got["通山县"] == ("complete", "1") and got["通羊镇"] == ("complete", "1")
    html = next((tmp_path / "output").glob("run-report-*.html")).read_text("utf-8")
    assert '<td class="n">20</td>' in html    # pages fetched, summed over both workers


def test_the_html_report_lists_township_reports_it_could_not_place(div):
    from crawler.regions.html_report import render
    placed = record(div, "通山县通羊镇人民政府", "township", 2023, "complete", url="http://x/t")
    stray = record(div, "米易县得石镇人民政府", "township", 2023, "partial", url="http://x/stray")
    assert stray["region_match"] == "ambiguous" and stray["county_code"] is None
    [pc] = coverage({TONGSHAN: META}, [placed, stray], div, [2023])
    page = render({}, [placed, stray], {TONGSHAN: META}, [pc], "t")
    assert "1 township report(s) on this portal could not be placed" in page
    unplaced = page[page.index("class='unplaced'"):]
    assert "http://x/stray" in unplaced[:unplaced.index("</ul>")] and "http://x/t\"" not in unplaced[:unplaced.index("</ul>")]
