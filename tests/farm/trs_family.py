"""TRS WCM county portal: xxgk area, year sub-columns paged by createPageHTML (4-arg 0-based,
6-arg 'paging' 1-based, 6-arg ambiguous), township sub-trees behind JS/meta redirect shells, a
javascript:next(N) pager, _wap twins, a 301, a 404, a robots-disallowed report, a page whose
<meta charset> lies, P0….pdf attachments and an attachment-only report, decoys of every kind."""
from __future__ import annotations

from . import html as H

O = "{{ORIGIN}}"


def _cph4(n):
    return f'<div class="page"><script>var countPage = {n};createPageHTML(countPage, 0, "index", "html");</script></div>'


def build(fb, slug: str = "trs", county: str = "青山县", towns=("城关镇", "黄花乡", "东城街道"), years=(2023, 2022, 2021),
          extra_reports: int = 0):
    site = f"{county}人民政府"
    root = f"/{slug}"
    nav = [(f"{root}/index.html", "首页"), (f"{root}/zwgk/index.html", "政务公开"), (f"{root}/xwzx/index.html", "新闻中心"),
           (f"{root}/hdjl/index.html", "互动交流")]
    P = lambda t, b, **k: H.chrome(site, t, b, nav=nav, **k)  # noqa: E731
    fb.portal(f"{O}{root}/index.html", name=site, region_code="420100", province="湖北省", city="示例市", county=county)

    # home: a news decoy, an off-scope mirror copy and a spam domain copy of a report
    fb.decoy(f"{root}/xwzx/202401/t20240120_1.html", site, f"《{county}2023年政府信息公开工作年度报告》公布", "news")
    home_items = [
        (f"{root}/xwzx/202401/t20240120_1.html", f"《{county}2023年政府信息公开工作年度报告》公布", "2024-01-20"),
        ("{{MIRROR}}/mirror/copy.html", f"{county}2023年政府信息公开工作年度报告", "2024-01-21"),
        ("http://www.spam-copy.example.com/a.html", f"{county}2022年政府信息公开工作年度报告", "2023-01-21")]
    fb.write(f"{root}/xwzx/index.html", P("新闻中心", H.list_ul([])))
    fb.write(f"{root}/zwgk/index.html", P("政务公开", H.list_ul([
        (f"{root}/zwgk/zfxxgkzn/index.html", "政府信息公开指南", ""), (f"{root}/zwgk/zfxxgkzd/index.html", "政府信息公开制度", ""),
        (f"{root}/zwgk/fdzdgknr/index.html", "法定主动公开内容", ""), (f"{root}/zwgk/zfxxgknb/index.html", "政府信息公开年报", ""),
        (f"{root}/zwgk/ysqgk/index.html", "依申请公开", ""), (f"{root}/zwgk/xzjd/index.html", "乡镇街道", ""),
        (f"{root}/zwgk/zdly/index.html", "重点领域信息公开", "")])))
    # an area page that is a long list of other things: visited, never paged through
    fb.write(f"{root}/zwgk/zdly/index.html", P("重点领域信息公开", H.list_ul(
        [(f"{root}/zwgk/zdly/202401/t2024010{k}_{fb.uid()}.html", f"{county}第{k}批重点项目公示", "") for k in range(5)])
        + '<script>createPageHTML(50, 0, "index", "html");</script>'))
    fb.decoy(f"{root}/zwgk/zfxxgkzn/index.html", site, f"{county}人民政府信息公开指南", "guide")
    fb.write(f"{root}/zwgk/fdzdgknr/index.html", P("法定主动公开内容", H.list_ul([
        (f"{root}/zwgk/fdzdgknr/tzgg/index.html", "通知公告", ""), (f"{root}/zwgk/fdzdgknr/czyjs/index.html", "财政预决算", "")])))
    fb.write(f"{root}/zwgk/fdzdgknr/tzgg/index.html", P("通知公告", ""))

    # the report column: year sub-columns
    fb.write(f"{root}/zwgk/zfxxgknb/index.html", P("政府信息公开年报", H.list_ul(
        [(f"{root}/zwgk/zfxxgknb/{y}n/index.html", f"{y}年度", "") for y in years])))

    def detail(path, title, *, charset="utf-8", extra="", body=None, meta_lie=False):
        url = f"{root}/zwgk/zfxxgknb/{path}"
        page = H.report_page(site, title, fb.seed(), charset=charset, extra=extra, nav=nav, body_override=body)
        if meta_lie:  # UTF-8 bytes under a <meta charset=gbk>: Scrapy's own decode gives mojibake
            page = page.replace('charset=utf-8', 'charset=gbk')
        fb.write(url, page)
        return url

    for yi, y in enumerate(years):
        col = f"{root}/zwgk/zfxxgknb/{y}n"
        items = []
        d = f"{y + 1}01"
        u = detail(f"{y}n/{d}/t{y + 1}0118_{fb.uid()}.html", f"{county}人民政府{y}年政府信息公开工作年度报告")
        items.append((u, f"{county}人民政府{y}年政府信息公开工作年度报告", f"{y + 1}-01-18")); fb.report(O + u)
        for dep in ("县教育局", "县财政局", "县人民政府办公室")[: 3 if yi == 0 else 1]:
            t = f"{county[:-1]}{dep[1:]}{y}年政府信息公开工作年度报告"
            u = detail(f"{y}n/{d}/t{y + 1}0120_{fb.uid()}.html", t)
            items.append((u, t, f"{y + 1}-01-20")); fb.report(O + u)
        for i in range(extra_reports):
            t = f"{county[:-1]}第{i + 1}直属单位{y}年政府信息公开工作年度报告"
            u = detail(f"{y}n/{d}/t{y + 1}0121_{fb.uid()}.html", t)
            items.append((u, t, f"{y + 1}-01-21")); fb.report(O + u)
        for kind, t in (("interpretation", f"文字解读：{county}{y}年政府信息公开工作年度报告"),
                        ("budget", f"{county}{y}年部门决算公开"),
                        ("notice", f"关于做好{y}年政府信息公开工作年度报告编制发布工作的通知"),
                        ("website", f"{county}人民政府网站{y}年度工作报表"),
                        ("stats", f"关于集中报批{y}年统计年报和{y + 1}年定期统计报表制度的通知")):
            u = fb.decoy(f"{col}/{d}/t{y + 1}0125_{fb.uid()}.html", site, t, kind)
            items.append((u, t, f"{y + 1}-01-25"))
        if yi == 0:
            # _wap twin: the list links the mobile twin; the desktop page is the report
            n = fb.uid()
            t = f"{county[:-1]}民政局{y}年度政府信息公开工作报告"
            u = detail(f"{y}n/{d}/t{y + 1}0122_{n}.html", t)
            fb.write(f"{col}/{d}/t{y + 1}0122_{n}_wap.html", H.report_page(site, t, fb.seed()))
            items.append((f"{col}/{d}/t{y + 1}0122_{n}_wap.html", t, "")); fb.report(O + u)
            # a moved report: 301 to its new place
            t = f"{county[:-1]}卫生健康局{y}年政府信息公开工作年度报告"
            u = detail(f"{y}n/{d}/t{y + 1}0123_{fb.uid()}.html", t)
            fb.route(path=f"{col}/old/moved.html", status=301, location=u)
            items.append((f"{col}/old/moved.html", t, "")); fb.report(O + u)
            # broken link (404), robots-disallowed report
            t = f"{county[:-1]}司法局{y}年政府信息公开工作年度报告"
            items.append((f"{col}/{d}/t{y + 1}0124_gone.html", t, "")); fb.problem("http_error", f"{O}{col}/{d}/t{y + 1}0124_gone.html")
            t = f"{county[:-1]}审计局{y}年政府信息公开工作年度报告"
            fb.write(f"/trs/private/t{y}_{fb.uid()}.html", H.report_page(site, t, fb.seed()))
            items.append((f"/trs/private/t{y}_{fb._n}.html", t, "")); fb.problem("robots_disallowed", f"{O}/trs/private/t{y}_{fb._n}.html")
            # a UTF-8 page whose meta says gbk
            t = f"{county[:-1]}水利局{y}年政府信息公开工作年度报告"
            u = detail(f"{y}n/{d}/t{y + 1}0126_{fb.uid()}.html", t, meta_lie=True)
            items.append((u, t, "")); fb.report(O + u)
            # an HTML report with a P0….pdf attachment, and an attachment-only report page
            t = f"{county[:-1]}交通运输局{y}年政府信息公开工作年度报告"
            pdf = f"{col}/{d}/P0{y + 1}0127123456789.pdf"
            fb.write(pdf, H.real_attachment(fb, "pdf"))
            u = detail(f"{y}n/{d}/t{y + 1}0127_{fb.uid()}.html", t,
                       extra=f'<div class="fj">附件：<a href="./P0{y + 1}0127123456789.pdf" OLDSRC="/protect/P0{y + 1}0127123456789.pdf">{t}.pdf</a></div>')
            items.append((u, t, "")); fb.report(O + u); fb.report(O + pdf)
            t = f"{county[:-1]}农业农村局{y}年政府信息公开工作年度报告（图片版）"
            doc = f"{col}/{d}/P0{y + 1}0128000000001.doc"
            fb.write(doc, H.FAKE_DOC)
            u = detail(f"{y}n/{d}/t{y + 1}0128_{fb.uid()}.html", t, body="<p>详见附件。</p>",
                       extra=f'<p>附件：<a href="./P0{y + 1}0128000000001.doc">附件1</a></p>')
            items.append((u, t, "")); fb.report(O + u); fb.report(O + doc)
        per = 5
        pages = [items[i:i + per] for i in range(0, len(items), per)]
        n = len(pages)
        for pi, chunk in enumerate(pages):
            name = "index.html" if pi == 0 else (f"index_{pi}.html" if yi != 1 else f"index_{pi + 1}.html")
            if yi == 0:
                pager = _cph4(n)
            elif yi == 1:
                pager = (f'<div id="pageParam" data="{n}" url="./index"></div><script>function pageUrl(page)'
                         '{return "index" + (page == 1 ? "" : "_" + page) + ".html";}'
                         f"createPageHTML('paging', {n}, {pi + 1}, 'index', 'html', {len(items)});</script>")
            else:
                pager = f"<script>createPageHTML('page_div', {n}, {pi + 1}, 'index', 'html', {len(items)});</script>"
            fb.write(f"{col}/{name}", P(f"{y}年度", H.list_ul(chunk) + pager))

    # townships: directory → town home (direct / JS shell / meta shell) → 年报 column
    town_links = []
    for ti, town in enumerate(towns):
        abbr = f"t{ti}_{1000 + ti}"
        home = f"{root}/zwgk/xzjd/{abbr}/index.html"
        real = home
        if ti == 1:
            real = f"{root}/zwgk/xzjd/{abbr}/zwgk_2002/index.html"
            fb.write(home, "<html><head><script>window.location.href='./zwgk_2002/index.html';</script></head><body></body></html>")
        elif ti == 2:
            real = f"{root}/zwgk/xzjd/{abbr}/xxgk/index.html"
            fb.write(home, '<html><head><meta http-equiv="refresh" content="0;url=./xxgk/index.html"></head><body>跳转中…</body></html>')
        town_links.append((home, town, ""))
        base = real.rsplit("/", 1)[0]
        fb.write(real, P(town, H.list_ul([(f"{base}/zfxxgkzn/index.html", "政府信息公开指南", ""),
                                           (f"{base}/zfxxgknb/index.html", "政府信息公开年报", "")])))
        items = []
        for y in years:
            t = f"{county}{town}{y}年政府信息公开工作年度报告"
            u = f"{base}/zfxxgknb/{y + 1}01/t{y + 1}0115_{fb.uid()}.html"
            fb.write(u, H.report_page(f"{county}{town}人民政府", t, fb.seed(), nav=nav))
            items.append((u, t, f"{y + 1}-01-15")); fb.report(O + u)
            if ti == 0 and y == years[0]:
                home_items.append((u, t, ""))   # the same report in a second place (duplicate)
        items.append((fb.decoy(f"{base}/zfxxgknb/202402/t20240201_{fb.uid()}.html", site, f"{town}2023年政务公开工作总结", "summary"),
                      f"{town}2023年政务公开工作总结", ""))
        items.append((fb.decoy(f"{base}/zfxxgknb/202402/t20240202_{fb.uid()}.html", site, f"{town}2024年政务公开工作要点", "summary"),
                      f"{town}2024年政务公开工作要点", ""))
        if ti == 0:   # javascript:next(N) over static index_N files; the county's 2023 report of the town is listed twice
            half = [items[:3], items[3:]]
            pager = '<div class="pages"><a href="javascript:next(1)">1</a> <a href="javascript:next(2)">2</a> <a href="javascript:next(2)">下一页</a></div>'
            fb.write(f"{base}/zfxxgknb/index.html", P(f"{town}政府信息公开年报", H.list_ul(half[0]) + pager))
            fb.write(f"{base}/zfxxgknb/index_1.html", P(f"{town}政府信息公开年报", H.list_ul(half[1]) + pager))
        else:
            fb.write(f"{base}/zfxxgknb/index.html", P(f"{town}政府信息公开年报", H.list_ul(items)))
    fb.write(f"{root}/zwgk/xzjd/index.html", P("乡镇街道", H.list_ul(town_links)))
    fb.write(f"{root}/index.html", P("首页", H.list_ul(home_items)))
    fb.write("/mirror/copy.html", H.report_page("某镜像站", f"{county}2023年政府信息公开工作年度报告", fb.seed()))
