"""Parse and dedup pipelines on hand-built documents and records (no network)."""
import asyncio
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler.items import DocumentItem
from crawler.pipelines import DedupPipeline, HeldForMerge, ParsePipeline, merge, record_from_item
from crawler.state import release_store, store_for

SEED = next((Path(__file__).parent / "fixtures" / "seeds").glob("004_*.txt")).read_bytes()


def item(**kw):
    base = dict(url="http://c.gov.cn/ndbg/t1.html", document_url="http://c.gov.cn/ndbg/t1.html",
                portal="http://c.gov.cn/", found_on="http://c.gov.cn/ndbg/", link_text="报告", body=SEED,
                content_type="text/plain; charset=utf-8", http_status=200, fetched_at="2024-02-01T00:00:00+00:00",
                fetch_problem=None, portal_meta={"name": "米易县", "region_code": "510421"})
    base.update(kw)
    return DocumentItem(**base)


def test_parse_fills_record_from_item():
    from crawler.parsing import parse_document
    rec = record_from_item(item(), parse_document)
    assert rec["status"] == "complete" and rec["organ"] == "攀枝花市米易县得石镇人民政府"
    assert rec["url"] == rec["document_url"] == "http://c.gov.cn/ndbg/t1.html"
    assert rec["portal"] == "http://c.gov.cn/" and rec["found_on"] == "http://c.gov.cn/ndbg/"
    assert rec["fetched_at"] == "2024-02-01T00:00:00+00:00"
    assert rec["portal_name"] == "米易县" and rec["portal_region_code"] == "510421"
    assert rec["record_id"] is None  # assigned once, by DedupPipeline (crawler/dedup)


def test_fetch_problem_becomes_failed_without_parsing():
    def boom(*a, **k):
        raise AssertionError("must not parse")
    rec = record_from_item(item(body=b"", fetch_problem={"code": "soft_404", "detail": "页面不存在"}), boom)
    assert rec["status"] == "failed"
    assert rec["problems"] == [{"code": "soft_404", "severity": "error", "detail": "页面不存在"}]
    for key in ("title", "table2", "table3", "table4", "sections", "report_year"):
        assert rec[key] is None


def test_parser_crash_becomes_failed_record():
    def crash(*a, **k):
        raise ValueError("bad bytes")
    rec = record_from_item(item(), crash)
    assert rec["status"] == "failed" and rec["problems"][0]["code"] == "parser_error"
    assert "bad bytes" in rec["problems"][0]["detail"]


@pytest.fixture
def crawler(tmp_path):
    c = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path / "state"), "FEEDS": {}})
    yield c
    release_store(c)


def report(doc_url, status="complete", cells=3, **kw):
    rows = {"new_received": {"total": cells}} if cells else {}
    r = {"status": status, "url": doc_url, "document_url": doc_url, "portal": "http://c.gov.cn/", "title": None,
         "organ": "米易县得石镇人民政府", "report_year": 2023, "index_no": None, "publisher": None,
         "content_sha1": doc_url, "table2": {"rows": rows} if cells else None, "table3": {"rows": rows},
         "table4": None, "written_date": None, "published_date": None, "organ_level": "township",
         "record_id": None, "checks": [], "problems": []}
    r.update(kw)
    return r


def run_pipeline(crawler, records):
    pipe = DedupPipeline.from_crawler(crawler)
    pipe.open_spider()
    passed = []
    for r in records:
        try:
            passed.append(pipe.process_item(r))
        except HeldForMerge:
            pass
    exported = []
    crawler.signals.connect(lambda item, **kw: exported.append(item), signal=signals.item_scraped, weak=False)
    asyncio.run(pipe.close_spider())
    pipe.commit_after_feeds()
    return passed, exported


def test_copies_become_one_record_with_the_best_parsed_kept(crawler):
    html_partial = report("http://c.gov.cn/ndbg/t1.html", status="partial", cells=0,
                          index_no="11341602003166276W/202401-00035", publisher="得石镇", published_date="2024-01-16")
    wap = report("http://c.gov.cn/ndbg/t1_wap.html", status="partial", cells=0)
    pdf = report("http://c.gov.cn/ndbg/P0201.pdf", url="http://c.gov.cn/ndbg/t1.html")
    county_copy = report("http://county.gov.cn/xxgk/9.html", status="inconsistent", publisher="米易县人民政府")
    decoy = report("http://c.gov.cn/jd.html", status="not_a_report")
    passed, exported = run_pipeline(crawler, [html_partial, wap, decoy, pdf, county_copy])
    assert [r["status"] for r in passed] == ["not_a_report"]  # rejects go straight to their feed
    assert len(exported) == 1
    rec = exported[0]
    assert rec["document_url"] == "http://c.gov.cn/ndbg/P0201.pdf" and rec["status"] == "complete"
    assert set(rec["also_at"]) == {"http://c.gov.cn/ndbg/t1_wap.html", "http://county.gov.cn/xxgk/9.html"}
    # metadata only the HTML page printed is kept on the merged record
    assert rec["index_no"] == "11341602003166276W/202401-00035" and rec["published_date"] == "2024-01-16"
    assert rec["change"] == "new"
    assert crawler.stats.get_value("govreports/duplicates_merged") == 3
    assert crawler.stats.get_value("govreports/rejects") == 1


