"""Requests spent on a trap portal: an endless "next page" list (tests/faults_farm.py) crawled
with the default GOVREPORTS_MAX_LIST_PAGES (300), served on 127.0.0.1.

Before issue 13 such a list was followed until the portal's 20,000-request budget ran out.

    .venv/bin/python -m benchmarks.trap_bench [--limit 300]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.faults_farm import FaultServer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=300, help="GOVREPORTS_MAX_LIST_PAGES")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="trap_bench-") as tmp, FaultServer() as srv:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"url={srv.url}",
               "-s", f"GOVREPORTS_OUTPUT_DIR={tmp}/out", "-s", f"GOVREPORTS_STATE_DIR={tmp}/state",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING",
               "-s", f"GOVREPORTS_MAX_LIST_PAGES={args.limit}"]
        start = time.monotonic()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        seconds = time.monotonic() - start
        summary = json.loads(next(Path(tmp, "out").glob("run-summary-*.json")).read_text("utf-8"))
    lists = len(srv.hits("/ndbg/list_"))
    (portal,) = summary["portals"].values()
    print(json.dumps({"exit": proc.returncode, "requests": len(srv.log), "list_pages": lists,
                      "report_pages": len(srv.hits("/ndbg/t")), "seconds": round(seconds, 1),
                      "alerts": portal["alerts"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
