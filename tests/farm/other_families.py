"""Guangdong gkmlpt (SID in window._CONFIG, api/all JSON, a town sub-app paging from 0), Anhui
Lonsun (page_N lists, unit directory, XxgkAnnualReport rows that read 查看, .m-file-download), and an
ASP.NET query-string site served as charset-less GBK, with a soft 404, anti-bot pages and a /N.html
town list."""
from __future__ import annotations

import json

from . import html as H

O = "{{ORIGIN}}"


def build_gkmlpt(fb, slug="gd", county="陆丰县", towns=(("lfshdz", "湖东镇"),), years=(2023, 2022, 2021), per=4):
    site = f"{county}人民政府"
    root = f"/{slug}"
    nav = [(f"{root}/index.html", "首页"), (f"{root}/gkmlpt/index", "政府信息公开")]
    P = lambda t, b, **k: H.chrome(site, t, b, nav=nav, **k)  # noqa: E731
    fb.portal(f"{O}{root}/index.html", name=site, region_code="441581", province="广东省", city="汕尾市", county=county)
    fb.write(f"{root}/index.html", P("首页", H.list_ul([(f"{root}/zwgk/zjxx/index.html", "镇街信息公开", "")])))

    def app(prefix, sid, unit, cat, zero_based=False, blocked_one=False):
        tree = [{"id": 1000, "name": "政策文件"}, {"id": cat, "name": "政府信息公开年报"}, {"id": 1002, "name": "财政预决算"}]
        fb.write(f"{prefix}/gkmlpt/index", P("政府信息公开目录", f"<div id='app'></div><script>window._CONFIG = {{SID: '{sid}', "
                 f"TREE: {json.dumps(tree, ensure_ascii=False)}, DETAIL: null}};</script><script src='/gkmlpt/static/app.js'></script>"))
        arts = []
        for y in years:
            for u_name in (unit,) if prefix != root else (unit, f"{county}农业农村局"):
                t = f"{u_name}{y}年政府信息公开工作年度报告"
                pid = 900000 + fb.uid()
                u = f"{prefix}/gkmlpt/content/0/{pid // 1000}/post_{pid}.html"
                fb.write(u, H.report_page(u_name, t, fb.seed(), nav=nav)); fb.report(O + u)
                arts.append({"id": pid, "title": t, "url": O + u, "created_at": f"{y + 1}-01-20"})
        t = f"{unit}2023年政府信息公开工作年度报告公布情况"
        u = fb.decoy(f"{prefix}/gkmlpt/content/0/999/post_{fb.uid()}.html", site, t, "notice")
        arts.insert(1, {"id": 1, "title": t, "url": O + u})
        if blocked_one:  # a report link answered by a 加速乐 521 cookie challenge
            t = f"{county}应急管理局2023年政府信息公开工作年度报告"
            u = f"{prefix}/gkmlpt/content/0/998/post_998001.html"
            fb.route(path=u, status=521, content_type="text/html",
                     body="<script>document.cookie=('__jsl_clearance_s=1700000000.123|0|abc');location.href=location.pathname+location.search</script>")
            arts.append({"id": 998001, "title": "%u" + "%u".join(f"{ord(c):04x}" for c in t), "url": O + u})
            fb.problem("blocked", O + u)
        pages = [arts[i:i + per] for i in range(0, len(arts), per)]
        base_page = 0 if zero_based else 1
        for pi, chunk in enumerate(pages):
            fb.route(path=f"{prefix}/gkmlpt/api/all/{cat}", query={"page": str(pi + base_page), "sid": sid},
                     content_type="application/json; charset=utf-8",
                     body=json.dumps({"total": len(arts), "articles": chunk, "classify": {"post_count": len(arts)}}, ensure_ascii=False))
        if zero_based:  # page=1 of a 0-based site repeats… nothing: it answers an empty list
            pass

    app(root, "755041", county + "人民政府", 2001, blocked_one=True)
    links = []
    for key, town in towns:
        links.append((f"/{slug}/{key}/gkmlpt/index", town, ""))
        app(f"/{slug}/{key}", "755099", county + town, 3001)
    fb.write(f"{root}/zwgk/zjxx/index.html", P("镇街信息公开", H.list_ul(links)))


