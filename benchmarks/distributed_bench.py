"""Distributed mode: wall time and request rate seen by one host, 1 worker vs N workers.

    python -m benchmarks.distributed_bench [--workers 2] [--delay 0.25]

Starts its own redis-server (127.0.0.1, random port, no persistence) and the fixture farm
(tests/farm, two origins on 127.0.0.1 = one download slot per worker), then crawls it with one
`reports` worker and with N workers sharing one Redis, with DOWNLOAD_DELAY=--delay,
CONCURRENT_REQUESTS_PER_DOMAIN=1. Shows that politeness is per process: N workers hit the host
at about N times the rate of one.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tests.farm.build import build
from tests.test_distributed import Farm, finish, records, start
from tests.test_distributed_units import REDIS_SERVER, _client, _free_port


def run(root: Path, answer: dict, work: Path, url: str | None, n: int, delay: float) -> dict:
    farm = Farm(root, answer, work)
    settings = [f"DOWNLOAD_DELAY={delay}", "DOWNLOAD_DELAY_JITTER=0", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                "TELNETCONSOLE_ENABLED=False"]
    if url:
        settings += ['ADDONS={"crawler.exporters.FeedsAddon": 100, "crawler.distributed.DistributedAddon": 50}',
                     f"GOVREPORTS_REDIS_URL={url}"]
    t0 = time.time()
    try:
        procs = [start(work, farm.csv, *settings, worker=f"w{i}" if url else None) for i in range(n)]
        results = [finish(p, timeout=900) for p in procs]
        wall = time.time() - t0
        hits = sum(farm.hits().values())
    finally:
        farm.srv.stop()
    busy = max(r["stats"].get("elapsed_time_seconds", 0) for r in results)
    return {"workers": n, "wall_s": round(wall, 1), "requests": hits, "req_per_s_at_host": round(hits / busy, 2),
            "reports_exported": len(records(work / "output", "reports")),
            "per_worker_requests": [r["stats"].get("downloader/request_count", 0) for r in results]}


def main(argv=None) -> int:
    import subprocess
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--delay", type=float, default=0.25)
    args = ap.parse_args(argv)
    if not REDIS_SERVER:
        raise SystemExit("redis-server is not installed")
    tmp = Path(tempfile.mkdtemp(prefix="distbench-"))
    port = _free_port()
    redis = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        url = f"redis://127.0.0.1:{port}/0"
        _client(url).flushdb()
        root = tmp / "farm"
        answer = build(root)
        print(run(root, answer, tmp / "single", None, 1, args.delay))
        print(run(root, answer, tmp / "dist", url, args.workers, args.delay))
    finally:
        redis.terminate()
        redis.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
