"""A real crawl of a small farm on 127.0.0.1 whose portals are real counties (通山县 421224 with
three of its twelve townships publishing; 秦安县 620522 given by portal name only): every record's
county and township code, the coverage CSV against the farm's answer key (including townships and a
year with no report), and the HTML run report rendered by headless Chromium."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from crawler.regions.divisions import load
from crawler.samples_server import FarmServer
from tests.farm import trs_family, vsb_family
from tests.farm.builder import FarmBuilder
from tests.farm.harness import portals_csv, run_spider

# the issuers of the real reports the farm pages are built from (tests/fixtures/seeds/*.truth.json)
SEED_ORGANS = {json.loads(p.read_text("utf-8"))["organ"] for p in (Path(__file__).parent / "fixtures" / "seeds").glob("*.truth.json")}
TS_TOWNS = ("通羊镇", "大路乡", "九宫山镇")
QA_TOWNS = ("兴国镇", "莲花镇")
YEARS = (2020, 2021, 2022, 2023)   # the farm publishes 2021-2023 (and 2024/2025 for 秦安): 2020 has nothing


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("covfarm")
    fb = FarmBuilder(root)
    trs_family.build(fb, county="通山县", towns=TS_TOWNS, years=(2023, 2022, 2021))
    fb.portals[-1].update(region_code="421224", province="湖北省", city="咸宁市")
    vsb_family.build(fb, county="秦安县", towns=QA_TOWNS)
    fb.portals[-1] = {"url": fb.portals[-1]["url"], "name": "秦安县人民政府"}   # no code, no county column
    fb.finish()
    srv = FarmServer(root, ports=2).start()
    work = tmp_path_factory.mktemp("covcrawl")
    csv_path = portals_csv(root, srv.origins, root.parent / "portals.csv")
    res = run_spider(work, csv_path, args=["years=2020-2023"])
    out = work / "output"
    res["reports"] = [json.loads(ln) for f in out.glob("reports-*.jsonl") for ln in f.read_text("utf-8").splitlines()]
    [cov] = out.glob("coverage-*.csv")
    res["coverage"] = _csv(cov)
    [miss] = out.glob("missing-*.csv")
    res["missing"] = _csv(miss)
    [res["html"]] = out.glob("run-report-*.html")
    res["origin"] = srv.origins[0]
    res["again"] = lambda: run_spider(work, csv_path, args=["years=2020-2023"])
    res["out"] = out
    yield res
    srv.stop()


def _csv(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _portal(rec):
    return "通山县" if "/trs/" in rec["portal"] else "秦安县"


def test_every_record_carries_its_county_and_township_code(run):
    div = load()
    county = {"通山县": "421224", "秦安县": "620522"}
    towns = {t.name: t.code for c in county.values() for t in div.towns(c)}
    assert len(run["reports"]) > 20
    township_records = 0
    for r in run["reports"]:
        if r["organ"] in SEED_ORGANS:   # a seed document served as is (another county's report: 山海关区, 崆峒区 …)
            assert (r["county_code"], r["township_code"], r["region_match"]) == (None, None, "ambiguous"), r["region_note"]
            continue
        assert r["county_code"] == county[_portal(r)], (r["title"], r["region_note"])
        named = [t for t in TS_TOWNS + QA_TOWNS if t in (r["title"] or "")]
        if named:
            township_records += 1
            assert (r["township_name"], r["township_code"]) == (named[0], towns[named[0]]), r["title"]
            assert r["region_match"] in ("exact", "by_name_in_county")
        elif r["organ_level"] != "township":
            assert r["township_code"] is None and r["region_match"] == "exact", (r["title"], r["region_note"])
    assert township_records >= 3 * 3 + 2


def test_coverage_lists_every_expected_unit_and_year_with_the_right_status(run):
    div = load()
    feed: dict[tuple[str, str, int], list[str]] = {}
    for r in run["reports"]:
        unit = r["township_name"] if r["township_code"] else (r["county_name"] if r["organ_level"] == "county_government" else None)
        if unit:
            feed.setdefault((_portal(r), unit, r["report_year"]), []).append(r["status"])
    order = ("complete", "inconsistent", "partial")
    rows = {(row["county_name"], row["unit"], int(row["year"])): row for row in run["coverage"]}
    # the farm's townships publish 2021-2023 (通山) and 2023-2025 (秦安: only 2023 is asked for)
    for county, code, published, years in (("通山县", "421224", TS_TOWNS, (2021, 2022, 2023)),
                                           ("秦安县", "620522", QA_TOWNS, (2023,))):
        units = [county] + [t.name for t in div.towns(code) if t.level in ("街道", "镇", "乡")]
        for unit in units:
            for year in YEARS:
                row = rows[(county, unit, year)]
                assert row["expected"] == "yes"
                statuses = feed.get((county, unit, year))
                if statuses:
                    assert row["status"] == min(statuses, key=order.index), (unit, year)
                    assert row["url"].startswith(run["origin"])
                else:
                    assert row["status"] == "not found", (unit, year)
                    assert unit not in published or year not in years, (unit, year, "published but not found")
    assert {row["year"] for row in run["coverage"]} == {str(y) for y in YEARS}
    # a township the farm never publishes for is in the missing list for every year
    assert {int(m["year"]) for m in run["missing"] if m["unit"] == "南林桥镇"} == set(YEARS)
    assert not [m for m in run["missing"] if m["status"] not in ("not found", "failed")]


def test_farm_townships_are_found_for_every_published_year(run):
    rows = {(row["county_name"], row["unit"], int(row["year"])): row["status"] for row in run["coverage"]}
    for town in TS_TOWNS:
        assert [rows[("通山县", town, y)] != "not found" for y in YEARS] == [False, True, True, True], town


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_run_report_renders_in_headless_chromium(run, tmp_path):
    exe = _chromium()
    assert exe, "chromium is not installed: run scripts/setup.sh --test"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--enable-logging=stderr", "--v=0"]
    url = run["html"].as_uri()
    dom = subprocess.run([exe, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "CONSOLE" not in dom.stderr, dom.stderr[-2000:]          # no console message of any kind
    for name in ("通山县人民政府", "秦安县人民政府", "通羊镇", "南林桥镇", "421224100"):
        assert name in dom.stdout
    assert dom.stdout.count('data-portal="') == 2
    assert dom.stdout.count('data-status="not found"') == sum(r["status"] == "not found" for r in run["coverage"])
    shot = tmp_path / "report.png"
    res = subprocess.run([exe, *flags, "--window-size=1280,1600", f"--screenshot={shot}", url],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", res.stderr[-2000:]
    assert shot.stat().st_size > 20_000    # a page with content, not a blank frame


def test_an_incremental_rerun_keeps_the_reports_it_does_not_export_again(run):
    first = {(r["county_name"], r["unit"], r["year"]): r["status"] for r in run["coverage"]}
    again = run["again"]()
    assert again["stats"].get("govreports/exported/new", 0) == 0          # nothing new to export
    [newest] = sorted(run["out"].glob("coverage-*.csv"))[-1:]
    assert newest.name != sorted(run["out"].glob("coverage-*.csv"))[0].name
    second = {(r["county_name"], r["unit"], r["year"]): r["status"] for r in _csv(newest)}
    assert second == first
