"""Scheduled re-runs and interrupted runs, end to end (real spider, fixture portal on 127.0.0.1).

- a second run skips the known report pages and exports nothing;
- a corrected report republished at a new URL is exported again (change = "edited", with the cells that changed);
- GOVREPORTS_FULL_EXPORT=1 exports everything again;
- a JOBDIR crawl stopped with one SIGTERM and resumed exports every report exactly once.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fixtures.pipeline_site.site import EXPECTED_REPORTS, Site, build_site
from tests.test_feeds_e2e import REPO, crawl, csv_rows, jsonl, runs


def summary(run: dict) -> dict:
    return json.loads(run["summary"].read_text("utf-8"))


def test_weekly_rerun_exports_only_new_or_changed(tmp_path):
    root = build_site(tmp_path / "site")
    with Site(root) as site:
        crawl(site.url, tmp_path)
        crawl(site.url, tmp_path)
        build_site(root, "changed")  # the portal republishes 得石镇's report, corrected
        crawl(site.url, tmp_path)
        crawl(site.url, tmp_path, "-s", "GOVREPORTS_FULL_EXPORT=1")
    first, second, third, full = runs(tmp_path / "out")
    assert len(jsonl(first["jsonl"])) == EXPECTED_REPORTS

    # second run: nothing new; the report pages were not even fetched again
    raw, header, rows = csv_rows(second["csv"])
    assert rows == [] and raw.startswith(b"\xef\xbb\xbf") and header
    assert jsonl(second["jsonl"]) == []
    s2 = summary(second)
    assert s2["totals"]["documents_skipped_known"] >= EXPECTED_REPORTS
    # the decoy is not fetched again; the dead link is tried again (it may come back), and as the
    # only candidate fetched it is the whole failed share
    assert [r["status"] for r in jsonl(second["rejects"])] == ["failed"]
    assert s2["totals"]["report_documents"] == 0
    assert s2["alerts"] == [f"{site.url}: 1 of 1 report candidate(s) failed"]

    # third run: only the corrected report, under the id it had
    (changed,) = jsonl(third["jsonl"])
    original = {r["organ"]: r for r in jsonl(first["jsonl"])}["攀枝花市米易县得石镇人民政府"]
    assert changed["change"] == "edited" and changed["record_id"] == original["record_id"]
    assert changed["changed_fields"] and all(c["old"] != c["new"] for c in changed["changed_fields"])
    assert changed["document_url"].endswith("t20240301_1004.html")
    assert changed["table3"]["rows"]["new_received"]["total"] == 1  # exported as printed
    assert original["table3"]["rows"]["new_received"]["total"] == 0

    # full export: every report again, one row each
    recs = jsonl(full["jsonl"])
    assert len(recs) == EXPECTED_REPORTS == len({r["record_id"] for r in recs})
    assert {r["record_id"] for r in recs} == {r["record_id"] for r in jsonl(first["jsonl"])}


def _start(url: str, work: Path, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"url={url}",
           "-s", f"GOVREPORTS_OUTPUT_DIR={work / 'out'}", "-s", f"GOVREPORTS_STATE_DIR={work / 'state'}",
           "-s", f"JOBDIR={work / 'job'}", "-s", "DOWNLOAD_DELAY=0.8", "-s", "DOWNLOAD_DELAY_JITTER=0",
           "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
           "-s", "TELNETCONSOLE_ENABLED=0", "-s", "LOG_LEVEL=DEBUG", "-s", f"LOG_FILE={log}"]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigterm_and_resume_exports_every_report_exactly_once(tmp_path):
    reference = tmp_path / "reference"
    work = tmp_path / "work"
    root = build_site(tmp_path / "site")
    with Site(root) as site:
        crawl(site.url, reference)
        log = tmp_path / "part1.log"
        proc = _start(site.url, work, log)
        try:
            deadline = time.time() + 60
            while time.time() < deadline:  # stop right after the first report is held
                if log.exists() and "held for deduplication" in log.read_text("utf-8", "replace"):
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("no report reached the pipeline")
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 1  # the crawl did not finish (resumable): exit 1
        finally:
            if proc.poll() is None:
                proc.kill()
        text = log.read_text("utf-8", "replace")
        assert "Run summary (shutdown)" in text  # the stats dump is off (STATS_DUMP); the summary says it
        crawl(site.url, work, "-s", f"JOBDIR={work / 'job'}")
    part1, part2 = runs(work / "out")
    assert summary(part1)["finish_reason"] == "shutdown"
    assert summary(part1)["totals"]["reports_held_for_resume"] >= 1
    assert summary(part2)["finish_reason"] == "finished"
    exported = jsonl(part1["jsonl"]) + jsonl(part2["jsonl"])
    ids = [r["record_id"] for r in exported]
    expected = {r["record_id"] for r in jsonl(runs(reference / "out")[0]["jsonl"])}
    assert sorted(ids) == sorted(expected) and len(ids) == EXPECTED_REPORTS  # none lost, none twice
    csv_ids = [r["record_id"] for run in (part1, part2) for r in csv_rows(run["csv"])[2]]
    assert sorted(csv_ids) == sorted(ids)
    rejects = jsonl(part1["rejects"]) + jsonl(part2["rejects"])
    assert len([r for r in rejects if r["document_url"].endswith("t20240301_9999.html")]) == 1


def test_a_portal_that_stops_yielding_reports_is_called_out(tmp_path):
    root = build_site(tmp_path / "site")
    with Site(root) as site:
        crawl(site.url, tmp_path)
        for column in ("xxgk/ndbg/index.html", "towns/kongtong/ndbg/index.html"):  # the portal is redesigned
            (root / column).unlink()
        proc = crawl(site.url, tmp_path)
    first, second = runs(tmp_path / "out")
    assert summary(first)["alerts"] == []
    (portal,) = summary(second)["portals"].values()
    assert portal["report_documents_seen"] == 0 and portal["last_run_report_documents_seen"] > 0
    assert portal["alerts"] == ["no report found", "1 of 1 report candidate(s) failed"]  # the dead link
    assert "Portal alert" in proc.stderr and "no report found" in proc.stderr


def test_a_report_edited_in_place_is_exported_again_when_rechecked(tmp_path):
    from tests.fixtures.pipeline_site.site import _CHANGE, REPORTS, report_page
    root = build_site(tmp_path / "site")
    with Site(root) as site:
        crawl(site.url, tmp_path)
        prefix, title = REPORTS["t20240116_1002"]
        # the portal replaces the page in place (new numbers, and no longer links the old DOCX;
        # had it kept the DOCX, the complete DOCX would win over the now inconsistent page)
        (root / "xxgk/ndbg/t20240116_1002.html").write_text(report_page(prefix, title, replace=_CHANGE), "utf-8")
        crawl(site.url, tmp_path)  # default: known pages are not fetched again
        crawl(site.url, tmp_path, "-s", "GOVREPORTS_RECHECK_DAYS=0")
    first, second, third = runs(tmp_path / "out")
    assert jsonl(second["jsonl"]) == []
    (changed,) = jsonl(third["jsonl"])
    assert changed["change"] == "edited" and changed["organ"] == "攀枝花市米易县得石镇人民政府"
    assert changed["table3"]["rows"]["new_received"]["total"] == 1
    # what the analyst is told changed: the edited cells, old → new, and the bytes last exported
    (before,) = [r for r in jsonl(first["jsonl"]) if r["record_id"] == changed["record_id"]]
    assert changed["previous_sha256"] == (before["evidence"]["document"] or before["evidence"]["page"])["sha256"]
    assert changed["previous_sha256"] != changed["evidence"]["page"]["sha256"]
    edited = {c["field"]: (c["old"], c["new"]) for c in changed["changed_fields"]}
    assert edited["table3.rows.new_received.total"] == (0, 1)
    assert edited["table3.rows.new_received.natural_person"] == (0, 1)
    assert summary(third)["totals"]["reports_unchanged"] == EXPECTED_REPORTS - 1


def test_a_report_whose_page_is_gone_is_exported_as_withdrawn(tmp_path):
    """A recheck finds an exported report's page gone (404) while the list still links it: the
    report comes once more with change = withdrawn and its last exported values; never silently
    dropped. A later run does not withdraw it again."""
    root = build_site(tmp_path / "site")
    with Site(root) as site:
        crawl(site.url, tmp_path)
        (root / "xxgk/ndbg/t20240116_1002.html").unlink()
        crawl(site.url, tmp_path, "-s", "GOVREPORTS_RECHECK_DAYS=0")
        crawl(site.url, tmp_path, "-s", "GOVREPORTS_RECHECK_DAYS=0")
    first, second, third = runs(tmp_path / "out")
    (before,) = [r for r in jsonl(first["jsonl"]) if r["document_url"].endswith("t20240116_1002.html")]
    (gone,) = [r for r in jsonl(second["jsonl"]) if r["change"] == "withdrawn"]
    assert gone["record_id"] == before["record_id"] and gone["url"].endswith("t20240116_1002.html")
    assert gone["status"] == before["status"] and gone["table3"]["rows"] == before["table3"]["rows"]
    assert gone["problems"][0]["code"] == "withdrawn" and gone["http_status"] == 404
    assert [r["change"] for r in jsonl(third["jsonl"])] == []
