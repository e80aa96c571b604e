"""Unit directories recognised by what they list, and the best-first score of unlabelled links
(crawler/discovery/explore.py); ASP.NET postbacks, site search forms, JSON details (forms.py)."""
import json

import lxml.html

from crawler.discovery import explore as X
from crawler.discovery.forms import aspnet_postbacks, embedded_article, json_article, search_form
from crawler.discovery.links import extract_anchors
from crawler.discovery.reportpage import judge

BASE = "http://www.x.gov.cn/zwgk/index.html"
TOWNS = ["城关镇", "河口乡", "东城街道办事处", "西山镇", "南湖街道"]
UNITS = ["县教育局", "县发展和改革委", "县政务服务中心", "县卫生健康委员会"]


def _anchors(body: str):
    return extract_anchors(f"<html><body>{body}</body></html>", BASE)


def _dir(body: str) -> set[str]:
    return X.unit_directory_urls(_anchors(body))


def test_unit_names():
    for t in TOWNS + UNITS:
        assert X.is_unit_name(t), t
    for t in ("新闻中心", "下载中心", "政策解读", "首页", "通知公告", "某镇2023年政府信息公开工作年度报告"):
        assert not X.is_unit_name(t), t


def test_directory_as_list_table_select_and_tree_whatever_its_heading():
    ul = "<h3>随便什么标题</h3><ul>" + "".join(f"<li><a href='/t{i}/'>{t}</a></li>" for i, t in enumerate(TOWNS)) + "</ul>"
    assert len(_dir(ul)) == 5
    cells = [f"<td><a href='/u{i}/index.html'>{t}</a></td>" for i, t in enumerate(UNITS)]
    assert len(_dir(f"<table><tr>{''.join(cells[:2])}</tr><tr>{''.join(cells[2:])}</tr></table>")) == 4
    sel = ("<select onchange='window.open(this.value)'><option value=''>请选择</option>"
           + "".join(f"<option value='/s{i}/'>{t}</option>" for i, t in enumerate(TOWNS)) + "</select>")
    assert len(_dir(sel)) == 5
    tree = ("<ul class='tree'><li><span>乡镇</span><ul>"
            + "".join(f"<li><span><a href='/tree{i}/'>{t}</a></span></li>" for i, t in enumerate(TOWNS[:3]))
            + "</ul></li></ul>")
    assert len(_dir(tree)) == 3


def test_a_block_of_per_unit_sub_sites_is_a_directory_even_with_bare_place_names():
    names = ["城关", "河口", "东城", "西山", "南湖"]
    body = "<div class='zq'>" + "".join(f"<a href='http://{p}.x.gov.cn/'>{n}</a>" for p, n in
                                          zip(("cg", "hk", "dc", "xs", "nh"), names)) + "</div>"
    assert len(_dir(body)) == 5


def test_not_a_directory():
    news = "<ul>" + "".join(f"<li><a href='/xw/t2024010{i}_1234{i}.html'>城关镇召开第{i}次会议</a></li>"
                            for i in range(6)) + "</ul>"
    assert _dir(news) == set()
    two = "<ul><li><a href='/a/'>城关镇</a></li><li><a href='/b/'>河口乡</a></li></ul>"
    assert _dir(two) == set()     # two names are a coincidence, not a directory
    mixed = "<ul>" + "".join(f"<li><a href='/m{i}/'>栏目{i}</a></li>" for i in range(8)) + \
        "<li><a href='/z1/'>城关镇</a></li><li><a href='/z2/'>河口乡</a></li><li><a href='/z3/'>西山镇</a></li></ul>"
    assert _dir(mixed) == set()   # a menu with three town links among eight others


