"""One output for a distributed run: the workers' feeds, summaries and coverage merged.

    python -m crawler.merge output/                 # output/<worker>/… → output/merged/
    python -m crawler.merge output/ --out merged/

Each worker of a distributed run writes its own directory (``<GOVREPORTS_OUTPUT_DIR>/<worker>/``).
This reads the latest run of every worker directory under the given directory and writes one set:

- ``reports-<time>.jsonl`` / ``.csv``: one row per ``record_id`` (the workers export each report
  once; should two files still hold the same id, the best-parsed copy is kept, as the dedup
  pipeline would);
- ``rejects-<time>.jsonl`` / ``.csv``: one row per rejected document URL;
- ``run-summary-<time>.json``: the workers' crawl stats added up (every per-portal counter is a
  count), then summarised once, so the per-portal alerts ("no report found", failed share, traps …)
  are computed on the union, which no single worker can see;
- the coverage files and the HTML run report over the merged feeds (crawler/report.py).

``<time>`` is the latest worker's run time. The last worker to finish a distributed run calls
`merge` itself when its workers share a file system (crawler/distributed.py); the command is for
workers on several machines whose output directories were collected in one place.
"""
from __future__ import annotations

import argparse
import glob
import json
import logging
import os
import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.csvrow import REJECT_FIELDS, flatten_reject, write_csv
from crawler.exporters import output_dir
from crawler.extensions import summarise
from crawler.identity import quality

logger = logging.getLogger(__name__)

MERGED = "merged"
RUN_WORKERS_KEY = "%(spider)s:run-workers"    # every worker that took part in the run
OUTPUT_OPEN_KEY = "%(spider)s:output-open:"   # + worker id: its feeds are not stored yet (TTL)

# KEYS: the run's worker set. ARGV: output-open prefix, this worker. Deletes this worker's key and
# returns 1 when no other worker's outputs are still open (exactly one worker sees 1).
_LAST_OUT = """
redis.call('DEL', ARGV[1] .. ARGV[2])
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. w) == 1 then return 0 end
end
return 1
"""


def latest_runs(root: str) -> list[tuple[str, str]]:
    """(worker directory, run time) of the newest run summary in each worker directory."""
    out = []
    for d in sorted(glob.glob(os.path.join(root, "*", ""))):
        d = d.rstrip(os.sep)
        if os.path.basename(d) == MERGED:
            continue
        times = [os.path.basename(f)[len("run-summary-"):-len(".json")]
                 for f in glob.glob(os.path.join(d, "run-summary-*.json"))]
        if times:
            out.append((d, max(times)))
    return out


