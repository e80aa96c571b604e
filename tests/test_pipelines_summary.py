"""Run summary from crawl stats: per-portal counts, totals and alerts (crawler/extensions.py)."""
from crawler.extensions import format_summary, summarise

A, B, C = "http://a.gov.cn/", "http://b.gov.cn/", "http://c.gov.cn/"


def stats():
    return {
        f"govreports/portal/{A}/pages_fetched": 40, f"govreports/portal/{A}/records/complete": 5,
        f"govreports/portal/{A}/records/partial": 1, f"govreports/portal/{A}/records/not_a_report": 2,
        f"govreports/portal/{A}/duplicates_merged": 2, f"govreports/portal/{A}/exported": 4,
        f"govreports/portal/{B}/pages_fetched": 3, f"govreports/portal/{B}/blocked": 3,
        f"govreports/portal/{C}/pages_fetched": 12, f"govreports/portal/{C}/records/complete": 1,
        f"govreports/portal/{C}/skipped_known": 3, f"govreports/portal/{C}/skipped_known_reports": 2,
        "govreports/records/complete": 6, "govreports/records/partial": 1, "govreports/records/not_a_report": 2,
        "govreports/duplicates_merged": 2, "govreports/exported/new": 4, "govreports/incremental/skipped": 3,
        "downloader/request_count": 99,
    }


def test_per_portal_counts_and_totals():
    s = summarise(stats(), {})
    a = s["portals"][A]
    assert a["pages_fetched"] == 40 and a["records"] == {"complete": 5, "partial": 1, "not_a_report": 2}
    assert a["report_documents_seen"] == 6 and a["duplicates_merged"] == 2 and a["exported"] == 4
    t = s["totals"]
    assert t["portals"] == 3 and t["pages_fetched"] == 55 and t["blocked"] == 3
    assert t["report_documents"] == 7 and t["rejects"] == 2 and t["reports_exported"]["new"] == 4
    assert t["documents_skipped_known"] == 3


def test_portal_with_nothing_or_far_fewer_reports_is_called_out():
    last = {A: {"report_documents_seen": 20}, C: {"report_documents_seen": 3}}
    s = summarise(stats(), last)
    assert any("far fewer reports than last run (6 vs 20)" in a for a in s["portals"][A]["alerts"])
    assert "no report found" in s["portals"][B]["alerts"] and any("blocked" in a for a in s["portals"][B]["alerts"])
    # skipped known reports count as seen: an incremental re-run is not a drop
    assert s["portals"][C]["report_documents_seen"] == 3 and s["portals"][C]["alerts"] == []
    assert len(s["alerts"]) == 3
    text = format_summary({**s, "finish_reason": "finished"})
    assert "Run summary (finished)" in text and "<-- no report found" in text


def test_a_distributed_worker_does_not_judge_portal_coverage():
    # a worker sees only its share of each portal: no coverage alerts, blocked pages still reported
    last = {A: {"report_documents_seen": 20}}
    s = summarise(stats(), last, coverage_alerts=False)
    assert s["portals"][A]["alerts"] == []
    assert s["portals"][B]["alerts"] == ["3 page(s) blocked"]
