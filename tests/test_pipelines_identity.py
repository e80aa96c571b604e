"""The conflict rule through the real DedupPipeline (crawler/dedup): a shared key only proposes a
merge; reports whose 索引号, issuer, year or portal county differ stay separate rows."""
import pytest
from scrapy.utils.test import get_crawler

from crawler.state import release_store, store_for
from tests.test_pipelines import report, run_pipeline

TEMPLATE = "sha1-of-a-template-body"  # identical text: all-zero tables, boilerplate paragraphs


@pytest.fixture
def crawler(tmp_path):
    c = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(tmp_path / "state"), "FEEDS": {}})
    yield c
    release_store(c)


def township(name: str, idx: str | None, url: str, **kw) -> dict:
    return report(url, organ=f"米易县{name}人民政府", index_no=idx, publisher=name, content_sha1=TEMPLATE,
                  title=f"米易县{name}2023年政府信息公开工作年度报告", **kw)


def by_organ(records: list[dict]) -> dict:
    return {r["organ"]: r for r in records}


def test_template_reports_of_two_townships_stay_two_rows(crawler):
    a = township("甲镇", "11510421MB1534267X/2024-00011", "http://c.gov.cn/ndbg/t1.html")
    b = township("乙镇", "11510421MB1827395Y/2024-00012", "http://c.gov.cn/ndbg/t2.html")
    c = township("丙镇", None, "http://c.gov.cn/ndbg/t3.html")
    _, exported = run_pipeline(crawler, [a, b, c])
    assert sorted(r["organ"] for r in exported) == ["米易县丙镇人民政府", "米易县乙镇人民政府", "米易县甲镇人民政府"]
    assert len({r["record_id"] for r in exported}) == 3 and all(r["also_at"] == [] for r in exported)
    rows = by_organ(exported)
    assert rows["米易县甲镇人民政府"]["problems"] == [] and rows["米易县丙镇人民政府"]["problems"] == []
    (note,) = rows["米易县乙镇人民政府"]["problems"]
    assert note["code"] == "kept_apart" and note["severity"] == "warning"
    assert rows["米易县甲镇人民政府"]["record_id"] in note["detail"] and "索引号 differs" in note["detail"]
    # from then on the template body proposes no merge at all (丙镇 is not even compared)
    assert crawler.stats.get_value("govreports/dedup/kept_apart") == 1
    assert crawler.stats.get_value("govreports/duplicates_merged") is None


def test_template_of_a_later_run_is_judged_against_exported_reports(crawler):
    _, first = run_pipeline(crawler, [township("甲镇", None, "http://c.gov.cn/ndbg/t1.html")])
    _, second = run_pipeline(crawler, [township("乙镇", None, "http://c.gov.cn/ndbg/t2.html")])
    assert [r["change"] for r in second] == ["new"]
    assert second[0]["record_id"] != first[0]["record_id"]


def test_identical_bodies_on_two_portals_stay_two_rows(crawler):
    # organ not resolved, generic 发布机构: nothing says these are one unit's report
    a = report("http://www.county-a.gov.cn/ndbg/1.html", portal="http://www.county-a.gov.cn/", organ=None,
               publisher="政府办公室", content_sha1=TEMPLATE)
    b = report("http://www.county-b.gov.cn/ndbg/1.html", portal="http://www.county-b.gov.cn/", organ=None,
               publisher=None, content_sha1=TEMPLATE)
    _, exported = run_pipeline(crawler, [a, b])
    assert sorted(r["portal"] for r in exported) == ["http://www.county-a.gov.cn/", "http://www.county-b.gov.cn/"]
    # same issuer named on both, but the portals file puts them in two counties
    c = report("http://www.x.gov.cn/1.html", portal="http://www.x.gov.cn/", organ="城关镇", content_sha1="t2",
               portal_region_code="510421")
    d = report("http://www.y.gov.cn/1.html", portal="http://www.y.gov.cn/", organ="城关镇", content_sha1="t2",
               portal_region_code="510422")
    _, exported = run_pipeline(crawler, [c, d])
    assert len(exported) == 2


