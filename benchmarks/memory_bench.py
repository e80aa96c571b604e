"""Peak memory of a crawl: clean attachments vs hostile ones (zip bombs, 200 MB PDFs).

Three crawls of a farm on 127.0.0.1 (tests/crash_site.py), each `scrapy crawl reports` in a
subprocess whose peak RSS (VmHWM) and that of its parse worker are sampled from /proc:

- clean:              16 reports, 4 of them with a DOCX;
- hostile:            the same 16 reports, 4 linking a zip-bomb DOCX (95 MB of XML in 1.5 MB,
                      padded past the ratio check) and 2 linking a 200 MB PDF;
- hostile, in-thread: the hostile farm with GOVREPORTS_PARSE_ISOLATED=0 (the parser in the crawl
                      process, as before issue 13): the baseline.

    .venv/bin/python -m benchmarks.memory_bench [--memory-mb 1024]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.crash_site import build_crash_site  # noqa: E402
from tests.fixtures.pipeline_site.site import Site  # noqa: E402
from tests.farm.procmem import children, status_kb  # noqa: E402
from tests.hostile_docs import huge_pdf, zip_bomb_docx  # noqa: E402

N_REPORTS = 16


def crawl(url: str, work: Path, *settings: str) -> dict:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"url={url}",
           "-s", f"GOVREPORTS_OUTPUT_DIR={work / 'out'}", "-s", f"GOVREPORTS_STATE_DIR={work / 'state'}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "TELNETCONSOLE_ENABLED=0",
           "-s", "LOG_LEVEL=WARNING", *[a for s in settings for a in ("-s", s)]]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    crawl_kb, worker_kb = 0, 0
    while proc.poll() is None:
        crawl_kb = max(crawl_kb, status_kb(proc.pid, "VmHWM"))
        for child in children(proc.pid):
            worker_kb = max(worker_kb, status_kb(child, "VmHWM"))
        time.sleep(0.05)
    statuses, problems = Counter(), Counter()
    for path in (work / "out").glob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            rec = json.loads(line)
            statuses[rec["status"]] += 1
            if rec["status"] == "failed":
                problems[rec["problems"][0]["code"]] += 1
    return {"exit": proc.returncode, "seconds": round(time.monotonic() - start, 1),
            "crawl_peak_mb": round(crawl_kb / 1024), "worker_peak_mb": round(worker_kb / 1024),
            "statuses": dict(statuses), "failed_by": dict(problems)}


def isolation_overhead(n: int = 30) -> dict:
    """Per-document cost of parsing in the worker process vs in this process (same HTML report)."""
    import html
    from crawler.parsing import parse_document
    from crawler.sandbox import Limits, Worker
    from tests.crash_site import report_text
    body = ("<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in report_text(3).splitlines())
            + "</body></html>").encode("utf-8")
    parse_document(body, "http://127.0.0.1/t.html")  # imports paid before timing
    t = time.perf_counter()
    for _ in range(n):
        parse_document(body, "http://127.0.0.1/t.html")
    in_process = (time.perf_counter() - t) / n
    worker = Worker(Limits())
    t = time.perf_counter()
    worker.parse(body, "http://127.0.0.1/t.html", "text/html")
    start = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(n):
        worker.parse(body, "http://127.0.0.1/t.html", "text/html")
    isolated = (time.perf_counter() - t) / n
    worker.stop()
    return {"in_process_ms": round(in_process * 1000, 1), "worker_ms": round(isolated * 1000, 1),
            "worker_start_s": round(start, 2), "ratio": round(isolated / in_process, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--memory-mb", type=int, default=1024, help="GOVREPORTS_PARSE_MEMORY_MB of the parse worker")
    args = ap.parse_args()
    print(f"{'isolation overhead':32} {json.dumps(isolation_overhead())}", flush=True)
    bomb, pdf = zip_bomb_docx(), huge_pdf(200)
    hostile = {0: ("bomb0.docx", bomb), 4: ("bomb4.docx", bomb), 8: ("bomb8.docx", bomb),
               12: ("bomb12.docx", bomb), 2: ("big2.pdf", pdf), 6: ("big6.pdf", pdf)}
    results = {}
    with tempfile.TemporaryDirectory(prefix="memory_bench-") as tmp:
        tmp = Path(tmp)
        farms = {"clean": build_crash_site(tmp / "clean", N_REPORTS, 0),
                 "hostile": build_crash_site(tmp / "hostile", N_REPORTS, 0, hostile=hostile)}
        del bomb, pdf, hostile
        runs = [("clean", "clean", ()), ("hostile", "hostile", ()),
                ("hostile, in-thread (baseline)", "hostile", ("GOVREPORTS_PARSE_ISOLATED=0",))]
        for name, farm, extra in runs:
            with Site(farms[farm]) as site:
                results[name] = crawl(site.url, tmp / name.replace(" ", "_").replace(",", ""),
                                      f"GOVREPORTS_PARSE_MEMORY_MB={args.memory_mb}", *extra)
            print(f"{name:32} {json.dumps(results[name], ensure_ascii=False)}", flush=True)
    clean, bad, base = (results[k]["crawl_peak_mb"] for k in results)
    print(f"crawl-process peak RSS: hostile / clean = {bad / clean:.2f}x (isolated parse); "
          f"baseline in-thread hostile / clean = {base / clean:.2f}x")


if __name__ == "__main__":
    main()
