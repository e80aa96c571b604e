"""Distributed mode: the 1/2/4-worker curve — per-host request rate, output, Redis overhead per request.

    python -m benchmarks.distributed_bench [--workers 1,2,4] [--delay 0.25] [--unshared 2] [--json out.json]

Builds the fixture farm (tests/farm) and serves it on 127.0.0.1 (two origins, two ports). Scrapy keys
download slots by host name without the port (`Downloader.get_slot_key`), so both origins are one
download slot, one politeness budget: "per host" below means 127.0.0.1, both ports together.

Every crawl runs the real `reports` spider with the project's pipelines (`tests.farm.runner`), with
DOWNLOAD_DELAY=--delay, DOWNLOAD_DELAY_JITTER=0, CONCURRENT_REQUESTS_PER_DOMAIN=1, AutoThrottle off:

- the single-process reference (no Redis): the record ids every distributed run must export, and the
  rate one process keeps;
- for each N of --workers: N workers sharing one fresh redis-server (127.0.0.1, random port, no
  persistence) with the distributed add-on as shipped (leased queue + shared politeness);
- for each N of --unshared (default 2): the same with SharedPolitenessMiddleware switched off
  (the same-run baseline: each worker keeps only its own delay).

Each run gets its own farm server and its own redis-server, so Redis's counters (INFO commandstats,
total_commands_processed, used_cpu_*, used_memory_peak) belong to that run alone. The farm server
logs the time of every request it receives; from these: the mean rate per host over its busy time
(first to last request) and the most requests to the host in any sliding 1 s and 3 s window. With
the delay d, requests at least d apart number at most ceil(W/d) in a half-open W-second window; the
shared timeline's documented bound is W/d + 2 (crawler/shared_politeness.py: a reservation in Redis
and the local slot's own wait can shift a request). Redis overhead per request = the run's Redis
commands (total_commands_processed delta, this script's own INFO calls taken off; Redis counts the
commands a Lua script or MULTI/EXEC runs as well as the EVALSHA/EXEC itself, so these are commands
executed, not network round trips) / requests seen by the farm; Redis CPU = used_cpu_sys +
used_cpu_user delta, given whole and less the server's idle timer (measured for 3 s before the run).
"""
from __future__ import annotations

import argparse
import bisect
import json
import math
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from tests.farm.build import build
from tests.test_distributed import ADDONS, Farm, finish, records, start
from tests.test_distributed_units import REDIS_SERVER, _client, _free_port

SHARED = "crawler.shared_politeness.SharedPolitenessMiddleware"
IDLE_SAMPLE = 3.0  # seconds of an idle redis-server measured before each run


