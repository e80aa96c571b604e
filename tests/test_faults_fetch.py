"""Every fetched candidate ends as a record, and the crawler is polite under pressure: one crawl
of a misbehaving portal on 127.0.0.1 (tests/faults_farm.py).

- a redirect loop behind a report link → reject `redirect_loop` (was: nothing at all);
- a 0-byte attachment → `empty_document` (was: `blocked`, a false "page blocked" alert);
- a report link to a port that refuses connections → `unreachable` (not `http_error`);
- a 429 with Retry-After: 2 → the host's whole download slot waits 2 s, then the report is read;
- an attachment that trickles forever → `download_timeout` after the attachment's download-time
  cap, requested once (a timeout that took the whole time is not retried).
"""
from __future__ import annotations

import socket

import pytest

from crawler.politeness import retry_after_seconds
from crawler.spiders.base import fetch_error_code
from tests.faults_farm import FETCH_FAULTS, FaultServer
from tests.test_feeds_e2e import crawl, jsonl, runs

RETRY_AFTER = 2


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    refused = f"http://127.0.0.1:{_closed_port()}/ndbg/r1.html"
    with FaultServer(faults=FETCH_FAULTS, retry_after=str(RETRY_AFTER), endless=False,
                     extra_links=((refused, "拒绝区2023年政府信息公开工作年度报告"),)) as srv:
        crawl(srv.url, work, "-s", "GOVREPORTS_ATTACHMENT_DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=2")
    (run,) = runs(work / "out")
    rejects = {r["document_url"]: r for r in jsonl(run["rejects"])}
    reports = jsonl(run["jsonl"])
    return {"server": srv, "rejects": rejects, "reports": reports, "refused": refused}


def _codes(rec: dict) -> list[str]:
    return [p["code"] for p in rec["problems"]]


def test_a_redirect_loop_on_a_report_link_is_a_reject(faulty_crawl):
    url = faulty_crawl["server"].url + "loop/a.html"
    assert _codes(faulty_crawl["rejects"][url]) == ["redirect_loop"]
    assert "loop/b.html" in faulty_crawl["rejects"][url]["problems"][0]["detail"]


def test_an_empty_attachment_is_empty_document_not_blocked(faulty_crawl):
    url = faulty_crawl["server"].url + "files/empty.pdf"
    assert _codes(faulty_crawl["rejects"][url]) == ["empty_document"]


def test_a_refused_connection_is_unreachable(faulty_crawl):
    assert _codes(faulty_crawl["rejects"][faulty_crawl["refused"]]) == ["unreachable"]


def test_retry_after_pauses_the_host_then_the_report_is_read(faulty_crawl):
    srv = faulty_crawl["server"]
    busy = [t for t, p in srv.log if p == "/ndbg/busy.html"]
    assert len(busy) == 2  # the 429, then the retry that got the report
    assert busy[1] - busy[0] >= RETRY_AFTER
    # no request of the host started while it asked us to wait (0.2 s for requests already on the wire)
    told = srv.told_to_wait_at
    assert [p for t, p in srv.log if told + 0.2 < t < told + RETRY_AFTER - 0.05] == []
    assert any("繁忙区" in (r["title"] or "") or "繁忙区" in (r["link_text"] or "") for r in faulty_crawl["reports"]) \
        or any(r["url"].endswith("/ndbg/busy.html") for r in faulty_crawl["reports"])


def test_a_trickling_attachment_times_out_once(faulty_crawl):
    srv = faulty_crawl["server"]
    url = srv.url + "files/slow.pdf"
    assert _codes(faulty_crawl["rejects"][url]) == ["download_timeout"]
    assert srv.hits("/files/slow.pdf") == ["/files/slow.pdf"]  # not retried


def test_retry_after_values():
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 30) == 30.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_fetch_error_codes():
    from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
    assert fetch_error_code(IgnoreRequest("max redirections reached"), "detail") == "redirect_loop"
    assert fetch_error_code(IgnoreRequest("already have http://x (report)"), "detail") is None
    big = DownloadCancelledError("Expected to receive 209715200 bytes which is larger than download max size (67108864)")
    assert fetch_error_code(big, "attachment") == "file_too_large"


def test_a_report_whose_attachment_failed_names_it(faulty_crawl):
    srv = faulty_crawl["server"]
    by_page = {r["url"]: r for r in faulty_crawl["reports"]}
    for page, attachment, code in (("ndbg/gone.html", "files/gone.pdf", "http_error"),
                                   ("ndbg/empty.html", "files/empty.pdf", "empty_document"),
                                   ("ndbg/slow.html", "files/slow.pdf", "download_timeout")):
        notes = [p for p in by_page[srv.url + page]["problems"] if p["code"] == "attachment_failed"]
        assert len(notes) == 1 and notes[0]["detail"].startswith(f"{srv.url}{attachment}: {code}")


@pytest.mark.parametrize("failure_first", [False, True])
def test_attachment_failed_reaches_its_report_whatever_the_order(tmp_path, failure_first):
    from scrapy.utils.test import get_crawler
    from crawler.state import release_store
    from tests.test_pipelines import report, run_pipeline
    crawler = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path / "state"), "FEEDS": {}})
    page = report("http://c.gov.cn/ndbg/t1.html", status="partial", cells=0)
    broken = report("http://c.gov.cn/ndbg/P1.pdf", status="failed", url="http://c.gov.cn/ndbg/t1.html",
                    problems=[{"code": "http_error", "severity": "error", "detail": "HTTP 404"}])
    try:
        _, exported = run_pipeline(crawler, [broken, page] if failure_first else [page, broken])
    finally:
        release_store(crawler)
    (rec,) = exported
    notes = [p for p in rec["problems"] if p["code"] == "attachment_failed"]
    assert notes == [{"code": "attachment_failed", "severity": "warning",
                      "detail": "http://c.gov.cn/ndbg/P1.pdf: http_error HTTP 404"}]
