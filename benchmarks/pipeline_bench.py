"""Pipeline overhead: documents per second through parse → dedup → export (CSV + JSON Lines).

    python benchmarks/pipeline_bench.py [--docs 600] [--copies 3]

Documents are the parser seeds (tests/fixtures/seeds) wrapped as HTML report pages, with the
years shifted so there are many distinct reports, each published `--copies` times under different
URLs (so dedup merges (copies-1)/copies of them). Each stage runs the project's real code: the
parser (`record_from_item`), `DedupPipeline` on a SQLite state store in a temp dir, and
`ReportCsvExporter` + Scrapy's `JsonLinesItemExporter` writing to memory. No network. Wall and
CPU time are both printed; throughput is per CPU-second (the dev machine is shared).
"""
from __future__ import annotations

import argparse
import asyncio
import html
import io
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scrapy import signals  # noqa: E402
from scrapy.exporters import JsonLinesItemExporter  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from crawler.exporters import ReportCsvExporter  # noqa: E402
from crawler.items import DocumentItem  # noqa: E402
from crawler.parsing import parse_document  # noqa: E402
from crawler.pipelines import DedupPipeline, HeldForMerge, record_from_item  # noqa: E402
from crawler.state import release_store  # noqa: E402

SEEDS = sorted((REPO / "tests" / "fixtures" / "seeds").glob("*.txt"))


def documents(n: int, copies: int) -> list[DocumentItem]:
    texts = [p.read_text("utf-8") for p in SEEDS]
    out = []
    distinct = max(1, n // copies)
    for i in range(n):
        k = i % distinct
        text = texts[k % len(texts)]
        shift = k // len(texts)
        text = re.sub(r"(20[12]\d)(?=\s*年)", lambda m: str(int(m.group(1)) - shift), text)
        body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
        url = f"http://bench.gov.cn/col{i // distinct}/t{k}.html"
        out.append(DocumentItem(
            url=url, document_url=url, portal="http://bench.gov.cn/", found_on="http://bench.gov.cn/col/",
            link_text="", body=f"<html><body><div id='zoom'>{body}</div></body></html>".encode(),
            content_type="text/html; charset=utf-8", http_status=200, fetched_at="2026-01-01T00:00:00+00:00",
            fetch_problem=None, portal_meta={"name": "bench"}))
    return out


def run(n: int, copies: int) -> dict:
    docs = documents(n, copies)
    with tempfile.TemporaryDirectory() as tmp:
        crawler = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": tmp, "FEEDS": {}})
        t0, c0 = time.perf_counter(), time.process_time()
        records = [record_from_item(d, parse_document) for d in docs]
        t1, c1 = time.perf_counter(), time.process_time()
        dedup = DedupPipeline.from_crawler(crawler)
        dedup.open_spider()
        rejects = []
        for r in records:
            try:
                rejects.append(dedup.process_item(r))
            except HeldForMerge:
                pass
        csv_buf, json_buf = io.BytesIO(), io.BytesIO()
        csv_exp, json_exp = ReportCsvExporter(csv_buf), JsonLinesItemExporter(json_buf, ensure_ascii=False)
        csv_exp.start_exporting()
        json_exp.start_exporting()
        exported = []

        def on_item(item, **kw):
            exported.append(item)
            csv_exp.export_item(item)
            json_exp.export_item(item)
        crawler.signals.connect(on_item, signal=signals.item_scraped, weak=False)
        t2, c2 = time.perf_counter(), time.process_time()
        asyncio.run(dedup.close_spider())
        dedup.commit_after_feeds()
        csv_exp.finish_exporting()
        json_exp.finish_exporting()
        t3, c3 = time.perf_counter(), time.process_time()
        release_store(crawler)
    statuses = {}
    for r in records:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    return {"docs": n, "exported": len(exported), "rejects": len(rejects), "statuses": statuses,
            "parse_s": t1 - t0, "dedup_s": t2 - t1, "export_s": t3 - t2, "total_s": t3 - t0,
            "parse_cpu": c1 - c0, "dedup_cpu": c2 - c1, "export_cpu": c3 - c2, "total_cpu": c3 - c0,
            "csv_bytes": len(csv_buf.getvalue()), "jsonl_bytes": len(json_buf.getvalue())}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--copies", type=int, default=3)
    a = ap.parse_args(argv)
    r = run(a.docs, a.copies)
    n = r["docs"]
    print(f"documents {n} (statuses {r['statuses']}), reports exported {r['exported']}, rejects {r['rejects']}")
    print("stage    wall s   cpu s   per cpu-second")
    for stage, count, unit in (("parse", n, "docs"), ("dedup", n, "docs"), ("export", r["exported"], "records"),
                               ("total", n, "docs")):
        wall, cpu = r[f"{stage}_s"], r[f"{stage}_cpu"]
        print(f"{stage:7} {wall:7.2f} {cpu:7.2f}   {count / cpu:7.0f} {unit}/s")
    print(f"(CSV {r['csv_bytes']} B, JSONL {r['jsonl_bytes']} B; total = parse + dedup + export)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