# ---------------------------------------------------------------------- redis-server
class RedisServer:
    def __init__(self, workdir: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.proc = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(workdir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = _client(self.url)
        for _ in range(200):
            try:
                self.client.ping()
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.05)
        else:
            self.stop()
            raise SystemExit("redis-server did not start")

    def info(self) -> dict:
        info = self.client.info("all")
        cmds = {k[len("cmdstat_"):]: v for k, v in info.items() if k.startswith("cmdstat_")}
        return {"commands": info["total_commands_processed"], "cmdstats": cmds,
                "cpu": info["used_cpu_sys"] + info["used_cpu_user"],
                "used_memory": info["used_memory"], "used_memory_peak": info["used_memory_peak"]}

    def stop(self) -> None:
        self.client.close()
        self.proc.terminate()
        self.proc.wait(10)


# ---------------------------------------------------------------------- request timeline at the farm
def max_in_window(ts: list[float], window: float) -> int:
    """Most timestamps in any half-open window [t, t + window) of the sorted list `ts`."""
    return max((bisect.bisect_left(ts, t + window, i) - i for i, t in enumerate(ts)), default=0)


def host_rates(log: list[tuple[float, str]], delay: float) -> dict:
    """Per host name (= download slot; both ports of 127.0.0.1 together) and per origin."""
    by_host, by_origin = defaultdict(list), defaultdict(list)
    for t, key in log:
        origin = key.split(" ", 1)[1].split("/", 1)[0]           # "GET 127.0.0.1:port/path"
        by_origin[origin].append(t)
        by_host[origin.rsplit(":", 1)[0]].append(t)
    out = {}
    for name, group in (("host", by_host), ("origin", by_origin)):
        for h, ts in group.items():
            ts.sort()
            busy = ts[-1] - ts[0]
            gaps = [b - a for a, b in zip(ts, ts[1:])]
            out[(name, h)] = {"requests": len(ts), "busy_s": round(busy, 2),
                              "min_gap_ms": round(min(gaps) * 1000, 1) if gaps else None,
                              "gaps_below_90pct_delay": sum(1 for g in gaps if g < 0.9 * delay),
                              "mean_rps": round((len(ts) - 1) / busy, 2) if busy > 0 else None,
                              "max_1s": max_in_window(ts, 1.0), "max_3s": max_in_window(ts, 3.0)}
    return out


# ---------------------------------------------------------------------- one run
def run(root: Path, answer: dict, work: Path, n: int, delay: float, mode: str) -> dict:
    """mode: 'single' (one process, no Redis), 'shared' (add-on as shipped), 'unshared' (no shared politeness)."""
    settings = [f"DOWNLOAD_DELAY={delay}", "DOWNLOAD_DELAY_JITTER=0", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                "AUTOTHROTTLE_ENABLED=False", "TELNETCONSOLE_ENABLED=False"]
    redis = None
    if mode != "single":
        redis = RedisServer(work / "redis")
        settings += [ADDONS, f"GOVREPORTS_REDIS_URL={redis.url}"]
        if mode == "unshared":  # the add-on only setdefault()s the middleware: None keeps it off
            from crawler import settings as project
            settings.append("DOWNLOADER_MIDDLEWARES=" + json.dumps({**project.DOWNLOADER_MIDDLEWARES, SHARED: None}))
    farm = Farm(root, answer, work)
    log: list[tuple[float, str]] = []
    count = farm.srv.farm.count
    farm.srv.farm.count = lambda key: (log.append((time.monotonic(), key)), count(key))  # the request timeline
    idle_cpu = 0.0
    if redis:  # the server's own timer (serverCron) costs CPU with no command at all
        a = redis.info()
        time.sleep(IDLE_SAMPLE)
        idle_cpu = (redis.info()["cpu"] - a["cpu"]) / IDLE_SAMPLE
    before = redis.info() if redis else None
    t0 = time.time()
    try:
        procs = [start(work, farm.csv, *settings, worker=f"w{i + 1}" if redis else None) for i in range(n)]
        results = [finish(p, timeout=1200) for p in procs]
        wall = time.time() - t0
        after = redis.info() if redis else None
    finally:
        farm.srv.stop()
        if redis:
            redis.stop()
    out = work / "output"
    if redis:
        merged = records(out / "merged", "reports")
        feeds = records(out, "reports")        # the workers' own feeds (merged/ excluded)
    else:
        merged = feeds = records(out, "reports")
    requests = len(log)
    row = {"mode": mode, "workers": n, "wall_s": round(wall, 1), "requests": requests,
           "rates": {f"{k[0]}:{k[1]}": v for k, v in host_rates(log, delay).items()},
           "timeline": [(round(t - log[0][0], 4), k) for t, k in log] if log else [],
           "record_ids": sorted(r["record_id"] for r in merged),
           "worker_feed_records": len(feeds),
           "per_worker_requests": [r["stats"].get("downloader/request_count", 0) for r in results],
           "polite_waits": sum(r["stats"].get("govreports/distributed/polite_waits", 0) for r in results),
           "finish": [r["stats"].get("finish_reason") for r in results],
           "run_finished": [r["stats"].get("govreports/distributed/run_finished") for r in results]}
    if redis:
        cmds = after["commands"] - before["commands"] - 1   # minus the closing INFO itself
        calls = Counter({c: s["calls"] - before["cmdstats"].get(c, {}).get("calls", 0)
                         for c, s in after["cmdstats"].items()})
        calls["info"] -= 1
        cpu = after["cpu"] - before["cpu"]
        above = max(0.0, cpu - idle_cpu * wall)
        row["redis"] = {"commands": cmds, "commands_per_request": round(cmds / requests, 1),
                        "cpu_s": round(cpu, 3), "cpu_s_per_1000_requests": round(cpu / requests * 1000, 3),
                        "idle_cpu_s_per_s": round(idle_cpu, 5),
                        "cpu_above_idle_s_per_1000_requests": round(above / requests * 1000, 3),
                        "used_memory_start": before["used_memory"], "used_memory_peak": after["used_memory_peak"],
                        "used_memory_end": after["used_memory"],
                        "calls_per_request": {c: round(k / requests, 2) for c, k in calls.most_common() if k > 0}}
    return row


# ---------------------------------------------------------------------- output
def table(rows: list[dict], ref: dict, delay: float) -> str:
    ref_ids = ref["record_ids"]
    head = ("| run | workers | wall s | busy s at the host | requests at the farm | per-host rate, mean req/s "
            "| max in 1 s | max in 3 s | closest two requests, ms (gaps < 0.9 d) | reports exported (merged) | = single-process ids | requests per worker "
            "| Redis commands / request | Redis CPU s / 1,000 requests (above idle) | Redis used_memory peak |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    labels = {"single": "single process, no Redis", "shared": "distributed, shared politeness",
              "unshared": "distributed, shared politeness OFF"}
    for r in rows:
        h = r["rates"].get("host:127.0.0.1", {})
        ids = r["record_ids"]
        same = "yes" if ids == ref_ids else f"NO ({len(set(ids) - set(ref_ids))} extra, {len(set(ref_ids) - set(ids))} missing)"
        if len(ids) != len(set(ids)):
            same += f", {len(ids) - len(set(ids))} duplicate id(s)"
        rd = r.get("redis")
        red = ([str(rd["commands_per_request"]),
                f'{rd["cpu_s_per_1000_requests"]:.2f} ({rd["cpu_above_idle_s_per_1000_requests"]:.2f})',
                f'{rd["used_memory_peak"] / 2**20:.2f} MB']
               if rd else ["–"] * 3)
        lines.append("| " + " | ".join([labels[r["mode"]], str(r["workers"]), f'{r["wall_s"]:.1f}',
                                        f'{h.get("busy_s")}', str(r["requests"]),
                                        f'{h.get("mean_rps")}', str(h.get("max_1s")), str(h.get("max_3s")),
                                        f'{h.get("min_gap_ms")} ({h.get("gaps_below_90pct_delay")})',
                                        str(len(ids)), "reference" if r is ref else same,
                                        " / ".join(map(str, r["per_worker_requests"]))] + red) + " |")
    lines.append("")
    lines.append(f"Bounds at DOWNLOAD_DELAY={delay}: requests at least d apart give a mean of at most {1 / delay:g} req/s "
                 f"and at most ceil(W/d) = {math.ceil(1 / delay)} requests in a 1 s window, {math.ceil(3 / delay)} in 3 s "
                 f"(windows are half-open, [t, t + W)); the shared timeline's documented bound (and the rate test's "
                 f"assertion) is W/d + 2 = {1 / delay + 2:g} and {3 / delay + 2:g}.")
    return "\n".join(lines)


def details(rows: list[dict]) -> str:
    out = []
    for r in rows:
        origins = ", ".join(f'{k.split(":", 1)[1]}: {v["requests"]} req, max {v["max_1s"]}/1 s {v["max_3s"]}/3 s'
                            for k, v in sorted(r["rates"].items()) if k.startswith("origin:"))
        s = (f'- {r["mode"]} × {r["workers"]}: finish {r["finish"]}, run_finished {r["run_finished"]}, '
             f'polite waits {r["polite_waits"]}, worker-feed records {r["worker_feed_records"]}; per origin: {origins}')
        if r.get("redis"):
            rd = r["redis"]
            s += (f'; Redis: {rd["commands"]} commands, CPU {rd["cpu_s"]} s (idle timer {rd["idle_cpu_s_per_s"] * 1000:.2f} ms/s), '
                  f'used_memory {rd["used_memory_start"] / 2**20:.2f} MB at start, {rd["used_memory_end"] / 2**20:.2f} MB at the end; calls per request {rd["calls_per_request"]}')
        out.append(s)
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", default="1,2,4", help="worker counts with shared politeness (comma-separated)")
    ap.add_argument("--unshared", default="2", help="worker counts with shared politeness off ('' for none)")
    ap.add_argument("--delay", type=float, default=0.25)
    ap.add_argument("--json", help="also write the raw figures here")
    args = ap.parse_args(argv)
    if not REDIS_SERVER:
        raise SystemExit("redis-server is not installed")
    counts = [int(x) for x in args.workers.split(",") if x.strip()]
    unshared = [int(x) for x in args.unshared.split(",") if x.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="distbench-"))
    root = tmp / "farm"
    answer = build(root)
    print(f"farm {root}: {len(answer['reports'])} answer-key report documents; work dir {tmp}", flush=True)
    plan = [("single", 1)] + [("shared", n) for n in counts] + [("unshared", n) for n in unshared]
    rows = []
    for i, (mode, n) in enumerate(plan):
        rows.append(run(root, answer, tmp / f"run{i}-{mode}-{n}", n, args.delay, mode))
        r = rows[-1]
        print(f"  {mode} × {n}: {r['wall_s']} s, {r['requests']} requests, host "
              f"{r['rates'].get('host:127.0.0.1')}", flush=True)
    print()
    print(table(rows, rows[0], args.delay))
    print()
    print(details(rows))
    if args.json:
        Path(args.json).write_text(json.dumps({"delay": args.delay, "rows": rows}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
