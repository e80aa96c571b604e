"""Run the real `reports` spider in this process and dump its items and stats as JSON.

    python -m tests.farm.runner --portals portals.csv --out result.json [-s NAME=VALUE …] [-a NAME=VALUE …]

Used by the tests (in a subprocess, so each crawl gets a fresh Twisted reactor) and the benchmark.
Item bodies are summarised (length + first bytes) so the dump stays small.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

from tests.farm.procmem import descendants, status_kb


def peak_rss_kb() -> int:
    """VmHWM: this process's own peak RSS. (ru_maxrss is not: Linux carries the high-water mark of
    the forked image across exec, so it is at least the parent's RSS when it started us.)"""
    return status_kb(os.getpid(), "VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def tree_rss_kb() -> tuple[int, int]:
    """(RSS of this process, RSS of it and every descendant: the parse children) in KB."""
    own = status_kb(os.getpid(), "VmRSS")
    return own, own + sum(status_kb(p, "VmRSS") for p in descendants(os.getpid()))


class Sampler:
    """Every `every` seconds, in the reactor thread: (seconds, RSS of the crawl KB, RSS of its process
    tree KB, the scheduler's queue length (the frontier), responses so far), so memory can be read
    against the frontier and the pages fetched."""

    def __init__(self, crawler, every: float):
        self.crawler, self.every, self.samples, self.t0 = crawler, every, [], time.time()
        self.loop = None

    def start(self):
        from twisted.internet import task
        self.loop = task.LoopingCall(self.sample)
        self.loop.start(self.every, now=True)

    def sample(self):
        own, tree = tree_rss_kb()
        try:
            frontier = len(self.crawler.engine._slot.scheduler)
        except Exception:  # noqa: BLE001 - not started yet, or closing
            frontier = None
        pages = self.crawler.stats.get_value("response_received_count", 0)
        self.samples.append((round(time.time() - self.t0, 2), own, tree, frontier, pages))

    def stop(self):
        if self.loop is not None and self.loop.running:
            self.loop.stop()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--spider", default="reports")
    ap.add_argument("-s", action="append", default=[], help="setting override NAME=VALUE")
    ap.add_argument("-a", action="append", default=[], help="spider argument NAME=VALUE")
    ap.add_argument("--portals")
    ap.add_argument("--no-items", action="store_true", help="count items instead of keeping them (memory benchmarks)")
    ap.add_argument("--sample", type=float, default=0.0, help="sample RSS and frontier every N seconds")
    args = ap.parse_args(argv)

    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for kv in args.s:
        k, v = kv.split("=", 1)
        settings.set(k, v, priority="cmdline")
    spider_args = dict(kv.split("=", 1) for kv in args.a)
    if args.portals:
        spider_args["portals"] = args.portals
    items = []
    counted = {"items": 0}

    def on_item(item, response, spider):
        counted["items"] += 1
        if args.no_items:
            return
        d = dict(item)
        body = d.pop("body", None)
        if isinstance(body, (bytes, bytearray)):
            d["body_len"] = len(body)
            d["body_head"] = body[:8].decode("latin-1")
        items.append(d)

    process = CrawlerProcess(settings, install_root_handler=False)
    spider = args.spider
    if ":" in spider:   # module:Class (the benchmark's bare spider lives outside the project)
        import importlib
        mod, cls = spider.split(":")
        spider = getattr(importlib.import_module(mod), cls)
    crawler = process.create_crawler(spider)
    crawler.signals.connect(on_item, signal=signals.item_scraped)
    sampler = Sampler(crawler, args.sample) if args.sample else None
    if sampler:
        crawler.signals.connect(sampler.start, signal=signals.engine_started)
        crawler.signals.connect(sampler.stop, signal=signals.engine_stopped)
    process.crawl(crawler, **spider_args)
    t0 = time.time()   # crawl time only (imports and settings are not the spider's speed)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
    ru = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {"items": items, "item_count": counted["items"], "stats": stats, "elapsed": time.time() - t0,
           "cpu_s": ru.ru_utime + ru.ru_stime, "maxrss_kb": peak_rss_kb(), "ru_maxrss_kb": ru.ru_maxrss,
           "children_cpu_s": kids.ru_utime + kids.ru_stime,
           "samples": sampler.samples if sampler else None,
           "peak_tree_rss_kb": max((x[2] for x in sampler.samples), default=None) if sampler else None}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