def _jsonl(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def merge_reports(records: list[dict]) -> list[dict]:
    best: dict[str, dict] = {}
    for rec in records:
        rid = rec.get("record_id")
        if rid not in best or quality(rec) > quality(best[rid]):
            best[rid] = rec
    return sorted(best.values(), key=lambda r: str(r.get("record_id")))


def merge_rejects(records: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for rec in records:
        seen.setdefault(str(rec.get("document_url") or rec.get("url")), rec)
    return list(seen.values())


def add_stats(summaries: list[dict]) -> dict:
    """The union's stats: numbers added up key by key (every counter of the run is a count)."""
    total: dict = {}
    for s in summaries:
        for k, v in (s.get("scrapy_stats") or {}).items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                total.setdefault(k, v)
            else:
                total[k] = total.get(k, 0) + v
    return total


def merge(root: str, out: str | None = None, drop_ratio: float = 0.5, failed_ratio: float = 0.5) -> dict:
    """Merge the latest run of each worker directory under `root`; returns the merged summary."""
    runs = latest_runs(root)
    if not runs:
        raise FileNotFoundError(f"no worker run summaries (run-summary-*.json) under {root}/*/")
    out = out or os.path.join(root, MERGED)
    os.makedirs(out, exist_ok=True)
    summaries, reports, rejects = [], [], []
    for d, t in runs:
        with open(os.path.join(d, f"run-summary-{t}.json"), encoding="utf-8") as f:
            summaries.append(json.load(f))
        reports += _jsonl(os.path.join(d, f"reports-{t}.jsonl"))
        rejects += _jsonl(os.path.join(d, f"rejects-{t}.jsonl"))
    run_time = max(t for _, t in runs)
    reports, rejects = merge_reports(reports), merge_rejects(rejects)
    names = {portal: p.get("name") for s in summaries for portal, p in (s.get("portals") or {}).items()
             if p.get("name") and p.get("name") != portal}
    stats = add_stats(summaries)
    summary = {"run_time": run_time, "spider": summaries[0].get("spider"),
               "finish_reason": "finished" if all(s.get("finish_reason") == "finished" for s in summaries)
               else "incomplete",
               "workers": {os.path.basename(d): {"run_time": t, "finish_reason": s.get("finish_reason")}
                           for (d, t), s in zip(runs, summaries)},
               **summarise(stats, {}, drop_ratio, coverage_alerts=True, names=names, failed_ratio=failed_ratio),
               "reports": len(reports), "rejects": len(rejects), "scrapy_stats": stats}
    _write_jsonl(os.path.join(out, f"reports-{run_time}.jsonl"), reports)
    write_csv(os.path.join(out, f"reports-{run_time}.csv"), reports)
    _write_jsonl(os.path.join(out, f"rejects-{run_time}.jsonl"), rejects)
    write_csv(os.path.join(out, f"rejects-{run_time}.csv"), rejects, REJECT_FIELDS, flatten_reject)
    with open(os.path.join(out, f"run-summary-{run_time}.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, ensure_ascii=False, indent=2, default=str)
    _coverage(out)
    return summary


def _write_jsonl(path: str, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")


def _coverage(out: str) -> None:
    """Coverage files and the HTML run report over the merged feeds (crawler/report.py)."""
    from crawler import report
    report.main([out, "--out", out])


class MergeAtEnd:
    """Extension of the distributed mode: the last worker whose feeds are stored merges the run.

    Each worker marks its outputs open (a key with the worker TTL, renewed while it runs) and
    deletes the mark once the feed exporter has stored its feeds; the one that finds no other
    open mark — atomically, so exactly one — merges ``<output>/*/`` into ``<output>/merged/`` when
    the run finished and every worker of the run wrote into this file system (workers on other
    machines: collect their directories and run ``python -m crawler.merge``)."""

    def __init__(self, crawler):
        from crawler.state_redis import redis_url
        if not redis_url(crawler.settings) or not crawler.settings.getbool("GOVREPORTS_MERGE_AT_END"):
            raise NotConfigured
        self.crawler = crawler
        self._loop = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.outputs_stored, signal=signals.feed_exporter_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        from crawler.distributed import coordinator_for
        self.coord = coordinator_for(self.crawler)
        name = {"spider": spider.name}
        self.workers_key, self.open_key = RUN_WORKERS_KEY % name, OUTPUT_OPEN_KEY % name
        self._last = self.coord.server.register_script(_LAST_OUT)
        self.coord.server.sadd(self.workers_key, self.coord.worker_id)
        self._loop = task.LoopingCall(self._mark_open)
        self._loop.start(max(1.0, self.coord.ttl / 3), now=True)

    def _mark_open(self):
        self.coord.server.set(self.open_key + self.coord.worker_id, 1, ex=self.coord.ttl)

    def outputs_stored(self):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        server, me = self.coord.server, self.coord.worker_id
        last = self._last(keys=[self.workers_key], args=[self.open_key, me])
        if not (last and self.coord.finished):
            return
        root = os.path.dirname(os.path.normpath(output_dir(self.crawler.settings)))
        workers = sorted(w.decode() for w in server.smembers(self.workers_key))
        elsewhere = [w for w in workers if not os.path.isdir(os.path.join(root, w))]
        if elsewhere:
            logger.warning("Not merging the run's outputs: worker(s) %s wrote on another machine; collect the "
                           "worker directories in one place and run python -m crawler.merge DIR", ", ".join(elsewhere))
            return
        summary = merge(root)
        server.delete(self.workers_key)
        self.crawler.stats.set_value("govreports/distributed/merged_output", os.path.join(root, MERGED))
        logger.info("Merged the outputs of %d worker(s) into %s: %d reports, %d rejects, %d alert(s)",
                    len(workers), os.path.join(root, MERGED), summary["reports"], summary["rejects"],
                    len(summary["alerts"]))
        for alert in summary["alerts"]:
            logger.warning("Portal alert (whole run): %s", alert)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.merge",
                                 description="Merge a distributed run's worker outputs into one set.")
    ap.add_argument("root", help="the output directory holding one subdirectory per worker")
    ap.add_argument("--out", help=f"where to write (default: ROOT/{MERGED})")
    args = ap.parse_args(argv)
    try:
        summary = merge(args.root, args.out)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"merged {len(summary['workers'])} worker(s): {summary['reports']} reports, "
          f"{summary['rejects']} rejects, {len(summary['alerts'])} alert(s)")
    for alert in summary["alerts"]:
        print(f"alert: {alert}")
    return 3 if summary["alerts"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
