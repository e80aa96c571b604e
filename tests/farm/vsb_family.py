"""A VSB/博达-style portal with no CMS signature the spider knows: a 更多>> link into the report
column (URL slug as the only evidence), list titles cut short without a title attribute, rows
opened by onclick, VSB reverse-numbered `/N.htm` pages, 【下载Word】【下载PDF】 links to a download
servlet without an extension, and a township column whose rows read only 查看."""
from __future__ import annotations

from . import html as H

O = "{{ORIGIN}}"


def build(fb, slug="vsb", county="秦安县", towns=("兴国镇", "莲花镇"), years=(2025, 2024, 2023, 2022, 2021)):
    site = f"{county}人民政府"
    root = f"/{slug}"
    nav = [(f"{root}/index.htm", "首页"), (f"{root}/xxgk.htm", "信息公开")]
    P = lambda t, b: H.chrome(site, t, b, nav=nav)  # noqa: E731
    fb.portal(f"{O}{root}/index.htm", name=site, region_code="620522", province="甘肃省", city="天水市", county=county)
    fb.write(f"{root}/index.htm", P("首页", '<div class="block"><h3>政府信息公开年报</h3>'
             f'<a class="more" href="{root}/zfxxgknb.htm">更多>></a></div>'
             f'<div class="block"><h3>通知公告</h3><a class="more" href="{root}/tzgg.htm">更多>></a></div>'))
    fb.write(f"{root}/tzgg.htm", P("通知公告", H.list_ul([])))
    fb.write(f"{root}/xxgk.htm", P("信息公开", H.list_ul([(f"{root}/xzxxgk.htm", "乡镇信息公开", "")])))

    def detail(title, unit):
        n = fb.uid()
        u = f"{root}/info/1021/{5000 + n}.htm"
        dl = f"{root}/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid={5000 + n}"
        fb.route(path=f"{root}/system/_content/download.jsp", query={"wbfileid": str(5000 + n)},
                 content_type="application/octet-stream", file=fb.write(f"{root}/_f{n}.pdf", H.real_attachment(fb, "pdf")).lstrip("/"))
        extra = f'<p class="tools">【<a href="{dl}">下载PDF</a>】【<a href="javascript:window.print()">打印</a>】</p>'
        fb.write(u, H.report_page(unit, title, fb.seed(), nav=nav, extra=extra, meta_cols=False))
        fb.report(O + u); fb.report(O + dl)
        return u

    rows = []
    for y in years:
        t = f"{county}{y}年政府信息公开工作年度报告"
        rows.append((detail(t, site), t))
    t = f"{county}{years[0]}年政府信息公开工作年度报告解读"
    rows.insert(1, (fb.decoy(f"{root}/info/1021/4999.htm", site, t, "interpretation"), t))
    pages = [rows[:3], rows[3:]]   # VSB: zfxxgknb.htm is the newest page, zfxxgknb/1.htm the older one
    for pi, chunk in enumerate(pages):
        body = "<table class='list'>" + "".join(
            (f"<tr onclick=\"window.open('{u}')\"><td>{H.esc(t)}</td><td>2025-01-20</td></tr>" if i % 2 else
             f"<tr><td><a href='{u}'>{H.esc(t[:18])}…</a></td><td>2025-01-20</td></tr>")
            for i, (u, t) in enumerate(chunk)) + "</table>"
        pager = f'<div class="pb">共2页 <a href="{root}/zfxxgknb.htm">首页</a> <a href="{root}/zfxxgknb/1.htm">尾页</a></div>'
        fb.write(f"{root}/zfxxgknb.htm" if pi == 0 else f"{root}/zfxxgknb/1.htm", P("政府信息公开年报", body + pager))
    links = []
    for ti, town in enumerate(towns):
        base = f"{root}/xz{ti}"
        links.append((f"{base}/index.htm", town, ""))
        fb.write(f"{base}/index.htm", P(town, H.list_ul([(f"{base}/xxgknb.htm", "信息公开年报", "")])))
        trs = []
        for y in years[:3]:
            t = f"{town}人民政府{y}年政府信息公开工作年度报告"
            u = detail(t, f"{county}{town}人民政府")
            trs.append(f"<tr><td>{H.esc(t)}</td><td>{y + 1}-01-15</td><td><a href='{u}'>查看</a></td></tr>")
        fb.write(f"{base}/xxgknb.htm", P(f"{town}信息公开年报", "<table>" + "".join(trs) + "</table>"))
    fb.write(f"{root}/xzxxgk.htm", P("乡镇信息公开", H.list_ul(links)))
