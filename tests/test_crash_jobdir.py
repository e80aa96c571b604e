"""Crash-safe JOBDIR runs: SIGKILL a real crawl at several moments, rerun the same command, and
every report is exported exactly once across the runs' feeds (crawler/crashsafe.py).

The portal (tests/crash_site.py, on 127.0.0.1) has 48 reports on 6 list pages, 12 of them with a
DOCX of the same report, and 360 other report-titled links: Scrapy's requests.seen outgrows its
write buffer early, so a killed run leaves on disk the fingerprints of requests whose queue died
with it — the rerun used to drop those as duplicates (issue 13: 154 of 240 reports lost, exit 0).
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crash_site import build_crash_site
from tests.fixtures.pipeline_site.site import Site
from tests.test_feeds_e2e import REPO, crawl, jsonl, runs

N_REPORTS = 48
CONC = 8


def _cmd(url: str, work: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"url={url}",
            "-s", f"GOVREPORTS_OUTPUT_DIR={work / 'out'}", "-s", f"GOVREPORTS_STATE_DIR={work / 'state'}",
            "-s", f"JOBDIR={work / 'job'}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
            "-s", "TELNETCONSOLE_ENABLED=0", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONC}", *extra]


def _kill_after(url: str, work: Path, held: int) -> None:
    """Start the crawl and SIGKILL it once `held` reports are in the state store's merge buffer."""
    log = work / "killed.log"
    proc = subprocess.Popen(_cmd(url, work, "-s", "LOG_LEVEL=DEBUG", "-s", f"LOG_FILE={log}"),
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            if log.exists() and log.read_text("utf-8", "replace").count("held for deduplication") >= held:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the crawl ended before the kill point"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _exported(work: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(record_id, every URL of the record) of each report in every feed the runs wrote."""
    out = []
    for run in runs(work / "out"):
        if run["jsonl"].exists():
            for r in jsonl(run["jsonl"]):
                out.append((r["record_id"], tuple(sorted({r["url"], r["document_url"], *r.get("also_at", [])}))))
    return sorted(out)


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    root = build_crash_site(tmp_path_factory.mktemp("crash_site"))
    with Site(root) as site:
        reference = tmp_path_factory.mktemp("reference")
        crawl(site.url, reference, "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONC}")
        yield site.url, _exported(reference)


def test_reference_crawl_has_every_report(portal):
    _url, expected = portal
    assert len(expected) == N_REPORTS == len({rid for rid, _urls in expected})
    assert sum(1 for _rid, urls in expected if any(u.endswith(".docx") for u in urls)) == N_REPORTS // 4


def test_sigkill_at_three_moments_then_rerun_exports_every_report_exactly_once(portal, tmp_path):
    """Killed after the 1st held report, its rerun killed after 20, that one's rerun after 50 (of
    60 documents), then the same command once more: every report once, DOCX copies merged."""
    url, expected = portal
    for held in (1, 20, 50):
        _kill_after(url, tmp_path, held)
        assert (tmp_path / "job" / "run-in-progress.json").exists()  # the killed run left its marker
    rerun = crawl(url, tmp_path, "-s", f"JOBDIR={tmp_path / 'job'}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONC}")
    assert "did not stop cleanly" in rerun.stderr
    assert "JOBDIR marker: exporting to " in rerun.stderr and "reports-" in rerun.stderr  # the phase is recorded
    assert _exported(tmp_path) == expected
    assert not (tmp_path / "job" / "run-in-progress.json").exists()
    summary = json.loads(runs(tmp_path / "out")[-1]["summary"].read_text("utf-8"))
    assert summary["finish_reason"] == "finished"


def test_a_run_killed_while_writing_its_feeds_makes_the_rerun_refuse(tmp_path):
    url = "http://127.0.0.1:9/"  # refused before any request
    job = tmp_path / "job"
    job.mkdir()
    (job / "run-in-progress.json").write_text(json.dumps(
        {"pid": 1, "started_at": "2026-01-01T00:00:00+00:00", "phase": "exporting",
         "feeds": ["output/reports-2026-01-01T00-00-00+00-00.jsonl"]}), "utf-8")
    proc = subprocess.run(_cmd(url, tmp_path), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2  # crawler/commands/crawl.py: one line, nothing crawled
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("error: JOBDIR ")
    assert "killed while writing its feeds (output/reports-2026-01-01T00-00-00+00-00.jsonl)" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("reports-*.jsonl"))
    assert (job / "run-in-progress.json").exists()  # still refused next time, until accepted


def test_resuming_a_paused_run_without_its_held_reports_is_refused(tmp_path):
    """One SIGTERM pauses the crawl with reports held in the state store; a resume pointed at
    another (empty) store would skip those pages for good (they are in JOBDIR's seen-set)."""
    from tests.fixtures.pipeline_site.site import build_site
    root = build_site(tmp_path / "site")
    log = tmp_path / "paused.log"
    with Site(root) as site:
        proc = subprocess.Popen(_cmd(site.url, tmp_path, "-s", "LOG_LEVEL=DEBUG", "-s", f"LOG_FILE={log}",
                                     "-s", "DOWNLOAD_DELAY=0.5", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"),
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not (
                    log.exists() and "held for deduplication" in log.read_text("utf-8", "replace")):
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 1  # crawler/commands/crawl.py: a paused crawl did not finish
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        marker = json.loads((tmp_path / "job" / "run-in-progress.json").read_text("utf-8"))
        assert marker["phase"] == "paused" and marker["held"] >= 1
        (tmp_path / "state").rename(tmp_path / "state-elsewhere")
        refused = subprocess.run(_cmd(site.url, tmp_path), cwd=REPO, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 2
        (line,) = refused.stderr.strip().splitlines()
        assert f"was paused with {marker['held']} report(s) held" in line and "this run's store holds 0" in line
        (tmp_path / "state").rename(tmp_path / "state-empty")
        (tmp_path / "state-elsewhere").rename(tmp_path / "state")
        resumed = subprocess.run(_cmd(site.url, tmp_path), cwd=REPO, capture_output=True, text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr[-2000:]
    ids = [rid for rid, _urls in _exported(tmp_path)]
    assert len(ids) == len(set(ids)) == 3  # tests/fixtures/pipeline_site: EXPECTED_REPORTS