def test_county_copy_of_a_town_report_still_merges(crawler):
    town = report("http://deshi.miyi.gov.cn/ndbg/t1.html", portal="http://deshi.miyi.gov.cn/",
                  organ="攀枝花市米易县得石镇人民政府", index_no="11510421MB1534267X/2024-00011",
                  content_sha1="deshi-2023", portal_region_code="510421101")
    county = report("http://www.other-host.cn/xxgk/ndbg/9.html", portal="http://www.other-host.cn/",
                    organ="得石镇", publisher="米易县人民政府", content_sha1="deshi-2023", status="inconsistent",
                    portal_region_code="510421")
    _, exported = run_pipeline(crawler, [county, town])
    (row,) = exported
    assert row["document_url"] == "http://deshi.miyi.gov.cn/ndbg/t1.html"
    assert row["also_at"] == ["http://www.other-host.cn/xxgk/ndbg/9.html"]
    assert crawler.stats.get_value("govreports/dedup/kept_apart") is None


def test_html_page_with_its_pdf_and_wap_twin_merge(crawler):
    page = report("http://c.gov.cn/ndbg/t1.html", status="partial", cells=0, content_sha1="html-text",
                  index_no="11510421MB1534267X/2024-00011")
    # the attachment printed no organ, year or 索引号: missing is not conflicting, and it was
    # linked from the page (its record's url)
    pdf = report("http://c.gov.cn/ndbg/P020240116.pdf", url="http://c.gov.cn/ndbg/t1.html", organ=None,
                 report_year=None, content_sha1="pdf-text")
    wap = report("http://c.gov.cn/ndbg/t1_wap.html", status="partial", cells=0, organ=None, report_year=None,
                 content_sha1="wap-text")
    other_town = report("http://c.gov.cn/ndbg/t9.html", organ="米易县丙镇人民政府", content_sha1="x")
    _, exported = run_pipeline(crawler, [pdf, page, wap, other_town])
    rows = by_organ(exported)
    assert len(exported) == 2
    row = rows["米易县得石镇人民政府"]
    assert row["document_url"] == "http://c.gov.cn/ndbg/P020240116.pdf" and row["url"] == "http://c.gov.cn/ndbg/t1.html"
    assert row["also_at"] == ["http://c.gov.cn/ndbg/t1_wap.html"]
    assert row["index_no"] == "11510421MB1534267X/2024-00011"


def test_the_pdf_of_a_template_page_joins_its_page_not_the_first_template(crawler):
    a = township("甲镇", None, "http://c.gov.cn/ndbg/t1.html")
    b = township("乙镇", None, "http://c.gov.cn/ndbg/t2.html")
    # linked from 乙镇's page, text identical to the template, no organ printed
    pdf = report("http://c.gov.cn/ndbg/P2.pdf", url="http://c.gov.cn/ndbg/t2.html", organ=None,
                 content_sha1=TEMPLATE)
    _, exported = run_pipeline(crawler, [a, b, pdf])
    rows = by_organ(exported)
    assert len(exported) == 2 and rows["米易县甲镇人民政府"]["also_at"] == []
    assert rows["米易县乙镇人民政府"]["also_at"] == ["http://c.gov.cn/ndbg/P2.pdf"]


def test_a_document_matching_two_conflicting_reports_does_not_chain_them(crawler):
    # two documents of one catalogue (two 索引号 of 甲镇's code): two reports
    a = report("http://c.gov.cn/ndbg/t1.html", organ="米易县甲镇人民政府", content_sha1="jia-text",
               index_no="11510421MB1534267X/2024-00011")
    b = report("http://c.gov.cn/ndbg/t2.html", organ="米易县甲镇人民政府", content_sha1="other-text",
               index_no="11510421MB1534267X/2024-00012")
    # the DOCX linked from the second page carries the first one's text: it matches the first by
    # content and the second by its page, and prints no 索引号
    docx = report("http://c.gov.cn/ndbg/P2.docx", url="http://c.gov.cn/ndbg/t2.html", organ="米易县甲镇人民政府",
                  content_sha1="jia-text")
    _, exported = run_pipeline(crawler, [a, b, docx])
    rows = {r["index_no"]: r for r in exported}
    assert len(exported) == 2
    first, second = rows["11510421MB1534267X/2024-00011"], rows["11510421MB1534267X/2024-00012"]
    assert first["also_at"] == ["http://c.gov.cn/ndbg/P2.docx"] and second["also_at"] == []  # the stronger key
    assert "conflict_kept_apart" in [p["code"] for p in first["problems"]]
    assert crawler.stats.get_value("govreports/dedup/conflict_kept_apart") == 1
    assert store_for(crawler).get("url", "http://c.gov.cn/ndbg/t2.html")["record_id"] == second["record_id"]


