"""Writes a run's coverage files and HTML report (shared by the spider-close extension and
`python -m crawler.report`)."""
from __future__ import annotations

import os

from crawler.regions.coverage import COLUMNS, coverage, missing, rows_csv
from crawler.regions.divisions import load
from crawler.regions.html_report import render

MISSING_COLUMNS = ("portal", "portal_name", "county_code", "county_name", "unit", "code", "level", "year", "status")


def write_outputs(out_dir: str, run_time: str, summary: dict, records: list[dict], portals: dict[str, dict],
                  years: list[int] | None = None) -> dict[str, str]:
    """coverage-<t>.csv, missing-<t>.csv and run-report-<t>.html in `out_dir`; returns their paths
    (and "figures": one line of counts for the log)."""
    div = load()
    cov = coverage(portals, [r for r in records if r.get("status") != "not_a_report"], div, years)
    rows = [row for pc in cov for row in pc.rows]
    os.makedirs(out_dir or ".", exist_ok=True)
    paths = {"coverage": os.path.join(out_dir, f"coverage-{run_time}.csv"),
             "missing": os.path.join(out_dir, f"missing-{run_time}.csv"),
             "html": os.path.join(out_dir, f"run-report-{run_time}.html")}
    # UTF-8 with BOM, like the reports feed: Excel opens it with the right encoding
    with open(paths["coverage"], "w", encoding="utf-8-sig", newline="") as f:
        f.write(rows_csv(rows, COLUMNS))
    with open(paths["missing"], "w", encoding="utf-8-sig", newline="") as f:
        f.write(rows_csv(missing(rows), MISSING_COLUMNS))
    with open(paths["html"], "w", encoding="utf-8") as f:
        f.write(render(summary, records, portals, cov, run_time))
    expected = [r for r in rows if r["expected"] == "yes"]
    paths["figures"] = (f"{len(cov)} county grid(s), {len(expected)} expected unit-year(s), "
                        f"{sum(r['status'] in ('complete', 'inconsistent', 'partial') for r in expected)} with a report, "
                        f"{len(missing(rows))} missing (not found or only failed documents)")
    return paths
