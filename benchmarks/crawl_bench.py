"""Crawl benchmark: the bare link follower vs the `reports` spider, alone and end to end, same farm, same run.

    python -m benchmarks.crawl_bench [--portals 55] [--rounds 2] [--configs bare,spider,pipelines,rerun]
                                     [--sample 1] [--set NAME=VALUE] [--out benchmarks/last_run.json]

Generates a large farm (default 55 portals of TRS, Lonsun, gkmlpt and ASP.NET shapes, >10,000
pages) with tests/farm, serves it on 127.0.0.1, then runs, each in its own process
(tests/farm/runner.py), with DOWNLOAD_DELAY=0 and AutoThrottle off:

- ``bare``: a bare link-following spider (benchmarks/bare_spider.py), no pipelines (the baseline);
- ``spider``: the reports spider with no pipelines and no extensions (the spider's own cost);
- ``pipelines``: the reports spider end to end: the project's pipelines (WARC evidence, parsing in
  the sandboxed pool, regions, dedup), extensions and feeds, fresh state; scored on the delivered
  feed (every answer-key URL in a record, or in the rejects feed with a reason: never neither);
- ``rerun``: the same end-to-end crawl again on the pipelines run's state (the weekly re-run).

It prints pages/s (responses / crawl time), reports/s (records parsed / crawl time), pages per
CPU-second (the crawl process and its parse children), peak RSS of the crawl process and of its
process tree, the ratios to the bare spider, and with ``--sample`` the memory against the frontier:
RSS when the scheduler's queue peaked, the highest after it, at the end, and MB per 1,000 pages
after the peak. Best of ``--rounds`` alternating runs (the machine is shared). A half-size farm
runs first (``--no-half`` skips it).
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

SPIDER_ONLY = ["ITEM_PIPELINES={}", "CONCURRENT_REQUESTS=32", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
               "GOVREPORTS_INCREMENTAL=False", "LOG_LEVEL=WARNING", "EXTENSIONS={}",
               "CONCURRENT_ITEMS=8"]   # both spiders get the reports spider's own setting: a conservative ratio
# end to end: the project's own pipelines (WARC evidence, parse in the sandboxed pool, regions, dedup),
# extensions (progress, run summary, coverage, run report) and feeds (CSV + JSONL + rejects), fresh state
END_TO_END = ["CONCURRENT_REQUESTS=32", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "LOG_LEVEL=WARNING"]
CONFIGS = {  # name: (spider, settings, runner flags)
    "bare": ("benchmarks.bare_spider:BareSpider", SPIDER_ONLY, ()),
    "spider": ("reports", SPIDER_ONLY, ()),
    "pipelines": ("reports", END_TO_END, ("--no-items",)),
    # the weekly re-run: the same crawl again on the pipelines run's state (only what is new is parsed)
    "rerun": ("reports", END_TO_END, ("--no-items",)),
}
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


def _run(name: str, work: Path, csv: Path, extra: list[str], sample: float) -> dict:
    spider, settings, flags = CONFIGS[name]
    return run_spider(work, csv, list(settings) + extra, spider=spider, timeout=3600,
                      runner_args=list(flags) + (["--sample", str(sample)] if sample else []))


def _figures(res: dict) -> dict:
    st = res["stats"]
    pages = st.get("response_received_count", 0)
    secs = res["elapsed"]
    cpu = res["cpu_s"] + res.get("children_cpu_s", 0)
    exported = st.get("govreports/records/complete", 0) + st.get("govreports/records/inconsistent", 0) + \
        st.get("govreports/records/partial", 0)
    return {"pages": pages, "seconds": round(secs, 2), "pages_per_s": round(pages / secs, 1),
            "pages_per_cpu_s": round(pages / max(cpu, 1e-6), 1), "cpu_s": round(cpu, 1),
            "parse_cpu_s": round(res.get("children_cpu_s", 0), 1),
            "peak_rss_mb": round(res["maxrss_kb"] / 1024, 1),
            "peak_tree_rss_mb": round((res.get("peak_tree_rss_kb") or res["maxrss_kb"]) / 1024, 1),
            "items": res.get("item_count", len(res["items"])), "reports_parsed": exported,
            "reports_per_s": round(exported / secs, 1)}


def _urls(output: Path, kind: str, fields=("url", "document_url", "also_at")) -> tuple[set[str], int]:
    """The URLs the `kind` feed's records name, and how many records (read line by line: the
    benchmark process stays small, since a crawl it starts inherits its RSS high-water mark)."""
    urls, n = set(), 0
    for f in sorted(output.glob(f"{kind}-*.jsonl")):
        with f.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    rec = json.loads(line)
                    n += 1
                    for k in fields:
                        v = rec.get(k)
                        urls.update(v if isinstance(v, list) else [v] if v else [])
    return urls, n


def measure(n_portals: int, work: Path, rounds: int = 2, configs=("bare", "spider", "pipelines"),
            extra: list[str] | None = None, sample: float = 0.0) -> dict:
    root = work / f"farm{n_portals}"
    answer = build_big(root, n_portals)
    with FarmServer(root, ports=2) as srv:
        csv = portals_csv(root, srv.origins, work / f"portals{n_portals}.csv")
        out = {"portals": n_portals, "farm_files": answer["pages"], "answer_reports": len(answer["reports"])}
        want = {resolve(u, srv.origins) for u in answer["reports"]}
        # alternate the spiders `rounds` times and keep each one's best run: the machine is shared
        for rnd in range(rounds):
            for name in configs:
                wd = work / f"{'pipelines' if name == 'rerun' else name}{n_portals}-{rnd}"  # rerun: same state
                res = _run(name, wd, csv, list(extra or []), sample)
                r = _figures(res)
                if name == "spider":
                    got = found(res)
                    r["missed"], r["extra"] = len(want - got), len(got - want)
                elif name == "pipelines":   # scored on the delivered feed: every answer URL in some record
                    got, rows = _urls(wd / "output", "reports")
                    refused, _ = _urls(wd / "output", "rejects", ("url", "document_url"))
                    r["rows"] = rows
                    r["rejected"] = len((want - got) & refused)  # the farm's broken files: a reject with a reason
                    r["missed"] = len(want - got - refused)      # neither a record nor a reject: a silent loss
                if name in ("pipelines", "rerun"):
                    r["samples"] = res.get("samples")
                    r["memory"] = memory_profile(res.get("samples"))
                if name not in out or r["pages_per_s"] > out[name]["pages_per_s"]:
                    out[name] = r
        for name in configs:
            if name != "bare" and "bare" in out:
                out[f"ratio_{name}"] = round(out[name]["pages_per_s"] / out["bare"]["pages_per_s"], 2)
                out[f"rss_ratio_{name}"] = round(out[name]["peak_rss_mb"] / out["bare"]["peak_rss_mb"], 2)
                out[f"tree_rss_ratio_{name}"] = round(out[name]["peak_tree_rss_mb"] / out["bare"]["peak_rss_mb"], 2)
    shutil.rmtree(root, ignore_errors=True)
    return out


def memory_profile(samples: list) -> dict | None:
    """Memory against the frontier: RSS (crawl process, and with its parse children) when the
    frontier peaked, the highest after that, at the end, and the growth per 1,000 pages fetched
    after the peak (flat memory: ≈ 0)."""
    if not samples:
        return None
    peak_i = max(range(len(samples)), key=lambda i: samples[i][3] or 0)
    t, own, tree, frontier, pages = samples[peak_i]
    after = samples[peak_i:]
    end = samples[-1]
    grown = (end[4] - pages) / 1000
    return {"frontier_peak": frontier, "at_s": t, "pages_at_peak": pages, "pages_at_end": end[4],
            "rss_at_peak_mb": round(own / 1024, 1), "max_rss_after_mb": round(max(x[1] for x in after) / 1024, 1),
            "rss_at_end_mb": round(end[1] / 1024, 1),
            "tree_at_peak_mb": round(tree / 1024, 1), "max_tree_after_mb": round(max(x[2] for x in after) / 1024, 1),
            "mb_per_1000_pages_after_peak": round((end[1] - own) / 1024 / grown, 2) if grown > 0 else None}


def _line(name: str, r: dict) -> str:
    tail = ""
    if "missed" in r:
        tail = f"  missed {r['missed']}" + (f"  extra {r['extra']}" if "extra" in r else f"  rows {r['rows']}  rejected {r['rejected']}")
    return (f"  {name:9s}: {r['pages']:6d} pages {r['seconds']:7.1f}s {r['pages_per_s']:7.1f} pages/s "
            f"{r['reports_per_s']:6.1f} reports/s ({r['pages_per_cpu_s']} per CPU-s, parse CPU {r['parse_cpu_s']} s)  "
            f"peak RSS {r['peak_rss_mb']} MB (with parse children {r['peak_tree_rss_mb']} MB)  items {r['items']}{tail}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--portals", type=int, default=55)
    ap.add_argument("--half", action="store_true", default=True)
    ap.add_argument("--no-half", dest="half", action="store_false")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out")
    ap.add_argument("--configs", default="bare,spider,pipelines,rerun",
                    help="which of bare, spider, pipelines, rerun (after pipelines) to run")
    ap.add_argument("--set", action="append", default=[], help="extra setting NAME=VALUE for every run")
    ap.add_argument("--sample", type=float, default=0.0, help="sample RSS and frontier every N seconds")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="crawl_bench_"))
    runs = []
    try:
        sizes = ([max(args.portals // 2, 1)] if args.half else []) + [args.portals]
        for n in sizes:
            r = measure(n, work, args.rounds, tuple(args.configs.split(",")), args.set, args.sample)
            runs.append(r)
            print(f"{n} portals, {r['farm_files']} farm files, {r['answer_reports']} reports in the answer key")
            for name in args.configs.split(","):
                print(_line(name, r[name]))
                if r[name].get("memory"):
                    print(f"             memory vs frontier: {r[name]['memory']}")
            for k, v in r.items():
                if k.startswith(("ratio_", "rss_ratio_", "tree_rss_ratio_")):
                    print(f"  {k} = {v}")
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.out:
        Path(args.out).write_text(json.dumps(runs, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
