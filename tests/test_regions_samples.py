"""Region codes on the bundled sample portals (README's first command, `scrapy crawl reports`):
every record carries its portal's county code, every township in the division list its code."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.regions.divisions import load

REPO = Path(__file__).resolve().parents[1]
SEED_ORGANS = {json.loads(p.read_text("utf-8"))["organ"] for p in (REPO / "tests" / "fixtures" / "seeds").glob("*.truth.json")}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("samples")
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawler.settings", PYTHONPATH=str(REPO),
               GOVREPORTS_OUTPUT_DIR=str(tmp / "output"), GOVREPORTS_STATE_DIR=str(tmp / "state"))
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-s", "LOG_LEVEL=WARNING"],
                          cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    reports = [json.loads(ln) for f in (tmp / "output").glob("reports-*.jsonl") for ln in f.read_text("utf-8").splitlines()]
    rejects = [json.loads(ln) for f in (tmp / "output").glob("rejects-*.jsonl") for ln in f.read_text("utf-8").splitlines()]
    [cov] = (tmp / "output").glob("coverage-*.csv")
    with open(cov, encoding="utf-8-sig") as f:
        coverage = list(csv.DictReader(f))
    return {"reports": reports, "rejects": rejects, "coverage": coverage}


def _expected_county(rec):
    # samples/portals/portals.csv: six real county codes; the TRS demo gives 420100 (武汉市) and
    # 青山县, which the list has as 武汉市青山区 (matched by name stem within the prefecture)
    return "420107" if rec["portal_region_code"] == "420100" else rec["portal_region_code"]


def test_every_sample_record_carries_its_county_code(crawl):
    assert len(crawl["reports"]) > 50
    for r in crawl["reports"] + crawl["rejects"]:
        if r["organ"] in SEED_ORGANS:
            continue   # a seed document served as is names its own county: checked in test_coverage_farm
        assert r["county_code"] == _expected_county(r), (r["title"], r["region_note"])


def test_every_sample_township_in_the_list_carries_its_code(crawl):
    div = load()
    checked = 0
    for r in crawl["reports"]:
        if r["organ_level"] != "township" or r["organ"] in SEED_ORGANS:
            continue
        listed = [t for t in div.towns(_expected_county(r)) if t.name in r["organ"]]
        if listed:
            checked += 1
            assert (r["township_name"], r["township_code"]) == (listed[0].name, listed[0].code), r["organ"]
            assert r["region_match"] in ("exact", "by_name_in_county")
        else:   # the TRS demo's fictional 城关镇/黄花乡/东城街道 are not towns of 武汉市青山区
            assert r["township_code"] is None and r["region_match"] == "none", r["organ"]
            assert r["township_name"] and r["township_name"] in r["organ"]
    assert checked >= 20


def test_sample_coverage_has_every_county_of_the_portals_list(crawl):
    counties = {row["county_code"] for row in crawl["coverage"]}
    assert counties == {"420107", "330382", "321281", "441581", "341602", "621124", "620522"}
