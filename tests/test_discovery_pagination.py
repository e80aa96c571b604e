"""Pagination schemes of portals.md §b7, on real-shaped pager snippets."""
from crawler.discovery.pagination import create_page_html, fill_numbered, js_pager, list_pages

BASE = "http://www.example.gov.cn/zwgk/zfxxgknb/2023n/"


def test_trs_classic_four_args_is_zero_based():
    html = '<script>createPageHTML(4, 0, "index", "shtml");</script>'
    assert create_page_html(html, BASE + "index.shtml") == [BASE + f"index_{i}.shtml" for i in (1, 2, 3)]


def test_trs_four_args_with_count_variable():
    html = 'var countPage = 3//共多少页\n createPageHTML(countPage, currentPage, "index", "htm");var currentPage = 0;'
    assert create_page_html(html, BASE) == [BASE + "index_1.htm", BASE + "index_2.htm"]


def test_trs_six_args_ambiguous_tries_both_suffixes():
    html = "createPageHTML('page_div', 3, 1, 'list', 'shtml', 45);"
    assert create_page_html(html, BASE + "list.shtml") == [BASE + f"list_{i}.shtml" for i in (1, 2, 3)]


def test_trs_paging_variant_is_one_based_with_stem_from_page_param():
    html = ('<div id="pageParam" data="3" url="../lists/index"></div>'
            '<script>var s = "index" + (page == 1 ? "" : "_" + page);'
            "createPageHTML('paging', 3, 1, 'index', 'html', 30);</script>")
    got = create_page_html(html, BASE + "index.html")
    assert got == ["http://www.example.gov.cn/zwgk/zfxxgknb/lists/index_2.html",
                   "http://www.example.gov.cn/zwgk/zfxxgknb/lists/index_3.html"]


def test_single_page_lists_announce_nothing():
    assert create_page_html('createPageHTML(1, 0, "index", "html");', BASE) == []
    assert create_page_html("createPageHTML('page_div', 1, 1, 'index', 'html', 5);", BASE) == []


def test_javascript_next_pager_over_static_files():
    html = '<a href="javascript:next(1)">1</a><a href="javascript:next(4)">尾页</a> 共4页'
    got = js_pager(html, BASE + "index.html")
    assert got == [BASE + f"index_{i}.html" for i in (1, 2, 3, 4)]
    assert js_pager("<script>$(x).next(3)</script>", BASE) == []   # JS library calls are not pagers


def test_numbered_links_fill_the_window():
    lonsun = "http://x.gov.cn/XxgkContent/showList/996/0/page_1.html"
    got = fill_numbered(["http://x.gov.cn/XxgkContent/showList/996/0/page_2.html",
                         "http://x.gov.cn/XxgkContent/showList/996/0/page_6.html"], lonsun)
    assert got == [f"http://x.gov.cn/XxgkContent/showList/996/0/page_{i}.html" for i in range(2, 7)]


def test_query_string_synonyms_and_other_params_kept():
    cur = "http://hrss.example.gov.cn/InfoPublic.aspx?cid=1019&pid=971&page=1&kw="
    got = fill_numbered(["http://hrss.example.gov.cn/InfoPublic.aspx?cid=1019&pid=971&page=5&kw="], cur)
    assert got[0] == "http://hrss.example.gov.cn/InfoPublic.aspx?cid=1019&pid=971&page=2&kw="
    assert len(got) == 4
    for param in ("pageNo", "pageNum", "currPage", "currentPage", "PageIndex", "pn"):
        g = fill_numbered([f"http://a.gov.cn/list.jsp?id=3&{param}=3"], f"http://a.gov.cn/list.jsp?id=3&{param}=1")
        assert g == [f"http://a.gov.cn/list.jsp?id=3&{param}=2", f"http://a.gov.cn/list.jsp?id=3&{param}=3"], param


def test_path_number_pages():
    cur = "http://www.yanan.example.gov.cn/zfxxgknb/1.html"
    got = fill_numbered(["http://www.yanan.example.gov.cn/zfxxgknb/4.html"], cur)
    assert got == [f"http://www.yanan.example.gov.cn/zfxxgknb/{i}.html" for i in (2, 3, 4)]


def test_list_pages_dedupes_and_excludes_current():
    html = 'createPageHTML(3, 0, "index", "html");'
    got = list_pages(html, BASE + "index.html", [BASE + "index_1.html", BASE + "index_2.html"])
    assert got == [BASE + "index_1.html", BASE + "index_2.html"]


def test_runaway_pager_is_capped():
    got = create_page_html('createPageHTML(99999, 0, "index", "html");', BASE)
    assert 0 < len(got) <= 301


def test_dash_numbered_pages():
    cur = "http://www.cd.example.gov.cn/xxgk/column-index-1.shtml"
    got = fill_numbered(["http://www.cd.example.gov.cn/xxgk/column-index-3.shtml"], cur)
    assert got == ["http://www.cd.example.gov.cn/xxgk/column-index-2.shtml",
                   "http://www.cd.example.gov.cn/xxgk/column-index-3.shtml"]
