"""Discovery benchmark: the real spider + pipelines on generated portal farms (tests/farmgen).

    python benchmarks/discovery_bench.py [--seeds 20] [--start 100] [--jobs 2] [--full] [--json out.json]

For every seed, one farm drawn from the training variant pools and one from the held-out pools
(labels, menu forms and page templates the crawler code never saw). Each farm: 6 portals, one per
platform family, served on 127.0.0.1; the crawl runs in a subprocess with the project's pipelines.
Prints per farm and per split: recall (report rows exported at least once / rows), rows exported
exactly once, false merges (records carrying two different reports), duplicated rows, extra
records (not a report of the key), decoys requested, requests per report, and — as the baseline
in the same run — the farm's own size (requests / files of the farm). Then the missed rows grouped
by platform family and the labels the portal drew, which is where a gap shows.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.farmgen.run import crawl_farm  # noqa: E402


def one(job):
    seed, held, small, pdf, base = job
    t0 = time.time()
    sc = crawl_farm(Path(base) / f"{seed}-{'heldout' if held else 'train'}", seed, held, small=small, pdf=pdf)
    plans = {p["portal"]: p for p in sc["answer"]["portal_plans"]}
    variants = collections.Counter()   # (pool, value) → [rows, found] over the rows of portals that drew it
    missed_rows = {(row["portal"], row["title"]) for row in sc["missed"]}
    for row in sc["answer"]["rows"]:
        p = plans[row["portal"]]
        found = (row["portal"], row["title"]) not in missed_rows
        for var in _variants(p):
            variants[var + ("rows",)] += 1
            variants[var + ("found",)] += int(found)
    missed_by, why = collections.Counter(), collections.Counter()
    for row in sc["missed"]:
        p = plans[row["portal"]]
        missed_by[(p["family"], p["labels"]["area"], p["labels"]["directory"], row["kind"])] += 1
        why[row["why"].split(" (")[0]] += 1
    return {"seed": seed, "heldout": held, "rows": sc["rows"], "found": sc["found"], "missed": len(sc["missed"]),
            "duplicated": len(sc["duplicated"]), "false_merges": len(sc["false_merges"]),
            "merged_rows": sum(len(m["rows"]) for m in sc["false_merges"]), "extra": len(sc["extra"]),
            "decoys_requested": len(sc["decoys_requested"]), "requests": sc["requests"], "farm_files": sc["farm_files"],
            "crawl_s": sc["elapsed"], "wall_s": time.time() - t0, "maxrss_kb": sc.get("maxrss_kb"),
            "missed_by": {" | ".join(k): v for k, v in missed_by.items()}, "missed_why": dict(why),
            "false_merge_examples": sc["false_merges"][:3],
            "variants": [[list(k), v] for k, v in variants.items()]}


def _variants(plan: dict) -> list[tuple]:
    """The variant values a portal drew, as (pool, value) pairs."""
    out = [("family", plan["family"]), ("directory_form", plan["directory_form"]), ("pager", f"{plan['family']}:{plan['pager']}"),
           ("title_form", plan["title_form"]), ("column_entry", plan.get("column_entry", "")),
           ("list_titles", plan.get("list_titles", "")), ("town_list_texts", plan.get("town_list_texts", ""))]
    out += [(f"{k}_label", v) for k, v in plan["labels"].items()]
    out += [("detail_template", t) for t in plan["detail_templates"]]
    return out


def table(results, held):
    rs = [r for r in results if r["heldout"] == held]
    if not rs:
        return {}
    tot = {k: sum(r[k] for r in rs) for k in ("rows", "found", "missed", "duplicated", "false_merges", "merged_rows",
                                               "extra", "decoys_requested", "requests", "farm_files")}
    once = tot["found"] - tot["duplicated"]
    return {"split": "held-out" if held else "train", "farms": len(rs), **tot,
            "recall": tot["found"] / tot["rows"], "exactly_once": once / tot["rows"],
            "requests_per_report": tot["requests"] / max(tot["found"], 1),
            "requests_per_farm_file": tot["requests"] / tot["farm_files"],
            "farms_perfect": sum(1 for r in rs if r["missed"] == r["duplicated"] == r["false_merges"] == r["extra"] == 0),
            "peak_rss_mb": max((r["maxrss_kb"] or 0) for r in rs) / 1024, "crawl_s": sum(r["crawl_s"] for r in rs)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--start", type=int, default=100, help="first seed (CI uses 11, 12, 21, 22)")
    ap.add_argument("--jobs", type=int, default=2, help="farms crawled at the same time")
    ap.add_argument("--full", action="store_true", help="full-size farms (2–3 years, up to 4 towns) instead of small")
    ap.add_argument("--pdf", action="store_true", help="some attachments as PDF (LibreOffice conversion per farm)")
    ap.add_argument("--split", choices=("both", "train", "heldout"), default="both")
    ap.add_argument("--json", help="write all figures here")
    a = ap.parse_args(argv)
    splits = {"both": (False, True), "train": (False,), "heldout": (True,)}[a.split]
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="discovery-bench-") as base:
        jobs = [(s, h, not a.full, a.pdf, base) for s in range(a.start, a.start + a.seeds) for h in splits]
        results = []
        with ThreadPoolExecutor(a.jobs) as ex:
            for r in ex.map(one, jobs):
                results.append(r)
                print(f"seed {r['seed']:>4} {'held-out' if r['heldout'] else 'train   '} rows {r['rows']:>3} found {r['found']:>3} "
                      f"missed {r['missed']:>3} dup {r['duplicated']:>2} false-merges {r['false_merges']:>2} extra {r['extra']:>2} "
                      f"decoys-req {r['decoys_requested']:>2} requests {r['requests']:>4} crawl {r['crawl_s']:.1f}s", flush=True)
    summary = [table(results, h) for h in splits]
    print(f"\n{len(results)} farms in {time.time() - t0:.0f} s wall")
    print("| split | farms | rows | recall | exactly once | missed | duplicated | false merges (rows merged) | extra | "
          "decoys requested | requests/report | requests/farm file | perfect farms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for t in summary:
        print(f"| {t['split']} | {t['farms']} | {t['rows']} | {t['recall']:.1%} | {t['exactly_once']:.1%} | {t['missed']} | "
              f"{t['duplicated']} | {t['false_merges']} ({t['merged_rows']}) | {t['extra']} | {t['decoys_requested']} | "
              f"{t['requests_per_report']:.2f} | {t['requests_per_farm_file']:.2f} | {t['farms_perfect']}/{t['farms']} |")
    print(f"peak RSS of a crawl: {max(t['peak_rss_mb'] for t in summary):.0f} MB")
    why = collections.Counter()
    for r in results:
        for k, v in r["missed_why"].items():
            why[("held-out" if r["heldout"] else "train") + " | " + k] += v
    if why:
        print("\nwhere the missed rows were lost:")
        for k, v in sorted(why.items()):
            print(f"  {v:>4}  {k}")
    var = collections.Counter()
    for r in results:
        for k, v in r["variants"]:
            var[(("held-out" if r["heldout"] else "train"),) + tuple(k)] += v
    weak = sorted({k[:-1] for k in var if k[-1] == "rows" and var[k[:-1] + ("found",)] < var[k]})
    if weak:
        print("\nvariants whose portals lost reports (split | pool | value: found/rows of those portals):")
        for k in weak:
            print(f"  {' | '.join(k)}: {var[k + ('found',)]}/{var[k + ('rows',)]}")
    missed = collections.Counter()
    for r in results:
        for k, v in r["missed_by"].items():
            missed[("held-out" if r["heldout"] else "train") + " | " + k] += v
    if missed:
        print("\nmissed rows by split | family | area label | directory label | row kind:")
        for k, v in missed.most_common(25):
            print(f"  {v:>4}  {k}")
    if a.json:
        Path(a.json).write_text(json.dumps({"summary": summary, "farms": results}, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