def test_explore_score_prefers_disclosure_words_urls_and_menus_and_drops_news_and_decoys():
    good = X.explore_score("专项公开", "http://x.gov.cn/zfxxgk/zxgk/")
    assert good >= X.MIN_SCORE
    assert X.explore_score("某栏目", "http://x.gov.cn/abc/", context=X.context_score(1, 1)) >= X.MIN_SCORE
    assert X.explore_score("某栏目", "http://x.gov.cn/abc/", context=X.context_score(3, 11)) < X.MIN_SCORE
    assert X.explore_score("某栏目", "http://x.gov.cn/abc/", context=X.context_score(3, 11), menu=1.5) >= X.MIN_SCORE
    assert X.explore_score("某栏目", "http://x.gov.cn/abc/", context=X.context_score(1, 9), menu=1.5) < X.MIN_SCORE
    assert X.explore_score("某栏目", "http://x.gov.cn/abc/") < X.MIN_SCORE
    assert X.explore_score("某栏目", "http://x.gov.cn/abc/", menu=2.0) >= X.MIN_SCORE   # a home-page menu label
    assert X.explore_score("新闻动态", "http://x.gov.cn/xxgk/xwdt/") < X.MIN_SCORE
    assert X.explore_score("2024-01-02 某镇开展公开日活动", "http://x.gov.cn/xxgk/t20240102_1.html") == 0
    assert X.explore_score("关于2023年政府信息公开工作年度报告的解读", "http://x.gov.cn/xxgk/") == 0
    assert X.explore_score("政府信息公开指南", "http://x.gov.cn/xxgk/zn/") < X.MIN_SCORE
    # a document title that shares words with reports is not a navigation label
    assert X.explore_score("某县2023年度法治政府建设工作情况报告", "http://x.gov.cn/xxgk/a.html", context=2.0) == 0
    assert X.explore_score("二〇二三年度工作报告", "http://x.gov.cn/xxgk/", context=2.0) == 0


def test_neighbour_counts_credit_links_in_a_menu_with_rule_matches():
    body = "<ul><li><a href='/a/'>政府信息公开年报</a></li><li><a href='/b/'>某栏目</a></li></ul><ul><li><a href='/c/'>别处</a></li></ul>"
    anchors = _anchors(body)
    near = X.neighbour_counts(anchors, {"http://www.x.gov.cn/a/"})
    assert near["http://www.x.gov.cn/b/"] == (1, 1) and near["http://www.x.gov.cn/c/"] == (0, 0)
    menu = "<ul>" + "".join(f"<li><a href='/m{i}/'>栏目{i}</a></li>" for i in range(5)) + "</ul><p><a href='/x/'>一个很长的新闻标题在这里出现</a></p>"
    assert X.menu_urls(_anchors(menu)) == {f"http://www.x.gov.cn/m{i}/" for i in range(5)}


ASPX = """<html><body><form method="post" action="./InfoList.aspx?cid=7" id="form1">
<input type="hidden" name="__VIEWSTATE" value="dDwtMTA4;;&gt;" /><input type="hidden" name="__EVENTVALIDATION" value="/wEW" />
<input type="hidden" name="__VIEWSTATEGENERATOR" value="C2EE9ABB" />
<ul><li><a href="InfoDetail.aspx?id=1">某镇2023年政府信息公开工作年度报告</a></li></ul>
<div class="pager"><span>1</span> <a href="javascript:__doPostBack('ctl00$Pager','2')">2</a>
<a href="javascript:__doPostBack('ctl00$Pager','3')">3</a> <a href="javascript:__doPostBack('ctl00$Pager','2')">下一页</a>
<a href="javascript:__doPostBack('ctl00$Menu','x')">菜单</a></div></form></body></html>"""


def test_aspnet_postback_pager():
    pb = aspnet_postbacks(lxml.html.fromstring(ASPX), "http://www.x.gov.cn/gk/InfoList.aspx?cid=7")
    assert pb.action == "http://www.x.gov.cn/gk/InfoList.aspx?cid=7"
    assert pb.fields["__VIEWSTATE"] == "dDwtMTA4;;>" and pb.fields["__EVENTVALIDATION"] == "/wEW"
    assert pb.events == [("ctl00$Pager", "2"), ("ctl00$Pager", "3")]
    assert aspnet_postbacks(lxml.html.fromstring("<html><body><a href='#'>1</a></body></html>"), BASE) is None


def test_site_search_form():
    home = """<html><body><form action="/search/index.jsp" method="get"><input type="hidden" name="siteid" value="12">
    <input type="text" name="searchWord" value=""><input type="submit"></form></body></html>"""
    f = search_form(lxml.html.fromstring(home), "http://www.x.gov.cn/")
    assert f.action == "http://www.x.gov.cn/search/index.jsp" and f.method == "GET"
    assert f.fields == {"siteid": "12", "searchWord": "政府信息公开工作年度报告"}
    login = "<html><body><form action='/login'><input name='username'><input type='password' name='pw'></form></body></html>"
    assert search_form(lxml.html.fromstring(login), "http://www.x.gov.cn/") is None


