"""Run the real `reports` spider in this process and dump its items and stats as JSON.

    python -m tests.farm.runner --portals portals.csv --out result.json [-s NAME=VALUE …] [-a NAME=VALUE …]

Used by the tests (in a subprocess, so each crawl gets a fresh Twisted reactor) and the benchmark.
Item bodies are summarised (length + first bytes) so the dump stays small.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--spider", default="reports")
    ap.add_argument("-s", action="append", default=[], help="setting override NAME=VALUE")
    ap.add_argument("-a", action="append", default=[], help="spider argument NAME=VALUE")
    ap.add_argument("--portals")
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

    def on_item(item, response, spider):
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
    process.crawl(crawler, **spider_args)
    t0 = time.time()   # crawl time only (imports and settings are not the spider's speed)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
    ru = resource.getrusage(resource.RUSAGE_SELF)
    out = {"items": items, "stats": stats, "elapsed": time.time() - t0,
           "cpu_s": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
