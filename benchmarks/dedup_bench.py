"""Identity under the conflict rule vs merging on any shared key, on synthetic counties.

    python benchmarks/dedup_bench.py [--seeds 20] [--counties 4]

Each seed draws counties whose township reports are published the way real portals publish them:
the HTML page (full or short organ, a real-shaped 索引号 or none), its PDF (often without organ or
year), a `_wap` twin, a copy on the township's own sub-site, and — in most counties — one
template body shared by several townships (identical text, so an identical content hash), with
common town names (城关镇, 新华镇) repeated across counties. Every record goes through the real
`DedupPipeline` (SQLite state store), once as it is and once with the conflict rule switched off
(the baseline: any shared key merges, as before issue 9), in the same process.

Printed per variant: rows exported, false merges (rows holding documents of two or more reports),
split reports (a report spread over two or more rows), records per CPU-second, peak memory.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scrapy import signals  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from crawler.dedup import binding  # noqa: E402
from crawler.pipelines import DedupPipeline, HeldForMerge  # noqa: E402
from crawler.state import release_store  # noqa: E402

COUNTIES = ["米易县", "盐边县", "仁和县", "会理县", "宁南县", "普格县", "布拖县", "金阳县"]
TOWNS = ["城关镇", "新华镇", "得石镇", "丙谷镇", "撒莲镇", "白马镇", "普威镇", "草场镇", "麻陇乡", "湾丘乡",
         "红格镇", "渔门镇", "永兴镇", "益门镇", "黎溪镇", "通安镇"]


def _index(rng: random.Random) -> str:
    code = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    return f"11510421{code}{rng.choice('XYZ')}{rng.randint(1, 9)}/2024-{rng.randint(1, 99999):05d}"


def _report(url, portal, organ, content, *, page=None, year=2023, index_no=None, status="complete",
            region=None) -> dict:
    rows = {"new_received": {"total": 0}}
    return {"status": status, "url": page or url, "document_url": url, "portal": portal, "title": None,
            "organ": organ, "report_year": year, "index_no": index_no, "publisher": None,
            "content_sha1": content, "table2": {"rows": rows}, "table3": {"rows": rows}, "table4": None,
            "written_date": None, "published_date": None, "organ_level": "township", "record_id": None,
            "checks": [], "problems": [], "portal_region_code": region}


def county_records(rng: random.Random, seed: int, c: int) -> list[tuple[str, dict]]:
    """(truth report, record) pairs of one county's portal and its townships' sub-sites."""
    county = COUNTIES[c % len(COUNTIES)]
    site = f"www.c{seed}x{c}.gov.cn"
    portal, region = f"http://{site}/", f"5104{21 + c:02d}"
    towns = ["城关镇", "新华镇"] + rng.sample(TOWNS[2:], rng.randint(2, 6))
    template = f"template-{seed}-{c}" if rng.random() < 0.75 else None
    out = []
    for j, town in enumerate(towns):
        truth = f"{seed}/{county}/{town}"
        body = template if template and rng.random() < 0.7 else f"body-{truth}"
        organ = f"{county}{town}人民政府" if rng.random() < 0.6 else town
        page = f"http://{site}/xxgk/ndbg/t{j}.html"
        idx = _index(rng) if rng.random() < 0.5 else None
        out.append((truth, _report(page, portal, organ, body, index_no=idx, region=region)))
        if rng.random() < 0.6:  # its PDF: often no organ, sometimes no year
            out.append((truth, _report(f"http://{site}/xxgk/ndbg/P{j}.pdf", portal,
                                       f"{county}{town}人民政府" if rng.random() < 0.5 else None,
                                       f"pdf-{truth}", page=page, year=2023 if rng.random() < 0.7 else None,
                                       region=region)))
        if rng.random() < 0.3:  # the _wap twin
            out.append((truth, _report(page.replace(".html", "_wap.html"), portal, None, body,
                                       status="partial", region=region)))
        if rng.random() < 0.3:  # the township's own sub-site (another portal in the list)
            sub = f"http://t{j}.{site}/"
            out.append((truth, _report(f"{sub}ndbg/1.html", sub, f"{county}{town}人民政府", body,
                                       region=region + f"{100 + j:03d}")))
    return out


def run(records: list[tuple[str, dict]], conflict_rule: bool) -> dict:
    truth_of = {r["document_url"]: t for t, r in records}
    with tempfile.TemporaryDirectory() as tmp:
        crawler = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": tmp, "FEEDS": {}})
        exported = []
        crawler.signals.connect(lambda item, **kw: exported.append(item), signal=signals.item_scraped, weak=False)
        rule = binding.conflict if conflict_rule else (lambda a, b: None)
        tracemalloc.start()
        c0 = time.process_time()
        with mock.patch.object(binding, "conflict", rule):
            pipe = DedupPipeline.from_crawler(crawler)
            pipe.open_spider()
            for _, rec in records:
                try:
                    pipe.process_item(dict(rec))
                except HeldForMerge:
                    pass
            asyncio.run(pipe.close_spider())
            pipe.commit_after_feeds()
        cpu = time.process_time() - c0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        release_store(crawler)
    rows_of = defaultdict(set)
    false_merges = 0
    for row in exported:
        truths = {truth_of[u] for u in {row["document_url"], *row["also_at"]} if u in truth_of}
        false_merges += len(truths) > 1
        for t in truths:
            rows_of[t].add(row["record_id"])
    return {"rows": len(exported), "false_merges": false_merges,
            "split": sum(1 for t in set(truth_of.values()) if len(rows_of[t]) > 1),
            "missing": sum(1 for t in set(truth_of.values()) if not rows_of[t]),
            "cpu": cpu, "peak": peak, "records": len(records)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--counties", type=int, default=4)
    args = ap.parse_args(argv)
    totals = {True: defaultdict(float), False: defaultdict(float)}
    reports = 0
    for seed in range(args.seeds):
        rng = random.Random(seed)
        records = [x for c in range(args.counties) for x in county_records(rng, seed, c)]
        rng.shuffle(records)  # pipelines see copies in any order
        reports += len({t for t, _ in records})
        for rule in (True, False):
            res = run(records, rule)
            for k, v in res.items():
                totals[rule][k] = max(totals[rule][k], v) if k == "peak" else totals[rule][k] + v
    print(f"{args.seeds} seeds x {args.counties} counties: {reports} reports, "
          f"{int(totals[True]['records'])} documents")
    print(f"{'variant':28} {'rows':>6} {'false merges':>13} {'split':>6} {'missing':>8} "
          f"{'docs/cpu-s':>11} {'peak MB':>8}")
    for rule, name in ((True, "conflict rule (this code)"), (False, "any shared key merges")):
        t = totals[rule]
        print(f"{name:28} {int(t['rows']):6d} {int(t['false_merges']):13d} {int(t['split']):6d} "
              f"{int(t['missing']):8d} {t['records'] / t['cpu']:11.0f} {t['peak'] / 1e6:8.1f}")
    ratio = (totals[True]["records"] / totals[True]["cpu"]) / (totals[False]["records"] / totals[False]["cpu"])
    print(f"throughput ratio (conflict rule / baseline): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
