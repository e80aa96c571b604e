"""Portals whose labels no rule knows (issue 9): the disclosure area under an opaque home-menu label,
township and department directories under unknown labels (a <select onchange>, a table), a Hanweb
datastore column served as a JS shell whose <noscript> asks for JavaScript, a report page whose
<title> ends in a column name, a report page printing no title, a JSON-only detail page, an ASP.NET
__doPostBack pager, captcha / IP-ban / not-a-report pages behind report links, and a portal whose
reports are reachable only through its site search."""
from __future__ import annotations

import json

from . import html as H

O = "{{ORIGIN}}"
NOSCRIPT = "<noscript>您的浏览器未启用JavaScript，请开启JavaScript后访问本站。Please enable JavaScript.</noscript>"


def _report(fb, nav, site, unit, title, path, **kw) -> str:
    fb.write(path, H.report_page(site, title, fb.seed(), nav=nav, **kw))
    fb.report(O + path)
    fb.unit_hints[O + path] = unit
    return path


def build(fb, slug="unf", county="清河县"):
    site = f"{county}人民政府"
    root = f"/{slug}"
    nav = [(f"{root}/index.html", "首页"), (f"{root}/zs/index.html", "清河政事"), (f"{root}/xwzx/index.html", "新闻中心"),
           (f"{root}/hdjl/index.html", "互动交流"), (f"{root}/bsfw/index.html", "办事服务")]
    P = lambda t, b, **k: H.chrome(site, t, b, nav=nav, **k)  # noqa: E731
    fb.portal(f"{O}{root}/index.html", name=site, region_code="130534", province="河北省", city="邢台市", county=county)
    fb.write(f"{root}/index.html", P("首页", "<p>欢迎访问。</p>"))
    for p, t in (("xwzx", "新闻中心"), ("hdjl", "互动交流"), ("bsfw", "办事服务")):
        fb.write(f"{root}/{p}/index.html", P(t, "<p>栏目建设中。</p>"))
    t = f"{county}2023年政府信息公开工作年度报告解读"
    decoy = fb.decoy(f"{root}/zs/jd/2023.html", site, t, "interpretation")
    menu = [(f"{root}/zs/nb/List.aspx", "政府信息公开年报", ""), (f"{root}/zs/zn/index.html", "政府信息公开指南", ""),
            (f"{root}/zs/zczc/index.html", "镇村之窗", ""), (f"{root}/zs/bmzc/index.html", "部门之窗", ""), (decoy, t, "")]
    fb.write(f"{root}/zs/index.html", P("清河政事", H.list_ul(menu)))
    fb.write(f"{root}/zs/zn/index.html", P("政府信息公开指南", "<p>公开指南。</p>"))
    _county_postback_list(fb, nav, site, root, county)
    _towns(fb, nav, site, root, county)
    _departments(fb, nav, site, root, county)