def build_lonsun(fb, slug="ls", county="谯城区", towns=(("31", "五马镇人民政府"), ("32", "城父镇人民政府")), years=(2023, 2022, 2021)):
    site = f"亳州市{county}人民政府"
    root = f"/{slug}"
    nav = [(f"{root}/index.html", "首页"), (f"{root}/XxgkContent/showList/1/0/page_1.html", "政府信息公开")]
    P = lambda t, b, **k: H.chrome(site, t, b, nav=nav, **k)  # noqa: E731
    fb.portal(f"{O}{root}/index.html", name=site, region_code="341602", province="安徽省", city="亳州市", county=county)
    fb.write(f"{root}/index.html", P("首页", ""))
    units = [("1", f"{county}人民政府办公室")] + list(towns)
    fb.write(f"{root}/XxgkContent/showList/1/0/page_1.html", P("政府信息公开", H.list_ul(
        [(f"{root}/XxgkContent/showList/1/900/page_1.html", "政府信息公开年报", "")] +
        [(f"{root}/XxgkContent/showList/{oid}/0/page_1.html", name, "") for oid, name in units[1:]])))
    for oid, name in units:
        if oid != "1":
            fb.write(f"{root}/XxgkContent/showList/{oid}/0/page_1.html", P(name, H.list_ul([
                (f"{root}/XxgkContent/showList/{oid}/900/page_1.html", "政府信息公开年报", ""),
                (f"{root}/XxgkContent/showList/{oid}/901/page_1.html", "工作推进", "")])))
        rows = []
        for y in years:
            t = f"亳州市{county}{name.replace(county, '')}{y}年政府信息公开工作年度报告"
            rid = fb.uid()
            u = f"{root}/XxgkAnnualReport/show/{6400 + rid}.html"
            extra = ""
            if y == years[0]:
                f = f"{root}/UserFiles/Public/{rid}.docx"
                fb.write(f, H.real_attachment(fb, "docx") if oid != "1" else H.CORRUPT_DOCX); fb.report(O + f)
                extra = f'<div class="m-file-download"><a href="{f}">{t}.docx</a></div>'
            fb.write(u, H.report_page(name, t, fb.seed(), nav=nav, extra=extra)); fb.report(O + u)
            rows.append((u, "查看" if y == years[1] else t))
        t = f"{name[:3]}{years[0]}年政务公开总结"
        rows.insert(1, (fb.decoy(f"{root}/XxgkContent/show/{2738000 + fb.uid()}.html", site, t, "summary"), t))
        pages = [rows[i:i + 2] for i in range(0, len(rows), 2)]
        for pi, chunk in enumerate(pages, 1):
            trs = "".join(f'<tr><td class="bt"><a href="{u}">{H.esc(t)}</a></td><td class="cwrq">2024-01-2{pi}</td></tr>' for u, t in chunk)
            pager = ('<div class="pagination"><a href="page_1.html">首页</a>'
                     + (f'<a href="page_{pi + 1}.html">下一页</a>' if pi < len(pages) else "")
                     + f'<a href="page_{len(pages)}.html">尾页</a></div>')
            fb.write(f"{root}/XxgkContent/showList/{oid}/900/page_{pi}.html",
                     P(f"{name}政府信息公开年报", f'<div class="search-list"><table><tbody>{trs}</tbody></table></div>{pager}'))