def test_json_only_detail_page_is_rebuilt_as_html_and_judged():
    body = "".join(f"<p>{h}</p><p>本机关{'依法公开政府信息。' * 5}</p>" for h in
                   ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"))
    doc = {"code": 200, "data": {"title": "某镇2023年政府信息公开工作年度报告", "content": body, "source": "某镇人民政府",
                                 "publishDate": "2024-01-20"}}
    html = json_article(json.dumps(doc, ensure_ascii=False))
    assert "<h1>某镇2023年政府信息公开工作年度报告</h1>" in html and "发布机构：某镇人民政府" in html
    assert judge(html, "").is_report
    assert json_article('{"code": 0, "msg": "ok"}') is None
    assert json_article("<html></html>") is None


def test_sibling_directories_named_like_places_are_sub_sites_but_a_column_menu_is_not():
    places = "<div>" + "".join(f"<a href='/zq/{p}/'>{n}</a>" for p, n in
                               (("cg", "城关"), ("hk", "河口"), ("dc", "东城"), ("xs", "西山"))) + "</div>"
    assert len(_dir(places)) == 4
    columns = "<div>" + "".join(f"<a href='/xxgk/{p}/'>{n}</a>" for p, n in
                                (("zcwj", "政策文件"), ("tzgg", "通知公告"), ("xwdt", "新闻动态"), ("gkzn", "公开指南"))) + "</div>"
    assert _dir(columns) == set()


def test_article_held_as_json_in_an_app_shell_script():
    body = "".join(f"<p>{h}</p><p>{'本机关依法公开政府信息。' * 4}</p>" for h in
                   ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"))
    detail = {"id": 7, "title": "某县水利局2023年政府信息公开工作年度报告", "publisher": "某县水利局",
              "identifier": "11441581MB2C12345X/2024-00012", "content": body,
              "attachment": [{"name": "报告.pdf", "url": "/attach/2024/report.pdf"}]}
    shell = ("<html><head><title>某县水利局2023年政府信息公开工作年度报告_某县人民政府</title></head><body><div id='app'>加载中</div>"
             f"<script>window._CONFIG = {{SID: '76', DETAIL: {json.dumps(detail, ensure_ascii=False)}}};</script></body></html>")
    html = embedded_article(shell)
    assert "<h1>某县水利局2023年政府信息公开工作年度报告</h1>" in html and "索引号：11441581MB2C12345X/2024-00012" in html
    assert "一、总体情况" in html and "href='/attach/2024/report.pdf'" in html
    assert judge(html, "").headings == 3
    # the spider uses it only when the page itself shows no report body (its script text does not count)
    from crawler.spiders.fallbacks import FallbacksMixin
    assert FallbacksMixin.json_detail_html(shell) == html
    shown = shell.replace("<div id='app'>加载中</div>", "<div id='app'>" + body + "</div>")
    assert FallbacksMixin.json_detail_html(shown) is None
    assert embedded_article("<html><body><script>var cfg = {\"title\": \"x\"};</script></body></html>") is None


def test_more_link_next_to_a_list_of_reports_is_the_report_column_whatever_its_url():
    page = ("<div class='blk'><h3>最新公开</h3><ul><li><a href='/art/1.html'>某县2023年政府信息公开工作年度报告</a></li></ul>"
            "<a class='more' href='/col/col10005/index.html'>更多>></a></div>"
            "<div class='blk'><h3>通知公告</h3><ul><li><a href='/tz/1.html'>关于开展某某工作的通知</a></li></ul>"
            "<a class='more' href='/col/col20001/index.html'>更多>></a></div>")
    anchors = _anchors(page)
    reports = {a.el for a in anchors if a.url.endswith("/art/1.html")}
    more = {a.url: X.more_link_of_reports(a, reports) for a in anchors if a.text == "更多>>"}
    assert more == {"http://www.x.gov.cn/col/col10005/index.html": True, "http://www.x.gov.cn/col/col20001/index.html": False}
