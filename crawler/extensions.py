"""Run summary: what each portal gave this run, in the log and as output/run-summary-<time>.json.

Built from the crawl stats at spider close: the spider's per-portal counters
(``govreports/portal/<portal>/pages_fetched|blocked|soft_404|http_errors|robots_disallowed|
candidates_yielded``) and the pipelines' (``records/<status>``, ``duplicates_merged``,
``exported``, ``skipped_known_reports``). A portal is called out when it yields no report
documents, or far fewer than its last finished run (remembered in the state store, namespace
``portal``; ratio ``GOVREPORTS_DROP_ALERT_RATIO``, default 0.5). Report documents skipped because
we already have them count as seen, so an incremental re-run does not raise false alarms.
"""
from __future__ import annotations

import json
import logging
import os
import re
from collections import defaultdict

from scrapy import signals

from crawler.exporters import REJECT_STATUSES, REPORT_STATUSES, output_dir, run_time
from crawler.state import store_for

logger = logging.getLogger(__name__)

_PORTAL_KEY = re.compile(
    r"^govreports/portal/(?P<portal>.+)/(?P<metric>pages_fetched|blocked|soft_404|http_errors|unreachable|"
    r"unreachable_detail|trap_patterns|robots_disallowed|candidates_yielded|duplicates_merged|exported|skipped_known|"
    r"skipped_known_reports|records/[a-z_]+)$")
_COUNTERS = ("pages_fetched", "blocked", "soft_404", "http_errors", "unreachable", "robots_disallowed",
             "candidates_yielded", "duplicates_merged", "exported", "skipped_known_reports")
STATUSES = ("complete", "inconsistent", "partial", "not_a_report", "failed")


def summarise(stats: dict, last_runs: dict, drop_ratio: float = 0.5, coverage_alerts: bool = True,
              names: dict | None = None, failed_ratio: float = 0.5) -> dict:
    """The summary dict from a stats dict and {portal: last run} (pure, for tests).

    coverage_alerts=False (a distributed worker sees only its share of each portal): no
    "no report found" / "far fewer reports" alerts, which only the whole run can judge.
    names: {portal start URL: name from the portals list}; alerts name the portal by it."""
    names = names or {}
    portals: dict[str, dict] = defaultdict(lambda: {c: 0 for c in _COUNTERS} | {"records": {}})
    for key, value in stats.items():
        m = _PORTAL_KEY.match(key)
        if not m:
            continue
        p = portals[m.group("portal")]
        metric = m.group("metric")
        if metric.startswith("records/"):
            p["records"][metric.split("/", 1)[1]] = value
        elif metric != "skipped_known":
            p[metric] = value
    alerts = []
    for portal, p in sorted(portals.items()):
        p["name"] = names.get(portal) or portal
        found = sum(n for s, n in p["records"].items() if s in REPORT_STATUSES)
        # exported covers a resumed JOBDIR run, whose documents were parsed before the interruption
        p["report_documents_seen"] = max(found + p["skipped_known_reports"], p["exported"])
        last = (last_runs.get(portal) or {}).get("report_documents_seen")
        p["last_run_report_documents_seen"] = last
        p["alerts"] = portal_alerts(p, last, drop_ratio, failed_ratio, coverage_alerts)
        alerts += [f"{p['name']}: {a}" for a in p["alerts"]]
    by_status = {s: stats.get(f"govreports/records/{s}", 0) for s in STATUSES}
    totals = {
        "portals": len(portals),
        "pages_fetched": sum(p["pages_fetched"] for p in portals.values()),
        "documents": sum(by_status.values()),
        "documents_by_status": by_status,
        "report_documents": sum(by_status[s] for s in REPORT_STATUSES),
        "rejects": sum(by_status[s] for s in REJECT_STATUSES),
        "duplicates_merged": stats.get("govreports/duplicates_merged", 0),
        "reports_exported": {c: stats.get(f"govreports/exported/{c}", 0) for c in ("new", "changed", "full")},
        "reports_unchanged": stats.get("govreports/incremental/unchanged", 0),
        "reports_held_for_resume": stats.get("govreports/held_for_resume", 0),
        "documents_skipped_known": stats.get("govreports/incremental/skipped", 0),
        "blocked": sum(p["blocked"] for p in portals.values()),
        "soft_404": sum(p["soft_404"] for p in portals.values()),
        "http_errors": sum(p["http_errors"] for p in portals.values()),
        "unreachable": sum(p["unreachable"] for p in portals.values()),
        "portals_unreachable": sum(1 for p in portals.values() if _unreachable(p)),
    }
    return {"totals": totals, "portals": dict(sorted(portals.items())), "alerts": alerts}


def _unreachable(p: dict) -> bool:
    """No page of the portal could be fetched because no connection was made (DNS, refused, timeout, TLS)."""
    return p["unreachable"] > 0 and p["pages_fetched"] == 0