def build_aspx(fb, slug="asp", county="临洮县", towns=("新添镇",), years=(2023, 2022, 2021, 2020)):
    """Charset-less GBK everywhere; query-string lists with a ?page=N pager; a /N.html town list."""
    site = f"{county}人民政府"
    root = f"/{slug}"
    gbk = lambda s: s.encode("gb18030")  # noqa: E731
    nav = [(f"{root}/Default.aspx", "首页"), (f"{root}/InfoPublic.aspx?cid=10", "信息公开")]
    P = lambda t, b: H.chrome(site, t, b, nav=nav, charset="gb2312")  # noqa: E731
    fb.portal(f"{O}{root}/Default.aspx", name=site, region_code="621124", province="甘肃省", city="定西市", county=county)
    fb.route(prefix=f"{root}/", content_type="text/html")
    fb.route(path=f"{root}/Default.aspx", content_type="text/html", body="", file=fb.write(f"{root}/_home.html", gbk(P("首页", ""))).lstrip("/"))
    area = P("信息公开", H.list_ul([(f"{root}/InfoPublic.aspx?cid=1019&pid=971&page=1&kw=", "政府信息公开年报", ""),
                                  (f"{root}/zfxxgk/xzjd/index.html", "乡镇信息公开", "")]))
    fb.route(path=f"{root}/InfoPublic.aspx", query={"cid": "10"}, content_type="text/html",
             file=fb.write(f"{root}/_area.html", gbk(area)).lstrip("/"))
    items = []
    for y in years:
        for unit in ("人民政府", "教育局"):
            t = f"{county}{unit}{y}年政府信息公开工作年度报告"
            n = fb.uid()
            fb.route(path=f"{root}/InfoDetail.aspx", query={"id": str(n)}, content_type="text/html",
                     file=fb.write(f"{root}/_d{n}.html", gbk(H.report_page(site, t, fb.seed(), charset="gb2312", nav=nav))).lstrip("/"))
            items.append((f"{root}/InfoDetail.aspx?id={n}", t, f"{y + 1}-01-10")); fb.report(f"{O}{root}/InfoDetail.aspx?id={n}")
    t = f"{county}林业和草原局2023年政府信息公开工作年度报告"
    fb.route(path=f"{root}/InfoDetail.aspx", query={"id": "999"}, content_type="text/html",
             body="<html><head><title>提示</title></head><body><div>该信息已删除或不存在！</div><a href='/'>返回首页</a></body></html>")
    items.insert(2, (f"{root}/InfoDetail.aspx?id=999", t, "")); fb.problem("soft_404", f"{O}{root}/InfoDetail.aspx?id=999")
    t = f"{county}城市管理局2023年政府信息公开工作年度报告"
    fb.route(path=f"{root}/InfoDetail.aspx", query={"id": "998"}, content_type="text/html", body="")
    items.insert(3, (f"{root}/InfoDetail.aspx?id=998", t, "")); fb.problem("blocked", f"{O}{root}/InfoDetail.aspx?id=998")
    t = f"{county}2023年度统计年报数据"
    items.insert(4, (fb.decoy(f"{root}/decoy/tj2023.html", site, t, "stats"), t, ""))
    per = 3
    pages = [items[i:i + per] for i in range(0, len(items), per)]
    for pi, chunk in enumerate(pages, 1):
        nums = "".join(f'<a href="InfoPublic.aspx?cid=1019&amp;pid=971&amp;page={k}&amp;kw=">{k}</a> ' for k in range(1, min(3, len(pages)) + 1))
        pager = (f'<div class="pages">共{len(pages)}页 {nums}<a href="InfoPublic.aspx?cid=1019&amp;pid=971&amp;page={min(pi + 1, len(pages))}&amp;kw=">下一页</a>'
                 f'<a href="InfoPublic.aspx?cid=1019&amp;pid=971&amp;page={len(pages)}&amp;kw=">尾页</a></div>')
        body = '<div class="info-list">' + "".join(f'<p><a href="{u}">{H.esc(t)}</a><span>{d}</span></p>' for u, t, d in chunk) + "</div>" + pager
        fb.route(path=f"{root}/InfoPublic.aspx", query={"cid": "1019", "page": str(pi)}, content_type="text/html",
                 file=fb.write(f"{root}/_l{pi}.html", gbk(P("政府信息公开年报", body))).lstrip("/"))
    # a blank-200 / 412 list link: counted, never an item
    fb.route(path=f"{root}/zfxxgk/waf.html", status=412, content_type="text/html",
             body="<html><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=12345;</script></html>")
    links = [(f"{root}/zfxxgk/waf.html", "部门信息公开", "")]
    for ti, town in enumerate(towns):
        base = f"{root}/zfxxgk/xzjd/t{ti}/zfxxgknb"
        links.append((f"{base}/1.html", town, ""))
        reps = []
        for y in years:
            t = f"{county}{town}人民政府{y}年政府信息公开工作年度报告"
            u = fb.write(f"{root}/zfxxgk/xzjd/t{ti}/{y}/{fb.uid()}.html", gbk(H.report_page(town, t, fb.seed(), charset="gb2312")))
            reps.append((u, t, "")); fb.report(O + u)
        pages = [reps[i:i + 2] for i in range(0, len(reps), 2)]
        for pi, chunk in enumerate(pages, 1):
            pager = "".join(f'<a href="{k}.html">{k}</a> ' for k in range(1, len(pages) + 1)) + f'<a href="{len(pages)}.html">尾页</a>'
            fb.write(f"{base}/{pi}.html", gbk(P(f"{town}政府信息公开年报", H.list_ul(chunk) + pager)))
    fb.write(f"{root}/zfxxgk/xzjd/index.html", gbk(P("乡镇信息公开", H.list_ul(links))))
