"""Crawl benchmark: the real `reports` spider vs a bare link-following spider, same farm, same run.

    python -m benchmarks.crawl_bench [--portals 55] [--out benchmarks/last_run.json]

Generates a large farm (default 55 portals of TRS, Lonsun, gkmlpt and ASP.NET shapes, >10,000
pages) with tests/farm, serves it on 127.0.0.1, then runs each spider in its own process
(tests/farm/runner.py) with DOWNLOAD_DELAY=0, AutoThrottle off and no item pipelines, and prints
pages/s (responses received / crawl time, best of `--rounds` alternating runs), pages per CPU-second, peak RSS of the crawling process, the ratio of the two,
and whether the reports spider found exactly the farm's answer key. Runs a half-size farm too, so
memory growth against page count can be read off.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from crawler.samples_server import FarmServer
from tests.farm import other_families, trs_family
from tests.farm.builder import FarmBuilder
from tests.farm.harness import found, portals_csv, resolve, run_spider

SETTINGS = ["ITEM_PIPELINES={}", "CONCURRENT_REQUESTS=32", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
            "GOVREPORTS_INCREMENTAL=False", "LOG_LEVEL=WARNING", "EXTENSIONS={}",
            "CONCURRENT_ITEMS=8"]   # both spiders get the reports spider's own setting: a conservative ratio
_TOWN = "东西南北中前后上下新老大小长青红白金石河山"


def build_big(root: Path, n_portals: int) -> dict:
    fb = FarmBuilder(root)
    for i in range(n_portals):
        kind = i % 10
        towns = tuple(f"{_TOWN[(i + k) % len(_TOWN)]}{_TOWN[(i * 3 + k) % len(_TOWN)]}{'镇乡街道'[k % 3] if k % 3 < 2 else '街道'}"
                      for k in range(12))
        county = f"{_TOWN[i % len(_TOWN)]}{_TOWN[(i // 7) % len(_TOWN)]}县"
        if kind < 7:
            trs_family.build(fb, slug=f"trs{i}", county=county, towns=towns,
                             years=(2024, 2023, 2022, 2021, 2020, 2019), extra_reports=10)
        elif kind == 7:
            other_families.build_lonsun(fb, slug=f"ls{i}", county=county,
                                        towns=tuple((str(40 + k), f"{t}人民政府") for k, t in enumerate(towns)))
        elif kind == 8:
            other_families.build_gkmlpt(fb, slug=f"gd{i}", county=county,
                                        towns=tuple((f"town{k}", t) for k, t in enumerate(towns[:6])))
        else:
            other_families.build_aspx(fb, slug=f"asp{i}", county=county, towns=towns[:6])
    answer = fb.finish()
    return answer


def measure(n_portals: int, work: Path, rounds: int = 2) -> dict:
    root = work / f"farm{n_portals}"
    answer = build_big(root, n_portals)
    with FarmServer(root, ports=2) as srv:
        csv = portals_csv(root, srv.origins, work / f"portals{n_portals}.csv")
        out = {"portals": n_portals, "farm_files": answer["pages"], "answer_reports": len(answer["reports"])}
        # alternate the two spiders `rounds` times and keep each one's best run: the machine is shared
        for rnd in range(rounds):
            for name, spider in (("bare", "benchmarks.bare_spider:BareSpider"), ("reports", "reports")):
                res = run_spider(work / f"{name}{n_portals}-{rnd}", csv, SETTINGS, spider=spider, timeout=3600)
                st = res["stats"]
                pages = st.get("response_received_count", 0)
                secs = res["elapsed"]
                r = {"pages": pages, "seconds": round(secs, 2), "pages_per_s": round(pages / secs, 1),
                     "pages_per_cpu_s": round(pages / max(res["cpu_s"], 1e-6), 1),
                     "peak_rss_mb": round(res["maxrss_kb"] / 1024, 1), "items": len(res["items"])}
                if name == "reports":
                    want = {resolve(u, srv.origins) for u in answer["reports"]}
                    got = found(res)
                    r["missed"] = len(want - got)
                    r["extra"] = len(got - want)
                if name not in out or r["pages_per_s"] > out[name]["pages_per_s"]:
                    out[name] = r
        out["ratio"] = round(out["reports"]["pages_per_s"] / out["bare"]["pages_per_s"], 2)
    shutil.rmtree(root, ignore_errors=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--portals", type=int, default=55)
    ap.add_argument("--half", action="store_true", default=True)
    ap.add_argument("--no-half", dest="half", action="store_false")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="crawl_bench_"))
    runs = []
    try:
        sizes = ([max(args.portals // 2, 1)] if args.half else []) + [args.portals]
        for n in sizes:
            r = measure(n, work, args.rounds)
            runs.append(r)
            b, s = r["bare"], r["reports"]
            print(f"{n} portals, {r['farm_files']} farm files, {r['answer_reports']} reports in the answer key")
            print(f"  bare    : {b['pages']:6d} pages {b['seconds']:7.1f}s {b['pages_per_s']:7.1f} pages/s "
                  f"({b['pages_per_cpu_s']} per CPU-s)  peak RSS {b['peak_rss_mb']} MB")
            print(f"  reports : {s['pages']:6d} pages {s['seconds']:7.1f}s {s['pages_per_s']:7.1f} pages/s "
                  f"({s['pages_per_cpu_s']} per CPU-s)  peak RSS {s['peak_rss_mb']} MB"
                  f"  items {s['items']}  missed {s['missed']}  extra {s['extra']}")
            print(f"  ratio reports/bare pages/s = {r['ratio']}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.out:
        Path(args.out).write_text(json.dumps(runs, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
