"""The incremental skip middleware and the state store (no network)."""
from datetime import datetime, timedelta, timezone

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import IncrementalSkipMiddleware
from crawler.state import SqliteStateStore, release_store, store_for


def make(tmp_path, **settings):
    crawler = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path), **settings})
    return crawler, IncrementalSkipMiddleware.from_crawler(crawler)


def req(url, kind):
    return Request(url, meta={"doc_kind": kind, "portal": "http://c.gov.cn/"})


@pytest.fixture
def known(tmp_path):
    store = SqliteStateStore(str(tmp_path / "state.sqlite3"))
    now = datetime.now(tz=timezone.utc)
    store.put("url", "http://c.gov.cn/a.html", {"kind": "report", "record_id": "r1", "seen_at": now.isoformat()})
    store.put("url", "http://c.gov.cn/old.pdf", {"kind": "report", "record_id": "r1",
                                                 "seen_at": (now - timedelta(days=40)).isoformat()})
    from crawler.parsing.spec import PARSER_VERSION
    store.put("url", "http://c.gov.cn/jd.html", {"kind": "rejected", "record_id": None, "seen_at": now.isoformat(),
                                                 "parser_version": PARSER_VERSION})
    store.put("url", "http://c.gov.cn/jd-old.html", {"kind": "rejected", "record_id": None,
                                                     "seen_at": now.isoformat(), "parser_version": "0.0.1"})
    store.commit()
    store.close()
    return tmp_path


def test_known_documents_are_skipped_and_counted(known):
    crawler, mw = make(known)
    for url, kind in (("http://c.gov.cn/a.html", "detail"), ("http://c.gov.cn/old.pdf", "attachment"),
                      ("http://c.gov.cn/jd.html", "detail")):
        with pytest.raises(IgnoreRequest):
            mw.process_request(req(url, kind))
    assert crawler.stats.get_value("govreports/incremental/skipped") == 3
    assert crawler.stats.get_value("govreports/portal/http://c.gov.cn//skipped_known_reports") == 2
    release_store(crawler)


def test_lists_navigation_and_new_documents_are_always_fetched(known):
    crawler, mw = make(known)
    for kind in ("nav", "list", "api", None):
        assert mw.process_request(req("http://c.gov.cn/a.html", kind)) is None
    assert mw.process_request(req("http://c.gov.cn/new.html", "detail")) is None
    release_store(crawler)


def test_pages_rejected_by_an_older_parser_are_judged_again(known):
    crawler, mw = make(known)
    assert mw.process_request(req("http://c.gov.cn/jd-old.html", "detail")) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(req("http://c.gov.cn/jd.html", "detail"))
    release_store(crawler)


def test_full_export_skips_nothing(known):
    crawler, mw = make(known, GOVREPORTS_FULL_EXPORT=True)
    assert mw.process_request(req("http://c.gov.cn/a.html", "detail")) is None
    release_store(crawler)


def test_recheck_days_refetches_old_documents_only(known):
    crawler, mw = make(known, GOVREPORTS_RECHECK_DAYS="30")
    assert mw.process_request(req("http://c.gov.cn/old.pdf", "attachment")) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(req("http://c.gov.cn/a.html", "detail"))
    release_store(crawler)


def test_incremental_can_be_switched_off(tmp_path):
    with pytest.raises(NotConfigured):
        make(tmp_path, GOVREPORTS_INCREMENTAL=False)


def test_redirect_sources_are_remembered(tmp_path):
    crawler, mw = make(tmp_path)
    request = Request("http://c.gov.cn/attach/0/abc.pdf",
                      meta={"doc_kind": "attachment", "redirect_urls": ["http://c.gov.cn/module/download/downfile.jsp?filename=abc.pdf"]})
    response = HtmlResponse(request.url, body=b"%PDF-1.4", request=request)
    assert mw.process_response(request, response) is response
    assert store_for(crawler).get("alias", request.url) == [
        "http://c.gov.cn/module/download/downfile.jsp?filename=abc.pdf"]
    release_store(crawler)


def test_store_commit_and_rollback(tmp_path):
    path = str(tmp_path / "s.sqlite3")
    store = SqliteStateStore(path)
    store.put("exported", "r1", {"urls": ["a"], "n": 1})
    store.commit()
    store.put("exported", "r2", {"urls": []})
    store.delete("exported", "r1")
    store.rollback()
    assert dict(store.items("exported")) == {"r1": {"urls": ["a"], "n": 1}}
    store.put("buffer", "x", 1)
    store.close()  # close commits
    again = SqliteStateStore(path)
    assert again.get("buffer", "x") == 1 and again.count("exported") == 1
    again.clear("buffer")
    assert again.count("buffer") == 0 and again.get("buffer", "x") is None
    again.close()


def test_one_store_per_crawler(tmp_path):
    crawler = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path)})
    assert store_for(crawler) is store_for(crawler)
    release_store(crawler)
    assert (tmp_path / "state.sqlite3").exists()


def test_full_export_from_spider_argument(tmp_path):
    from scrapy import Spider

    from crawler.state import full_export_requested
    crawler = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path)})
    crawler.spider = Spider("reports", full="1")  # what `-a full=1` does
    assert full_export_requested(crawler)
    crawler.spider = Spider("reports")
    assert not full_export_requested(crawler)


def test_a_state_dir_serves_one_crawl_at_a_time(tmp_path):
    first = SqliteStateStore(str(tmp_path / "state.sqlite3"))
    with pytest.raises(RuntimeError, match="another crawl"):
        SqliteStateStore(str(tmp_path / "state.sqlite3"))
    first.close()
    SqliteStateStore(str(tmp_path / "state.sqlite3")).close()


def test_state_cli_stats_and_forget(tmp_path, capsys):
    from crawler.state import main
    store = SqliteStateStore(str(tmp_path / "state.sqlite3"))
    store.put("url", "http://c.gov.cn/a.html", {"kind": "report", "record_id": "r1", "seen_at": "x"})
    store.put("exported", "r1", {"urls": ["http://c.gov.cn/a.html"]})
    store.close()
    assert main(["--dir", str(tmp_path), "stats"]) == 0
    out = capsys.readouterr().out
    assert "exported  1" in out and "url       1" in out
    assert main(["--dir", str(tmp_path), "forget", "http://c.gov.cn/a.html", "http://c.gov.cn/b.html"]) == 0
    assert capsys.readouterr().out.split("\n")[:2] == ["forgot http://c.gov.cn/a.html", "unknown http://c.gov.cn/b.html"]
    store = SqliteStateStore(str(tmp_path / "state.sqlite3"))
    assert store.get("url", "http://c.gov.cn/a.html") is None and store.count("exported") == 1
    store.close()


def test_state_cli_pending_lists_held_and_deferred_reports(tmp_path, capsys):
    from crawler.state import main
    store = SqliteStateStore(str(tmp_path / "state.sqlite3"))
    store.put("buffer", "r1", {"record": {"status": "complete", "organ": "得石镇", "report_year": 2023,
                                          "document_url": "http://c.gov.cn/a.html"}, "urls": []})
    store.put("deferred", "http://c.gov.cn/P1.pdf", {"record": {"status": "partial", "report_year": None},
                                                     "urls": ["http://c.gov.cn/P1.pdf"]})
    store.close()
    assert main(["--dir", str(tmp_path), "pending"]) == 0
    assert capsys.readouterr().out.splitlines() == ["r1 complete 得石镇 2023 http://c.gov.cn/a.html",
                                                    "- partial None None http://c.gov.cn/P1.pdf"]
