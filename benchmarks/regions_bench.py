"""Region resolution speed and match rates on records built from the official division list.

    python benchmarks/regions_bench.py [--every 10]

Records (deterministic: every N-th township of the list): a township organ named in full
(县+镇), the same with only the town name on its county's portal, a town name without a portal
(same-named towns elsewhere must stay ambiguous), and a county department. Prints throughput
of `resolve` per CPU-second, peak memory of the loaded list, match rates and errors, and the
ratio to a baseline in the same process (serialising each record to JSON, as the feed does).
"""
from __future__ import annotations

import argparse
import json
import time
import tracemalloc


def records(div, every: int):
    towns = [u for code, u in sorted(div.by_code.items()) if len(code) == 9 and u.level in ("街道", "镇", "乡")]
    for town in towns[::every]:
        county = div.unit(town.code[:6])
        meta = {"portal_region_code": county.code, "portal_county": county.name}
        yield "full", town, {"organ": f"{county.name}{town.name}人民政府", "organ_level": "township", "status": "complete"}
        yield "in_county", town, {"organ": f"{town.name}人民政府", "organ_level": "township", "status": "complete", **meta}
        yield "no_portal", town, {"organ": f"{town.name}人民政府", "organ_level": "township", "status": "complete"}
        yield "department", county, {"organ": f"{county.name}教育局", "organ_level": "department", "status": "complete", **meta}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=int, default=10)
    args = ap.parse_args(argv)
    tracemalloc.start()
    from crawler.regions.divisions import load
    div = load()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    from crawler.regions.resolve import resolve
    cases = list(records(div, args.every))
    t0 = time.process_time()
    results = [(kind, unit, resolve(rec, div)) for kind, unit, rec in cases]
    cpu = time.process_time() - t0
    t0 = time.process_time()
    for _, _, rec in cases:
        json.dumps(rec, ensure_ascii=False)
    base = time.process_time() - t0
    print(f"division list: {len(div.by_code)} units, peak memory while loading {peak / 2**20:.1f} MiB")
    print(f"resolve: {len(cases)} records in {cpu:.2f} CPU-s = {len(cases) / cpu:,.0f} records/CPU-s; "
          f"{cpu / base:.1f}x the JSON serialisation of the same records")
    for kind in ("full", "in_county", "no_portal", "department"):
        rows = [(u, r) for k, u, r in results if k == kind]
        code = "township_code" if kind != "department" else "county_code"
        right = sum(r[code] == u.code for u, r in rows)
        wrong = sum(r[code] not in (None, u.code) or r["county_code"] not in (None, u.code[:6]) for u, r in rows)
        matches = {}
        for _, r in rows:
            matches[r["region_match"]] = matches.get(r["region_match"], 0) + 1
        print(f"  {kind:11s} {len(rows):5d} records: right code {right / len(rows):6.1%}, wrong code (township or county) {wrong}, "
              f"no code {len(rows) - right - wrong}; region_match {matches}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
