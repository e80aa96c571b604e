"""Hanweb datastore/dataproxy, jpaas build/unit, gkmlpt API (portals.md §b2, §b4): the pure readers of\neach platform's module, and the registry the spider is built from."""
import json
from urllib.parse import parse_qs, urlsplit

from crawler.spiders.platforms import gkmlpt as G
from crawler.spiders.platforms import hanweb as P

COL = "http://www.example.gov.cn/col/col33718/index.html"
JCMS = """<div id="212860"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=33718&unitid=212860&webname=%25E6%25B1%259F&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href='/art/2026/9/11/art_33718_11828204.html' title='某镇2025年政府信息公开工作年度报告'>某镇2025年…</a><span>2026-09-11</span></li>]]></record>
<record><![CDATA[<li style=<br/><a href='/art/2026/9/10/art_33718_11828100.html'>通知</a></li>]]></record>
</recordset></datastore></script></div>
<script>$('#212860').jpage({totalRecord:95,perPage:15,groupSize:3});</script>"""


def test_datastore_records_and_nextgroup():
    ds = P.parse_datastore(JCMS, COL)
    assert len(ds.records) == 2 and "art_33718_11828204" in ds.records[0]
    assert ds.nextgroup.startswith("http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?page=1&")


def test_empty_nextgroup_ends_paging():
    ds = P.parse_datastore("<datastore><nextgroup><![CDATA[]]></nextgroup><recordset></recordset></datastore>", COL)
    assert ds.records == [] and ds.nextgroup is None
    assert P.parse_datastore("<html>no list</html>", COL) is None


def test_dataproxy_post_plan_from_jpage_and_nextgroup():
    plan = P.dataproxy_plan(JCMS, COL, P.parse_datastore(JCMS, COL))
    assert plan.total == 95 and plan.per_page == 15 and plan.group_size == 3
    assert plan.form["columnid"] == "33718" and plan.form["unitid"] == "212860" and plan.form["col"] == "1"
    assert plan.form["webname"] == "江"     # double percent-encoding undone
    posts = P.dataproxy_posts(plan, 45)
    assert [urlsplit(u).query for u, _ in posts] == ["startrecord=46&endrecord=90&perpage=15",
                                                     "startrecord=91&endrecord=95&perpage=15"]
    assert parse_qs(posts[0][1])["columnid"] == ["33718"]


def test_dataproxy_plan_from_ajax_params_only():
    html = ("<script>$('#6000').jpage({proxyUrl:'/module/jpage/dataproxy.jsp', perPage:10, totalRecord:25, "
            "ajaxParam: {\"col\": 1, \"webid\": 4, \"columnid\": 311, \"unitid\": 6000, \"webname\": \"磐石镇\"}});</script>")
    plan = P.dataproxy_plan(html, COL, None)
    assert plan.url == "http://www.example.gov.cn/module/jpage/dataproxy.jsp" and plan.form["columnid"] == "311"
    assert len(P.dataproxy_posts(plan, 0)) == 1


def test_jpaas_query_and_paramjson_paging():
    html = """<script type="text/javascript" queryData="{'webId':'3','tplSetId':'52','pageType':'column','tagId':'信息列表','editType':'null','pageId':'1229225732'}" src="x.js"></script>"""
    q = P.jpaas_query(html)
    assert q["pageId"] == "1229225732"
    u = P.jpaas_unit_url("http://www.example.gov.cn/col/col1229225732/index.html", q, 2)
    assert u.startswith("http://www.example.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?")
    qs = parse_qs(urlsplit(u).query)
    assert json.loads(qs["paramJson"][0]) == {"pageNo": 2, "pageSize": 15}
    assert qs["pageId"] == ["1229225732"] and qs["parseType"] == ["bulidstatic"]
    assert P.jpaas_page_no(u) == 2
    assert P.jpaas_html('{"success":true,"data":{"html":"<li>x</li>"}}') == "<li>x</li>"
    assert P.jpaas_html('{"success":true,"data":{"html":""}}') == ""
    assert P.jpaas_query("<script src='a.js'></script>") is None


def test_gkmlpt_sid_category_and_api():
    html = "<script>window._CONFIG = {SID: '755041', TREE: [{\"id\": 1000, \"name\": \"政策文件\"}, {\"id\": 2001, \"name\": \"政府信息公开年报\"}]};</script>"
    sid, cats = G.gkmlpt_config(html)
    assert sid == "755041" and cats == ["2001"]
    assert (G.gkmlpt_api_url("http://www.yuexiu.gov.cn/gzyxbyj/gkmlpt/index", sid, "2001", 3)
            == "http://www.yuexiu.gov.cn/gzyxbyj/gkmlpt/api/all/2001?page=3&sid=755041")
    body = json.dumps({"total": 45, "articles": [{"id": 1, "title": "%u67d0%u9547", "url": "/gkmlpt/content/0/1/post_1.html"}]})
    arts, total, per = G.gkmlpt_articles(body, "http://www.x.gov.cn/gkmlpt/api/all/0?page=1&sid=1")
    assert arts == [("http://www.x.gov.cn/gkmlpt/content/0/1/post_1.html", "某镇")] and total == 45 and per == 1
    assert G.gkmlpt_pages(45, 20) == 3
    assert G.gkmlpt_config("<html></html>") is None


def test_gkmlpt_category_with_name_before_id():
    html = "<script>window._CONFIG = {SID: 'g123', CATS: [{name: '政府信息公开年报', id: 57}]};</script>"
    assert G.gkmlpt_config(html) == ("g123", ["57"])


def test_the_spider_is_built_from_the_registry_and_collects_declared_hooks():
    from crawler.spiders.platforms import PLATFORMS
    from crawler.spiders.reports import ReportsSpider
    assert all(issubclass(ReportsSpider, cls) for cls in PLATFORMS.values())
    spider = ReportsSpider()
    assert [h.__name__ for h in spider.platform_hooks()] == ["jcms_hook", "jpaas_hook", "gkmlpt_hook", "querystring_hook"]
    assert [h.__name__ for h in spider.report_hooks()] == ["trs_hook"]