def portal_alerts(p: dict, last: int | None, drop_ratio: float, failed_ratio: float,
                  coverage_alerts: bool) -> list[str]:
    out = []
    if _unreachable(p):
        detail = p.get("unreachable_detail")
        out.append("unreachable" + (f" ({detail})" if detail else ""))
    elif not coverage_alerts:
        pass
    elif p["report_documents_seen"] == 0:
        out.append("no report found")
    elif last and p["report_documents_seen"] < drop_ratio * last:
        out.append(f"far fewer reports than last run ({p['report_documents_seen']} vs {last})")
    candidates = sum(p["records"].values())
    failed = p["records"].get("failed", 0)
    if failed and failed >= failed_ratio * candidates:
        out.append(f"{failed} of {candidates} report candidate(s) failed")
    if p["blocked"]:
        out.append(f"{p['blocked']} page(s) blocked")
    if p.get("trap_patterns"):  # crawler/traps.py: a list over its page limit, a calendar, session ids …
        out.append("crawl trap cut short: " + ", ".join(p["trap_patterns"]))
    return out


def format_summary(summary: dict) -> str:
    """The log text: one line of totals that add up, then one compact row per portal, by name."""
    t = summary["totals"]
    s = t["documents_by_status"]
    lines = [
        f"Run summary ({summary.get('finish_reason')}): {t['portals']} portal(s), {t['pages_fetched']} page(s) "
        f"fetched; {t.get('documents', sum(s.values()))} document(s) = {t['report_documents']} report(s) "
        f"(complete {s['complete']}, inconsistent {s['inconsistent']}, partial {s['partial']}) + "
        f"{t['rejects']} reject(s) (not_a_report {s['not_a_report']}, failed {s['failed']}); "
        f"duplicates merged {t['duplicates_merged']}; exported {_counts(t['reports_exported'])}, unchanged "
        f"{t['reports_unchanged']}, held for resume {t['reports_held_for_resume']}; known documents skipped "
        f"{t['documents_skipped_known']}; blocked {t['blocked']}, soft-404 {t['soft_404']}, http errors "
        f"{t['http_errors']}, unreachable {t.get('unreachable', 0)}",
    ]
    rows = [("portal", "pages", "reports", "rejects", "failed", "exported", "unreach", "http", "blocked", "alerts")]
    for portal, p in summary["portals"].items():
        rec = p["records"]
        rows.append((str(p.get("name") or portal)[:40], p["pages_fetched"], p["report_documents_seen"],
                     rec.get("not_a_report", 0) + rec.get("failed", 0), rec.get("failed", 0), p["exported"],
                     p.get("unreachable", 0), p["http_errors"], p["blocked"],
                     ("<-- " + "; ".join(p["alerts"])) if p["alerts"] else ""))
    widths = [max(_width(str(r[i])) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        cells = [str(c) + " " * (w - _width(str(c))) if i == 0 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  " + "  ".join(cells) + ("  " + r[-1] if r[-1] else ""))
    return "\n".join(lines)


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items())


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class RunSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        self.drop_ratio = crawler.settings.getfloat("GOVREPORTS_DROP_ALERT_RATIO", 0.5)
        self.failed_ratio = crawler.settings.getfloat("GOVREPORTS_FAILED_ALERT_RATIO", 0.5)
        self.fail_on_alert = crawler.settings.getbool("GOVREPORTS_FAIL_ON_ALERT")
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        stats = dict(self.crawler.stats.get_stats())
        store = store_for(self.crawler)
        distributed = bool(self.crawler.settings.get("GOVREPORTS_REDIS_URL") or os.environ.get("GOVREPORTS_REDIS_URL"))
        last_runs = {} if distributed else dict(store.items("portal"))
        names = {url: (meta or {}).get("name") for url, meta in (getattr(spider, "portal_meta", None) or {}).items()}
        summary = summarise(stats, last_runs, self.drop_ratio, coverage_alerts=not distributed, names=names,
                            failed_ratio=self.failed_ratio)
        summary = {"run_time": run_time(self.crawler), "finish_reason": reason,
                   "spider": spider.name, **summary,
                   "scrapy_stats": stats}  # the full stats here, not dumped into the log (STATS_DUMP = False)
        text = format_summary(summary)
        logger.log(logging.WARNING if summary["alerts"] else logging.INFO, text)
        for alert in summary["alerts"]:
            logger.warning("Portal alert: %s", alert)
        path = os.path.join(output_dir(self.crawler.settings), f"run-summary-{summary['run_time']}.json")
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=2, default=str)
        self.crawler.stats.set_value("govreports/run_summary", path)
        if self.fail_on_alert and summary["alerts"]:  # read by crawler/commands/crawl.py: exit code 3
            self.crawler.stats.set_value("govreports/exit_code", 3)
        if reason == "finished" and not distributed:  # complete single-process runs are the baseline
            for portal, p in summary["portals"].items():
                store.put("portal", portal, {"report_documents_seen": p["report_documents_seen"],
                                             "run_time": summary["run_time"]})


def main(argv: list[str] | None = None) -> int:
    """python -m crawler.extensions output/run-summary-<time>.json … : the table and alerts again;
    exit 3 when any summary has alerts, 1 when one did not finish (for cron/systemd after the run)."""
    import sys
    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        print("usage: python -m crawler.extensions output/run-summary-<time>.json …", file=sys.stderr)
        return 2
    code = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                summary = json.load(f)
        except (OSError, ValueError) as exc:
            print(f"error: {path}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            return 2
        print(format_summary(summary))
        if summary.get("finish_reason") != "finished":
            code = max(code, 1)
        if summary.get("alerts"):
            code = 3
    return code


if __name__ == "__main__":
    raise SystemExit(main())
