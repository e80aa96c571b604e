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


class _Crawler:
    def __init__(self, limit: int):
        from scrapy.settings import Settings
        from scrapy.statscollectors import MemoryStatsCollector
        self.settings = Settings({"GOVREPORTS_MAX_LIST_PAGES": limit})
        self.stats = MemoryStatsCollector(self)


def _walk(mw, first_url: str, next_request, pages: int) -> list[str]:
    """Follow a chain: each fetched page yields the next page's request (as a spider would)."""
    from scrapy import Request
    from scrapy.http import HtmlResponse
    portal = "http://127.0.0.1:1/"
    request = Request(first_url, meta={"portal": portal, "doc_kind": "list", "hops": 2})
    assert mw.keep(request, HtmlResponse("http://127.0.0.1:1/xxgk/", request=Request(
        "http://127.0.0.1:1/xxgk/", meta={"portal": portal, "doc_kind": "nav", "hops": 1})))
    fetched = []
    for n in range(1, pages):
        fetched.append(request.url)
        response = HtmlResponse(request.url, body=b"<html></html>", request=request)
        nxt = next_request(n, request.meta)
        if not mw.keep(nxt, response):
            break
        request = nxt
    else:
        fetched.append(request.url)
    return fetched


def test_an_api_pager_posting_page_numbers_is_capped_like_next_links():
    from scrapy import FormRequest
    from crawler.traps import ListLimitMiddleware
    mw = ListLimitMiddleware(_Crawler(7))

    def post_page(n, meta):  # Hanweb dataproxy.jsp: the same URL, the record range in the POST body
        return FormRequest("http://127.0.0.1:1/module/web/jpage/dataproxy.jsp",
                           formdata={"startrecord": str(n * 15 + 1), "endrecord": str(n * 15 + 15)},
                           meta={"portal": meta["portal"], "doc_kind": "api", "hops": meta["hops"]})
    fetched = _walk(mw, "http://127.0.0.1:1/col/col123/index.html", post_page, 1000)
    assert len(fetched) == 7
    assert mw.stats.get_value("govreports/portal/http://127.0.0.1:1//trap/list_pages") == 1


def test_a_session_id_that_changes_on_every_page_does_not_make_pages_new():
    from scrapy import Request
    from crawler.traps import ListLimitMiddleware
    mw = ListLimitMiddleware(_Crawler(300))

    def same_page_new_session(n, meta):  # the pager links the page itself under a fresh jsessionid
        return Request(f"http://127.0.0.1:1/list.jsp;jsessionid={n:032X}?page=2",
                       meta={"portal": meta["portal"], "doc_kind": "list", "hops": meta["hops"]})
    fetched = _walk(mw, "http://127.0.0.1:1/list.jsp?page=1", same_page_new_session, 1000)
    assert len(fetched) == 2  # page 1, then page 2 once; its session-id twins are dropped
    assert mw.stats.get_value("govreports/portal/http://127.0.0.1:1//trap/session_id") == 1


def test_a_portal_over_its_request_budget_names_the_url_shape_that_ate_it(tmp_path):
    with FaultServer() as srv:  # the endless list, with a list limit above the portal's budget
        crawl(srv.url, tmp_path, "-s", "GOVREPORTS_MAX_LIST_PAGES=1000", "-s", "GOVREPORTS_MAX_REQUESTS_PER_PORTAL=40")
    (run,) = runs(tmp_path / "out")
    (portal,) = json.loads(run["summary"].read_text("utf-8"))["portals"].values()
    host = srv.url.split("//")[1].rstrip("/")
    (pattern,) = portal["trap_patterns"]
    assert pattern.startswith(f"{host}/ndbg/list_#.html (") and "request budget ran out" in pattern
    assert len(srv.log) <= 41  # robots.txt + the 40 requests of the budget


def test_a_calendar_and_an_ever_growing_path_are_cut():
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from crawler.traps import ListLimitMiddleware
    mw = ListLimitMiddleware(_Crawler(5))
    portal = "http://127.0.0.1:1/"
    page = HtmlResponse("http://127.0.0.1:1/xxgk/", request=Request(
        "http://127.0.0.1:1/xxgk/", meta={"portal": portal, "doc_kind": "nav", "hops": 1}))
    days = [Request(f"http://127.0.0.1:1/rili.jsp?date=2024-01-{d:02d}", meta={"portal": portal, "doc_kind": "nav", "hops": 2})
            for d in range(1, 31)]
    assert [mw.keep(r, page) for r in days] == [True] * 5 + [False] * 25  # one calendar, 5 pages
    deep = Request("http://127.0.0.1:1/xxgk/ndbg/xxgk/ndbg/xxgk/ndbg/index.html",
                   meta={"portal": portal, "doc_kind": "nav", "hops": 2})
    assert not mw.keep(deep, page)
    report = Request("http://127.0.0.1:1/art/2024/01/05/art_1_2.html", meta={"portal": portal, "doc_kind": "detail", "hops": 2})
    assert mw.keep(report, page)  # a report page under a dated path is no calendar
    stats = mw.stats.get_stats()
    assert stats[f"govreports/portal/{portal}/trap/calendar"] == 25
    assert stats[f"govreports/portal/{portal}/trap/growing_path"] == 1
    assert stats[f"govreports/portal/{portal}/trap_patterns"] == [
        "127.0.0.1:1/rili.jsp?date=#-#-#", "127.0.0.1:1/xxgk/ndbg/xxgk/ndbg/xxgk/ndbg/index.html"]