def test_identical_text_alone_gives_an_anonymous_copy_to_no_named_report(crawler):
    # 丰川街道's template page whose title and organ the parser could not read, no link text: its
    # body is 金源街道's too
    named = report("http://c.gov.cn/show/6497.html", organ="丰华区金源街道办事处", content_sha1=TEMPLATE)
    anonymous = report("http://c.gov.cn/show/6493.html", organ=None, title=None, content_sha1=TEMPLATE)
    _, exported = run_pipeline(crawler, [named, anonymous])
    assert sorted(r["document_url"] for r in exported) == ["http://c.gov.cn/show/6493.html",
                                                           "http://c.gov.cn/show/6497.html"]
    # the link text that led to it names it: a conflict, said so
    c = get_crawler(settings_dict={"GOVREPORTS_STATE_DIR": str(crawler.settings["GOVREPORTS_STATE_DIR"]) + "2",
                                   "FEEDS": {}})
    linked = dict(anonymous, link_text="丰华区丰川街道办事处二〇二三年度政府信息公开工作年度报告")
    _, exported = run_pipeline(c, [dict(named), linked])
    assert len(exported) == 2 and c.stats.get_value("govreports/dedup/kept_apart") == 1
    release_store(c)


def test_a_column_label_read_as_organ_merges_nothing(crawler):
    # the parser took a column label for the organ of two different reports of one site; their
    # DOCX attachments name the real organs
    page1 = report("http://c.gov.cn/show/6558.html", organ="信息类别", title="信息类别政府信息公开工作年报",
                   content_sha1="a")
    page2 = report("http://c.gov.cn/show/6570.html", organ="信息类别", title="信息类别政府信息公开工作年报",
                   content_sha1="b")
    docx = report("http://c.gov.cn/upload/9d.docx", url="http://c.gov.cn/show/6558.html", organ="凤长市应急管理局",
                  title="凤长市应急管理局关于2023年度政府信息公开工作情况的报告", content_sha1="c")
    _, exported = run_pipeline(crawler, [page1, page2, docx])
    got = sorted(sorted({r["document_url"], r["url"], *r["also_at"]}) for r in exported)
    assert got == [["http://c.gov.cn/show/6558.html", "http://c.gov.cn/upload/9d.docx"],
                   ["http://c.gov.cn/show/6570.html"]]


def test_the_same_document_url_from_two_portals_is_one_report(crawler):
    doc = "http://www.miyi.gov.cn/ndbg/t1.html"
    a = report(doc, portal="http://www.miyi.gov.cn/", organ=None, content_sha1="c1")
    _, first = run_pipeline(crawler, [a])
    store = store_for(crawler)
    b = report(doc, portal="http://deshi.example.cn/", organ=None, content_sha1="c1", cells=5)
    _, second = run_pipeline(crawler, [b])
    assert [(r["record_id"], r["change"]) for r in second] == [(first[0]["record_id"], "changed")]
    assert store.count("exported") == 1


