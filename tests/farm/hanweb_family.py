"""Hanweb portals. jcms: the xxgk area on a second host (port), a 年报 column whose records sit in
`<script type="text/xml"><datastore>` with GET `nextgroup` paging, a township column paged by POST
dataproxy.jsp groups, downfile.jsp?filename=x.pdf → 302 → /attach/….pdf. jpaas: queryData +
build/unit JSON with paramJson pageNo."""
from __future__ import annotations

import json

from . import html as H

O, O1 = "{{ORIGIN}}", "{{ORIGIN1}}"
PROXY = "/module/web/jpage/dataproxy.jsp"


def _record(u, t, d):
    return f"<record><![CDATA[<li><a href='{u}' title='{t}' target='_blank'>{t}</a><span>{d}</span></li>]]></record>"


def _datastore(records, nextgroup=""):
    ng = f'<a href="{nextgroup}"></a>' if nextgroup else ""
    return f"<datastore><nextgroup><![CDATA[{ng}]]></nextgroup><recordset>{''.join(records)}</recordset></datastore>"


def build_jcms(fb, slug="hw", county="磐石县", towns=("磐石镇", "芙蓉镇"), years=(2023, 2022, 2021), webid="7"):
    site = f"{county}人民政府"
    root = f"/{slug}"
    nav = [(f"{O}{root}/index.html", "首页"), (f"{O1}{root}/col/col100/index.html", "政府信息公开")]
    P = lambda t, b, **k: H.chrome(site, t, b, nav=nav, **k)  # noqa: E731
    fb.portal(f"{O}{root}/index.html", name=site, region_code="330382", province="浙江省", city="温州市", county=county)
    fb.write(f"{root}/index.html", P("首页", "<p>欢迎访问</p>"))
    # the xxgk platform lives on the second port (a sibling xxgk host)
    fb.write(f"{root}/col/col100/index.html", P("政府信息公开", H.list_ul([
        (f"{root}/col/col101/index.html", "政府信息公开指南", ""), (f"{root}/col/col200/index.html", "政府信息公开年报", ""),
        (f"{root}/col/col300/index.html", "乡镇街道", "")])))

    def art(col, title, unit_site=site, attach=None):
        u = f"{root}/art/2024/1/18/art_{col}_{fb.uid()}.html"
        extra = ""
        if attach:
            extra = f'<p>附件：<a href="/module/download/downfile.jsp?classid=0&filename={attach}.pdf">{title}.pdf</a></p>'
            fb.route(path="/module/download/downfile.jsp", query={"filename": f"{attach}.pdf"}, status=302,
                     location=f"/attach/0/{attach}.pdf")
            fb.write(f"/attach/0/{attach}.pdf", H.real_attachment(fb, "pdf"))
            fb.report(f"{O1}/attach/0/{attach}.pdf")
        fb.write(u, H.report_page(unit_site, title, fb.seed(), nav=nav, extra=extra))
        fb.report(O1 + u)
        return u

    # county column 200: 11 records, 4 per group; GET nextgroup chain
    recs = []
    for y in years:
        for unit in ("人民政府", "发展和改革局", "市场监督管理局"):
            t = f"{county}{unit}{y}年政府信息公开工作年度报告"
            recs.append(_record(art(200, t, attach=f"{fb.uid():032x}" if unit == "发展和改革局" and y == 2023 else None), t, f"{y + 1}-01-18"))
    for t, kind in ((f"{county}2023年政府信息公开工作年度报告解读", "interpretation"),
                    (f"{county}2022年度统计年报", "stats")):
        u = fb.decoy(f"{root}/art/2024/1/20/art_200_{fb.uid()}.html", site, t, kind, origin=O1)
        recs.insert(3, _record(u, t, "2024-01-20"))
    groups = [recs[i:i + 4] for i in range(0, len(recs), 4)]
    q = f"appid=1&webid={webid}&path=/&columnid=200&unitid=5001&webname=%25E7%25A3%2590&permissiontype=0"
    for gi, g in enumerate(groups):
        ng = f"{PROXY}?page={gi + 2}&{q}" if gi + 1 < len(groups) else ""
        if gi == 0:
            fb.write(f"{root}/col/col200/index.html", P("政府信息公开年报",
                     f'<div id="5001"><script type="text/xml">{_datastore(g, ng)}</script></div>'
                     "<script>$('#5001').jpage({totalRecord:" + str(len(recs)) + ",perPage:4,groupSize:1});</script>"))
        else:
            fb.route(path=PROXY, method="GET", query={"columnid": "200", "page": str(gi + 1)}, content_type="text/xml; charset=utf-8",
                     body=_datastore(g, ng))

    # townships: directory → town xxgk page → 年报 column paged by POST groups
    links = []
    for ti, town in enumerate(towns):
        col = 310 + ti * 10
        links.append((f"{root}/col/col{col}/index.html", town, ""))
        fb.write(f"{root}/col/col{col}/index.html", P(town, H.list_ul([(f"{root}/col/col{col + 1}/index.html", "政府信息公开年报", "")])))
        trecs = []
        for y in years:
            t = f"{y}年{town}政府信息公开工作年度报告"
            trecs.append(_record(art(col + 1, t, unit_site=f"{county}{town}"), t, f"{y + 1}-01-15"))
        t = f"{town}{years[-1] - 1}年政府信息公开工作年度报告"
        pdf = f"/{slug}/attach/{fb.uid()}.pdf"
        fb.write(pdf, H.real_attachment(fb, "pdf")); fb.report(O1 + pdf)
        trecs.append(_record(pdf, t + ".pdf", "2020-01-10"))
        u = fb.decoy(f"{root}/art/2024/2/1/art_{col + 1}_{fb.uid()}.html", site, f"关于{town}2023年政府信息公开工作年度报告的解读", "interpretation", origin=O1)
        trecs.append(_record(u, f"关于{town}2023年政府信息公开工作年度报告的解读", ""))
        per, gsize = 2, 1
        first = trecs[: per * gsize]
        params = {"col": 1, "appid": 1, "webid": webid, "path": "/", "columnid": col + 1, "sourceContentType": 1,
                  "unitid": 6000 + ti, "webname": f"{town}", "permissiontype": 0}
        fb.write(f"{root}/col/col{col + 1}/index.html", P(f"{town}政府信息公开年报",
                 f'<div id="{6000 + ti}"><script type="text/xml">{_datastore(first)}</script></div>'
                 "<script>$('#%d').jpage({dataStore: dataStore, proxyUrl:'%s', perPage:%d, groupSize:%d, totalRecord:%d, "
                 "ajaxParam: %s});</script>" % (6000 + ti, PROXY, per, gsize, len(trecs), json.dumps(params, ensure_ascii=False))))
        start = per * gsize + 1
        while start <= len(trecs):
            end = min(start + per * gsize - 1, len(trecs))
            fb.route(path=PROXY, method="POST", query={"startrecord": str(start), "endrecord": str(end)},
                     form={"columnid": str(col + 1), "unitid": str(6000 + ti)}, content_type="text/xml; charset=utf-8",
                     body=_datastore(trecs[start - 1:end]))
            start = end + 1
    fb.write(f"{root}/col/col300/index.html", P("乡镇街道", H.list_ul(links)))


