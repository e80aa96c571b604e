"""Bounded memory: documents are parsed in a resource-limited worker process (crawler/sandbox.py)
and an attachment's size cap is applied to the download itself.

- a zip-bomb DOCX (95 MB of XML in 1.5 MB, its compressed size padded past the ratio check of
  formats/_guard.py) makes the worker hit its address-space limit → `resource_limit`, and the
  next document is parsed by a fresh worker;
- a worker stuck past the time limit (SIGSTOPped: what a converter stuck in C looks like) is
  killed → `time_limit`;
- in a real crawl on 127.0.0.1, the bomb attachment ends as a `resource_limit` reject and a
  200 MB PDF is cut off by the download cap (`file_too_large`) instead of being downloaded whole.
"""
from __future__ import annotations

import os
import signal
import threading

import pytest

from crawler.sandbox import Limits, Worker
from tests.crash_site import report_text
from tests.faults_farm import MEMORY_FAULTS, FaultServer
from tests.hostile_docs import zip_bomb_docx
from tests.test_feeds_e2e import crawl, jsonl, runs

MB = 1024 * 1024


def _page(i: int) -> bytes:
    import html
    return ("<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in report_text(i).splitlines())
            + "</body></html>").encode("utf-8")


def test_a_zip_bomb_hits_the_worker_limit_and_the_next_document_is_parsed():
    worker = Worker(Limits(memory_bytes=256 * MB, time_limit=60))
    try:
        outcome, detail = worker.parse(zip_bomb_docx(), "http://127.0.0.1/bomb.docx", None)
        assert outcome == "resource_limit", detail
        outcome, record = worker.parse(_page(3), "http://127.0.0.1/t3.html", "text/html")
        assert outcome == "ok" and record["organ"] == "甲丁区人民政府办公室" and record["report_year"] == 2023
    finally:
        worker.stop()


def test_a_stuck_worker_is_killed_at_the_time_limit():
    worker = Worker(Limits(memory_bytes=256 * MB, time_limit=1, grace=1))
    try:
        assert worker.parse(_page(1), "http://127.0.0.1/t1.html", "text/html")[0] == "ok"
        pid = worker.proc.pid
        timer = threading.Timer(0.1, os.kill, (pid, signal.SIGSTOP))  # frozen mid-document
        timer.start()
        outcome, detail = worker.parse(_page(2) * 200, "http://127.0.0.1/t2.html", "text/html")
        timer.join()
        assert outcome == "time_limit", detail
        assert worker.proc is None  # killed; the next document gets a fresh worker
        assert worker.parse(_page(4), "http://127.0.0.1/t4.html", "text/html")[0] == "ok"
    finally:
        worker.stop()


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    work = tmp_path_factory.mktemp("memory")
    with FaultServer(faults=MEMORY_FAULTS, endless=False) as srv:
        crawl(srv.url, work, "-s", "GOVREPORTS_PARSE_MEMORY_MB=256")
    (run,) = runs(work / "out")
    return {"server": srv, "rejects": {r["document_url"]: r for r in jsonl(run["rejects"])},
            "reports": jsonl(run["jsonl"])}


def test_a_bomb_attachment_is_a_resource_limit_reject(hostile_crawl):
    rec = hostile_crawl["rejects"][hostile_crawl["server"].url + "files/bomb.docx"]
    assert [p["code"] for p in rec["problems"]] == ["resource_limit"]
    assert len(hostile_crawl["reports"]) == 2  # both report pages themselves are read


def test_a_200mb_attachment_is_cut_by_the_download_cap(hostile_crawl):
    srv = hostile_crawl["server"]
    rec = hostile_crawl["rejects"][srv.url + "files/huge.pdf"]
    assert [p["code"] for p in rec["problems"]] == ["file_too_large"]
    assert "67108864" in rec["problems"][0]["detail"]  # GOVREPORTS_ATTACHMENT_MAX_BYTES, the download's cap
    assert srv.hits("/files/huge.pdf") == ["/files/huge.pdf"]
