"""Rebuild the coverage files and the HTML run report from a run's feeds.

    python -m crawler.report output/                      # the latest run in output/ (and in each
                                                          # worker subdirectory output/<worker>/)
    python -m crawler.report out-w1/ out-w2/ --all        # every run in several dirs
    python -m crawler.report output/ --years 2019-2024 --out merged/

Reads reports-<time>.jsonl, rejects-<time>.jsonl and run-summary-<time>.json; a report found
in several files (workers, re-runs) is counted once (its record_id), the best status wins.
Portals and their metadata come from the records' portal_* fields. Writes coverage-<time>.csv,
missing-<time>.csv and run-report-<time>.html (time: the newest run read) to --out (default:
the first directory).
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys

from crawler.regions.coverage import STATUS_ORDER, parse_years
from crawler.regions.writer import write_outputs

_FEED = re.compile(r"^(reports|rejects)-(?P<time>.+)\.jsonl$")


def feed_files(dirs: list[str], all_runs: bool) -> tuple[list[str], str, set[str]]:
    """The feed files to read: in each directory (and its worker subdirectories, as a distributed
    run writes them) the latest run's, or every run's with `all_runs`; also the newest run time
    and the (directory, time) pairs read, for the run summaries."""
    candidates = [f for d in dirs for pattern in ("*.jsonl", os.path.join("*", "*.jsonl"))
                  for f in glob.glob(os.path.join(d, pattern)) if _FEED.match(os.path.basename(f))]
    if not candidates:
        raise FileNotFoundError(f"no reports-*.jsonl / rejects-*.jsonl in {', '.join(dirs)}")
    by_dir: dict[str, set[str]] = {}
    for f in candidates:
        by_dir.setdefault(os.path.dirname(f), set()).add(_FEED.match(os.path.basename(f)).group("time"))
    chosen = {(d, t) for d, times in by_dir.items() for t in (times if all_runs else {max(times)})}
    files = sorted(f for f in candidates if (os.path.dirname(f), _FEED.match(os.path.basename(f)).group("time")) in chosen)
    return files, max(t for _, t in chosen), chosen


def read_records(files: list[str]) -> list[dict]:
    best: dict[str, dict] = {}
    rank = {s: i for i, s in enumerate(STATUS_ORDER + ("not_a_report",))}
    for path in files:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not a JSON record ({exc.msg})") from None
                key = r.get("record_id") or r.get("document_url") or f"{path}:{n}"
                if r.get("status") not in ("complete", "inconsistent", "partial"):
                    key = f"{key}|{r.get('document_url') or r.get('url')}"
                if key not in best or rank.get(r.get("status"), 9) < rank.get(best[key].get("status"), 9):
                    best[key] = r
    return list(best.values())


def merged_summary(chosen: set[tuple[str, str]]) -> dict:
    """Per-portal counters of the run summaries next to the feeds read (summed across workers)."""
    portals: dict[str, dict] = {}
    totals = {"pages_fetched": 0}
    for d, t in sorted(chosen):
        path = os.path.join(d, f"run-summary-{t}.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        totals["pages_fetched"] += (s.get("totals") or {}).get("pages_fetched", 0)
        for portal, p in (s.get("portals") or {}).items():
            acc = portals.setdefault(portal, {"alerts": []})
            for k, v in p.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    acc[k] = acc.get(k, 0) + v
            acc["alerts"] += [a for a in p.get("alerts") or [] if a not in acc["alerts"]]
    return {"totals": totals, "portals": portals}


def portals_of(records: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in records:
        if r.get("portal"):
            meta = out.setdefault(r["portal"], {})
            for k, v in r.items():
                if k.startswith("portal_") and v not in (None, "") and k[7:] not in meta:
                    meta[k[7:]] = v
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.report", description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", help="output directories holding the run's feeds")
    ap.add_argument("--all", action="store_true", help="read every run in the directories, not only each one's latest")
    ap.add_argument("--years", help="expected report years, e.g. 2019-2024 (default: the years found per portal)")
    ap.add_argument("--out", help="where to write (default: the first directory)")
    args = ap.parse_args(argv)
    try:
        years = parse_years(args.years)
        for d in args.dirs:
            if not os.path.isdir(d):
                raise FileNotFoundError(f"{d}: not a directory")
        files, latest, chosen = feed_files(args.dirs, args.all)
        records = read_records(files)
    except (ValueError, FileNotFoundError, OSError) as exc:
        print(f"crawler.report: {exc}", file=sys.stderr)
        return 2
    summary = merged_summary(chosen)
    portals = portals_of(records)
    for portal in summary["portals"]:   # a portal that gave no record still gets its row
        portals.setdefault(portal, {})
    paths = write_outputs(args.out or args.dirs[0], latest, summary, records, portals, years)
    for name in ("coverage", "missing", "html"):
        print(f"{name}: {paths[name]}")
    print(paths["figures"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