def test_second_run_exports_nothing_and_a_changed_report_again(crawler, tmp_path):
    first = report("http://c.gov.cn/a.html")
    _, exported = run_pipeline(crawler, [first])
    rid = exported[0]["record_id"]
    store = store_for(crawler)
    assert store.get("url", "http://c.gov.cn/a.html")["kind"] == "report"
    assert store.count("buffer") == 0

    again = report("http://c.gov.cn/a-copy.html")  # same data, other URL (a new column)
    _, exported = run_pipeline(crawler, [again])
    assert exported == []
    assert store.get("url", "http://c.gov.cn/a-copy.html")["record_id"] == rid

    corrected = report("http://c.gov.cn/a-corrected.html", cells=4)
    _, exported = run_pipeline(crawler, [corrected])
    assert [(r["record_id"], r["change"]) for r in exported] == [(rid, "edited")]  # other content, same report
    assert [c["field"] for c in exported[0]["changed_fields"]] != []

    worse = report("http://c.gov.cn/a-scan.pdf", status="partial", cells=0)
    _, exported = run_pipeline(crawler, [worse])
    assert exported == []


def test_a_page_whose_attachment_failed_is_fetched_again_next_run(crawler):
    page = report("http://c.gov.cn/ndbg/t1.html")
    broken = report("http://c.gov.cn/ndbg/P1.pdf", status="failed", url="http://c.gov.cn/ndbg/t1.html")
    decoy = report("http://c.gov.cn/jd.html", status="not_a_report")
    _, exported = run_pipeline(crawler, [page, broken, decoy])
    store = store_for(crawler)
    assert len(exported) == 1 and store.count("exported") == 1
    assert store.get("url", "http://c.gov.cn/ndbg/t1.html") is None  # so the PDF is tried again
    assert store.get("url", "http://c.gov.cn/ndbg/P1.pdf") is None
    assert store.get("url", "http://c.gov.cn/jd.html")["kind"] == "rejected"


def test_full_export_option_exports_known_reports(tmp_path):
    c = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path / "s"), "FEEDS": {}})
    run_pipeline(c, [report("http://c.gov.cn/a.html")])
    release_store(c)
    c2 = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path / "s"), "FEEDS": {},
                                    "GOVREPORTS_FULL_EXPORT": True})
    _, exported = run_pipeline(c2, [report("http://c.gov.cn/a.html")])
    assert [r["change"] for r in exported] == ["full"]
    release_store(c2)


def test_failed_feed_keeps_reports_pending(crawler):
    pipe = DedupPipeline.from_crawler(crawler)
    pipe.open_spider()
    with pytest.raises(HeldForMerge):
        pipe.process_item(report("http://c.gov.cn/a.html"))
    asyncio.run(pipe.close_spider())
    crawler.stats.set_value("feedexport/failed_count/FileFeedStorage", 1)
    pipe.commit_after_feeds()
    store = store_for(crawler)
    assert store.count("buffer") == 1 and store.count("exported") == 0


def test_merge_prefers_better_status_and_unions_urls():
    entry = {"record": report("http://a/1.html", status="partial", cells=0, record_id="rX"), "urls": ["http://a/1.html"]}
    assert merge(entry, report("http://a/2.pdf")) is True
    assert entry["record"]["document_url"] == "http://a/2.pdf" and entry["record"]["record_id"] == "rX"
    assert entry["urls"] == ["http://a/1.html", "http://a/2.pdf"]
    assert merge(entry, report("http://a/3.html", status="partial", cells=0)) is False


def test_parse_pipeline_passes_non_documents_through(crawler):
    pipe = ParsePipeline.from_crawler(crawler)
    assert asyncio.run(pipe.process_item({"status": "complete"})) == {"status": "complete"}
    rec = asyncio.run(pipe.process_item(item()))
    assert rec["status"] == "complete"
    assert crawler.stats.get_value("govreports/portal/http://c.gov.cn//records/complete") == 1
    pipe.close_spider()


def test_the_link_text_reaches_the_parser_in_its_worker_process(crawler):
    """A report page that prints no title of its own takes the text of the link the spider followed
    (through the resource-limited parse worker, crawler/sandbox.py)."""
    printed = "攀枝花市米易县得石镇 2023 年政府信息公开工作年度报告"
    untitled = SEED.decode("utf-8").replace(printed, "").encode("utf-8")
    link = "攀枝花市米易县得石镇2023年政府信息公开工作年度报告"
    pipe = ParsePipeline.from_crawler(crawler)
    try:
        rec = asyncio.run(pipe.process_item(item(body=untitled, link_text=link)))
        assert rec["title"] == link and rec["organ"] == "攀枝花市米易县得石镇人民政府"
        assert asyncio.run(pipe.process_item(item(body=untitled, link_text="查看详情")))["title"] is None
    finally:
        pipe.close_spider()
