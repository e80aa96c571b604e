"""Operator CLI of the distributed mode.

    python -m crawler.distributed status [--redis URL] [--spider reports]   # frontier, leases, workers
    python -m crawler.distributed reset  [--redis URL] [--spider reports]   # forget an abandoned run
"""
from __future__ import annotations

import argparse
import os
import sys

from scrapy_redis import defaults

from crawler.distributed import WORKER_KEY, WORKERS_KEY, redis_client
from crawler.leases import LEASE_SEQ_KEY, LEASES_KEY
from crawler.merge import OUTPUT_OPEN_KEY, RUN_WORKERS_KEY


def main(argv=None) -> int:
    import redis
    try:
        return _run(argv)
    except redis.RedisError as exc:
        print(f"python -m crawler.distributed: Redis: {exc}", file=sys.stderr)
        return 2


def _run(argv) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.distributed")
    ap.add_argument("action", choices=["status", "reset"])
    ap.add_argument("--redis", default=os.environ.get("GOVREPORTS_REDIS_URL"), required=False)
    ap.add_argument("--spider", default="reports")
    args = ap.parse_args(argv)
    if not args.redis:
        ap.error("--redis URL (or GOVREPORTS_REDIS_URL) is required")
    r, name = redis_client(args.redis), {"spider": args.spider}
    keys = {"frontier": defaults.SCHEDULER_QUEUE_KEY % name, "fingerprints": defaults.SCHEDULER_DUPEFILTER_KEY % name}
    leases = sorted(k.decode() for k in r.scan_iter((LEASES_KEY % name) + "*"))
    if args.action == "reset":  # never while workers run
        opened = [k.decode() for k in r.scan_iter((OUTPUT_OPEN_KEY % name) + "*")]
        r.delete(*keys.values(), WORKERS_KEY % name, LEASE_SEQ_KEY % name, RUN_WORKERS_KEY % name, *leases, *opened)
        print("reset", ", ".join([*keys.values(), *leases]))
        return 0
    print(f"frontier {r.zcard(keys['frontier']) if r.type(keys['frontier']) == b'zset' else r.llen(keys['frontier'])}"
          f", fingerprints {r.scard(keys['fingerprints'])}")
    for key in leases:
        print(f"leased to {key[len(LEASES_KEY % name):]}: {r.hlen(key)}")
    for w in sorted(r.smembers(WORKERS_KEY % name)):
        print(f"worker {w.decode()}: {(r.get((WORKER_KEY % name) + w.decode()) or b'gone').decode()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