def _county_postback_list(fb, nav, site, root, county):
    """An ASP.NET list paged by __doPostBack form posts; report links to problem pages among them."""
    items = []
    for y in (2023, 2022, 2021, 2020):
        t = f"{county}人民政府{y}年政府信息公开工作年度报告"
        items.append((_report(fb, nav, site, None, t, f"{root}/zs/nb/d{fb.uid()}.html"), t))
    captcha = ("<html><head><title>访问验证</title></head><body><form action='/verify'><img src='/captcha.jpg'>"
               "请输入验证码后继续访问<input name='code'><input type='submit'></form></body></html>")
    ban = "<html><head><title>访问受限</title></head><body><h2>您的IP已被封禁</h2><p>访问过于频繁，请稍后再试。</p></body></html>"
    for name, status, body, code in (("captcha", 200, captcha, "captcha"), ("ipban", 403, ban, "ip_banned")):
        u = f"{root}/zs/nb/{name}.html"
        fb.route(path=u, status=status, content_type="text/html; charset=utf-8", body=body)
        fb.problem(code, O + u)
        items.insert(2, (u, f"{county}{'水务局' if name == 'captcha' else '审计局'}2023年政府信息公开工作年度报告"))
    u = f"{root}/zs/nb/building.html"   # a report link whose page is not a report: a reject, not a silent drop
    fb.write(u, H.chrome(site, "页面建设中", "<h1>页面建设中</h1><p>敬请期待。</p>", nav=nav))
    fb.problem("unrecognised_page", O + u)
    items.append((u, f"{county}商务局2023年政府信息公开工作年度报告"))
    pages = [items[i:i + 3] for i in range(0, len(items), 3)]
    action = f"{root}/zs/nb/List.aspx"
    for pi, chunk in enumerate(pages, 1):
        nums = "".join(f"<span>{k}</span> " if k == pi else f"<a href=\"javascript:__doPostBack('ctl00$Pager','{k}')\">{k}</a> "
                       for k in range(1, len(pages) + 1))
        form = (f"<form method='post' action='./List.aspx' id='aspnetForm'>"
                f"<input type='hidden' name='__VIEWSTATE' value='vs{pi}/wEPDwUK' />"
                f"<input type='hidden' name='__EVENTVALIDATION' value='ev{pi}' /><input type='hidden' name='__EVENTTARGET' value='' />"
                f"<input type='hidden' name='__EVENTARGUMENT' value='' />"
                + H.list_ul([(u, t, "2024-01-15") for u, t in chunk]) + f"<div class='pager'>{nums}</div></form>")
        f = fb.write(f"{root}/zs/nb/_p{pi}.html", H.chrome(site, "政府信息公开年报", form, nav=nav)).lstrip("/")
        if pi == 1:
            fb.route(path=action, method="GET", content_type="text/html; charset=utf-8", file=f)
        fb.route(path=action, method="POST", form={"__EVENTTARGET": "ctl00$Pager", "__EVENTARGUMENT": str(pi)},
                 content_type="text/html; charset=utf-8", file=f)


def _towns(fb, nav, site, root, county):
    towns = (("bs", "白沙镇"), ("sm", "石门乡"), ("dg", "东关街道"))
    options = "".join(f"<option value='{root}/town/{k}/index.html'>{n}</option>" for k, n in towns)
    fb.write(f"{root}/zs/zczc/index.html", H.chrome(site, "镇村之窗", "<p>请选择：</p><select onchange=\"window.location=this.value\">"
             f"<option value=''>请选择</option>{options}</select>", nav=nav))
    for k, town in towns:
        tnav = nav + [(f"{root}/town/{k}/nb/index.html", "政府信息公开年报")]
        fb.write(f"{root}/town/{k}/index.html", H.chrome(f"{county}{town}", "首页", "<p>欢迎。</p>", nav=tnav))
    # 白沙镇: the column is a Hanweb jcms shell: datastore records and a <noscript> asking for JavaScript
    recs = []
    for y in (2023, 2022):
        t = f"白沙镇{y}年政府信息公开工作年度报告"
        u = _report(fb, nav, site, "白沙镇", t, f"{root}/town/bs/art/{y}/art_{fb.uid()}.html")
        recs.append(f"<record><![CDATA[<li><a href='{u}' title='{t}'>{t}</a><span>{y + 1}-01-20</span></li>]]></record>")
    fb.write(f"{root}/town/bs/nb/index.html", "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开年报</title>"
             f"</head><body>{NOSCRIPT}<div id='app'></div><script type='text/xml'><datastore><nextgroup><![CDATA[]]></nextgroup>"
             f"<recordset>{''.join(recs)}</recordset></datastore></script></body></html>")
    # 石门乡: a <title> ending in column names, and a page that prints no title or organ at all
    t1, t2 = "石门乡2023年政府信息公开工作年度报告", "石门乡2022年政府信息公开工作年度报告"
    u1 = f"{root}/town/sm/art/{fb.uid()}.html"
    page = H.report_page(site, t1, fb.seed(), nav=nav, meta_cols=False)
    page = page.replace(f"<title>{t1}_{site}</title>", f"<title>{t1}_政府信息公开目录_财政预决算_{site}</title>")
    fb.write(u1, page); fb.report(O + u1); fb.unit_hints[O + u1] = "石门乡"
    u2 = f"{root}/town/sm/art/{fb.uid()}.html"
    fb.write(u2, "<html><head><meta charset='utf-8'></head><body><div class='zw'>" + H.seed_body(fb.seed(), t2)
             + "</div></body></html>")
    fb.report(O + u2); fb.unit_hints[O + u2] = "石门乡"
    fb.write(f"{root}/town/sm/nb/index.html", H.chrome(site, "政府信息公开年报", H.list_ul([(u1, t1, "2024-01-19"), (u2, t2, "2023-01-19")]), nav=nav))
    # 东关街道: the report link answers JSON only
    t = "东关街道办事处2023年政府信息公开工作年度报告"
    api = f"{root}/api/article"
    body = H.seed_body(fb.seed(), t)
    fb.route(path=api, query={"id": "77"}, content_type="application/json; charset=utf-8",
             body=json.dumps({"code": 200, "data": {"title": t, "content": body, "source": "东关街道办事处",
                                                    "publishDate": "2024-01-22"}}, ensure_ascii=False))
    fb.report(f"{O}{api}?id=77"); fb.unit_hints[f"{O}{api}?id=77"] = "东关街道"
    fb.write(f"{root}/town/dg/nb/index.html", H.chrome(site, "政府信息公开年报", H.list_ul([(f"{api}?id=77", t, "2024-01-22")]), nav=nav))