def test_a_copy_that_links_two_held_copies_folds_them_into_one_row(crawler):
    town = report("http://deshi.example.cn/ndbg/t1.html", portal="http://deshi.example.cn/",
                  organ="攀枝花市米易县得石镇人民政府", content_sha1="town-text")
    # the county's copy: short organ, another site, another rendering: no key shared with the town page
    county = report("http://www.miyi.gov.cn/ndbg/9.html", portal="http://www.miyi.gov.cn/", organ="得石镇",
                    content_sha1="county-text", status="partial", cells=0)
    # the DOCX attached to the county copy prints the full organ: it shares a key with each
    docx = report("http://www.miyi.gov.cn/ndbg/P9.docx", url="http://www.miyi.gov.cn/ndbg/9.html",
                  portal="http://www.miyi.gov.cn/", organ="米易县得石镇人民政府", content_sha1="docx-text")
    _, exported = run_pipeline(crawler, [town, county, docx])
    (row,) = exported
    assert row["document_url"] == "http://deshi.example.cn/ndbg/t1.html"
    assert row["also_at"] == ["http://www.miyi.gov.cn/ndbg/9.html", "http://www.miyi.gov.cn/ndbg/P9.docx"]
    assert crawler.stats.get_value("govreports/dedup/bridged") == 1
    assert crawler.stats.get_value("govreports/duplicates_merged") == 2
    store = store_for(crawler)
    assert {store.get("url", u)["record_id"] for u in ("http://deshi.example.cn/ndbg/t1.html",
                                                       "http://www.miyi.gov.cn/ndbg/9.html")} == {row["record_id"]}
    # next week the county copy alone (a new URL, same short organ) meets the folded report
    moved = "http://www.miyi.gov.cn/ndbg/9-2.html"
    again = dict(county, url=moved, document_url=moved)
    _, second = run_pipeline(crawler, [again])
    assert second == [] and store.get("url", moved)["record_id"] == row["record_id"]


def test_a_copy_naming_nothing_is_bound_after_the_others_whatever_the_order(crawler):
    # the wap twin of 乙镇's template page prints no organ and arrives first: bound at close, it
    # joins its page, not the first template report it shares a body with
    wap = report("http://c.gov.cn/ndbg/t2_wap.html", organ=None, content_sha1=TEMPLATE, status="partial", cells=0)
    a = township("甲镇", None, "http://c.gov.cn/ndbg/t1.html")
    b = township("乙镇", None, "http://c.gov.cn/ndbg/t2.html")
    _, exported = run_pipeline(crawler, [wap, a, b])
    rows = by_organ(exported)
    assert rows["米易县乙镇人民政府"]["also_at"] == ["http://c.gov.cn/ndbg/t2_wap.html"]
    assert rows["米易县甲镇人民政府"]["also_at"] == []
    assert crawler.stats.get_value("govreports/dedup/deferred") == 1
    assert store_for(crawler).count("deferred") == 0


def test_deferred_copies_survive_a_graceful_shutdown(tmp_path):
    from types import SimpleNamespace
    settings = {"GOVREPORTS_STATE_DIR": str(tmp_path / "state"), "FEEDS": {}, "JOBDIR": str(tmp_path / "job")}
    first = get_crawler(settings_dict=settings)
    first.engine = SimpleNamespace(running=False)  # one SIGTERM: the engine stopped before the spider closed
    pdf = report("http://c.gov.cn/ndbg/P1.pdf", url="http://c.gov.cn/ndbg/t1.html", organ=None, content_sha1="p")
    _, exported = run_pipeline(first, [pdf])
    assert exported == [] and first.stats.get_value("govreports/held_for_resume") == 1
    release_store(first)
    resumed = get_crawler(settings_dict=settings)
    _, exported = run_pipeline(resumed, [report("http://c.gov.cn/ndbg/t1.html", content_sha1="h")])
    (row,) = exported
    assert row["document_url"] == "http://c.gov.cn/ndbg/t1.html" and row["also_at"] == ["http://c.gov.cn/ndbg/P1.pdf"]
    assert store_for(resumed).count("deferred") == 0
    release_store(resumed)


def test_an_anonymous_twin_with_its_pages_text_joins_its_page(crawler):
    page = report("http://c.gov.cn/ndbg/t1.html", content_sha1="body")
    wap = report("http://c.gov.cn/ndbg/t1_wap.html", organ=None, content_sha1="body", status="partial", cells=0)
    _, exported = run_pipeline(crawler, [page, wap])
    (row,) = exported
    assert row["also_at"] == ["http://c.gov.cn/ndbg/t1_wap.html"]