def build_jpaas(fb, slug="jp", county="兴化县", towns=("昌荣镇",), years=(2023, 2022), per_page=3):
    site = f"{county}人民政府"
    root = f"/{slug}"
    nav = [(f"{root}/index.html", "首页"), (f"{root}/col/col500/index.html", "政务公开")]
    P = lambda t, b, **k: H.chrome(site, t, b, nav=nav, **k)  # noqa: E731
    fb.portal(f"{O}{root}/index.html", name=site, region_code="321281", province="江苏省", city="泰州市", county=county)
    fb.write(f"{root}/index.html", P("首页", ""))
    fb.write(f"{root}/col/col500/index.html", P("政务公开", H.list_ul([
        (f"{root}/col/col501/index.html", "政府信息公开年报", ""), (f"{root}/col/col600/index.html", "镇街", "")])))
    api = "/api-gateway/jpaas-publish-server/front/page/build/unit"

    def column(colid, title, units):
        items = []
        for y in years:
            for unit in units:
                t = f"{unit}{y}年政府信息公开工作年度报告"
                u = f"{root}/col/col{colid}/art/{y + 1}/art_{fb.uid():032x}.html"
                fb.write(u, H.report_page(unit, t, fb.seed(), nav=nav)); fb.report(O + u)
                items.append((u, t, f"{y + 1}-01-19"))
        t = f"{units[0]}2023年政府信息公开工作年度报告图解"
        items.insert(1, (fb.decoy(f"{root}/col/col{colid}/art/2024/art_{fb.uid():032x}.html", site, t, "interpretation"), t, ""))
        qd = {"webId": "9", "tplSetId": "t52", "pageType": "column", "tagId": "信息列表", "editType": "null", "pageId": str(colid),
              "pageSize": per_page}
        fb.write(f"{root}/col/col{colid}/index.html", P(title, f"<div class=\"list\"></div><script type=\"text/javascript\" "
                 f"queryData='{json.dumps(qd, ensure_ascii=False)}' src=\"/js/jpaas.js\"></script>"))
        pages = [items[i:i + per_page] for i in range(0, len(items), per_page)] + [[]]
        for pn, chunk in enumerate(pages, 1):
            fb.route(path=api, query={"pageId": str(colid), "paramJson": json.dumps({"pageNo": pn, "pageSize": per_page}, separators=(",", ":"))},
                     content_type="application/json; charset=utf-8",
                     body=json.dumps({"success": True, "data": {"html": H.list_ul(chunk) if chunk else ""}}, ensure_ascii=False))

    column(501, "政府信息公开年报", [f"{county}人民政府", f"{county}住房和城乡建设局"])
    links = []
    for ti, town in enumerate(towns):
        links.append((f"{root}/col/col{610 + ti}/index.html", town, ""))
        fb.write(f"{root}/col/col{610 + ti}/index.html", P(town, H.list_ul([(f"{root}/col/col{620 + ti}/index.html", "政府信息公开年报", "")])))
        column(620 + ti, f"{town}政府信息公开年报", [f"{county}{town}"])
    fb.write(f"{root}/col/col600/index.html", P("镇街", H.list_ul(links)))