def _departments(fb, nav, site, root, county):
    units = (("jy", "教育局"), ("cz", "财政局"), ("fg", "发展和改革委员会"), ("wj", "卫生健康委员会"))
    cells = [f"<td><a href='{root}/bm/{k}/index.html'>{county}{n}</a></td>" for k, n in units]
    fb.write(f"{root}/zs/bmzc/index.html", H.chrome(site, "部门之窗", f"<table class='bm'><tr>{''.join(cells[:2])}</tr>"
             f"<tr>{''.join(cells[2:])}</tr></table>", nav=nav))
    for k, n in units:
        t = f"{county}{n}2023年政府信息公开工作年度报告"
        u = _report(fb, nav, f"{county}{n}", f"{county}{n}", t, f"{root}/bm/{k}/t2024_{fb.uid()}.html")
        if k == "wj":   # an app shell: the article is a JSON object in a script (gkmlpt-style DETAIL)
            detail = {"id": fb.uid(), "title": t, "publisher": f"{county}{n}", "date": "2024-01-18",
                      "content": H.seed_body(fb.seed(), t), "attachment": []}
            data = json.dumps(detail, ensure_ascii=False).replace("</", "<\\/")   # as CMSs escape it in scripts
            fb.write(u, H.chrome(f"{county}{n}", t, "<div id='app'><div class='loading'>加载中…</div></div><script>"
                     f"window._CONFIG = {{SID: '7', DETAIL: {data}}};</script>", nav=nav))
            fb.app_shell_details.append(O + u)
        fb.write(f"{root}/bm/{k}/index.html", H.chrome(f"{county}{n}", "首页", H.list_ul([(u, t, "2024-01-18")]), nav=nav))


def build_search_only(fb, slug="srch", county="安平县"):
    """No report column anywhere in the navigation: only the site search finds the reports."""
    site = f"{county}人民政府"
    root = f"/{slug}"
    nav = [(f"{root}/index.html", "首页"), (f"{root}/xwzx/index.html", "新闻中心"), (f"{root}/hdjl/index.html", "互动交流")]
    fb.portal(f"{O}{root}/index.html", name=site, region_code="131125", province="河北省", city="衡水市", county=county)
    form = (f"<form action='{root}/search.jsp' method='get'><input type='hidden' name='siteid' value='7'>"
            "<input type='text' name='searchWord' value=''><input type='submit' value='搜索'></form>")
    fb.write(f"{root}/index.html", H.chrome(site, "首页", form, nav=nav))
    for p, t in (("xwzx", "新闻中心"), ("hdjl", "互动交流")):
        fb.write(f"{root}/{p}/index.html", H.chrome(site, t, "<p>暂无内容。</p>", nav=nav))
    hits = []
    for unit in ("人民政府", "民政局", "司法局", "交通运输局"):
        t = f"{county}{unit}2023年政府信息公开工作年度报告"
        u = _report(fb, nav, site, None, t, f"{root}/art/{fb.uid()}.html")
        hits.append((u, t, "2024-01-25"))
    fb.route(path=f"{root}/search.jsp", query={"siteid": "7", "searchWord": "政府信息公开工作年度报告"},
             content_type="text/html; charset=utf-8",
             file=fb.write(f"{root}/_search.html", H.chrome(site, "搜索结果", H.list_ul(hits), nav=nav)).lstrip("/"))
