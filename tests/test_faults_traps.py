"""Bounded crawling against a real endless list on 127.0.0.1 (tests/faults_farm.py), and the URL
trap rules of crawler/traps.py."""
from __future__ import annotations

import json

from crawler.traps import growing_path, is_calendar, url_shape, without_session
from tests.faults_farm import FaultServer
from tests.test_feeds_e2e import crawl, jsonl, runs

LIMIT = 12


def test_an_endless_next_link_list_stops_at_the_page_limit_and_is_named(tmp_path):
    with FaultServer() as srv:
        crawl(srv.url, tmp_path, "-s", f"GOVREPORTS_MAX_LIST_PAGES={LIMIT}")
    lists = srv.hits("/ndbg/list_")
    assert sorted(lists) == sorted(f"/ndbg/list_{n}.html" for n in range(LIMIT))  # each page once, no more
    (run,) = runs(tmp_path / "out")
    reports = jsonl(run["jsonl"])
    assert len(reports) == LIMIT  # the reports of the pages walked are all there
    summary = json.loads(run["summary"].read_text("utf-8"))
    (portal,) = summary["portals"].values()
    host = srv.url.split("//")[1].rstrip("/")
    assert portal["trap_patterns"] == [f"{host}/ndbg/list_#.html"]
    assert f"crawl trap cut short: {host}/ndbg/list_#.html" in portal["alerts"]


def test_url_shapes_group_pages_of_one_list():
    assert url_shape("http://a.gov.cn/col/col12/index_3.html?page=7&x=ab") == "a.gov.cn/col/col#/index_#.html?page=#&x=ab"
    assert url_shape("http://a/list?pageNo=2") == url_shape("http://a/list?pageNo=300")


def test_session_ids_calendars_and_growing_paths_are_recognised():
    assert without_session("http://a/x.jsp;jsessionid=0A1B2C3D4E5F60718293?page=2") == "http://a/x.jsp?page=2"
    assert without_session("http://a/x?sid=0123456789abcdef0123&p=1") == "http://a/x?p=1"
    assert without_session("http://a/api/all/5?page=2&sid=755001") is None  # a short numeric site id is no session
    assert growing_path("http://a/xxgk/a/b/a/b/a/b/index.html")
    assert not growing_path("http://a/xxgk/ndbg/2023/2023/index.html")
    assert is_calendar("http://a/cal.jsp?date=2024-01-05") and is_calendar("http://a/rili/2024/01/05/")
    assert not is_calendar("http://a/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15")
    assert not is_calendar("http://a/xxgk/ndbg/index.html?year=2023")
