"""The six platform families of portals.md: URL shapes, list pages and their pagination.

A family writes a unit's report column (`write_column`) and knows its URL shapes (`detail_path`,
`unit_home`, `area_path`). Pagination mechanisms are those the platforms really use (§b7)."""
from __future__ import annotations

import json
import re
import string

from tests.farm import html as H

PROXY = "/module/web/jpage/dataproxy.jsp"
JPAAS_API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
NOSCRIPT = ("<noscript>您的浏览器不支持或已禁用JavaScript，请开启JavaScript后访问本页面。</noscript>",
            "<noscript><p>Please enable JavaScript to view this page.</p></noscript>")


def chunks(items, n):
    return [items[i:i + n] for i in range(0, len(items), n)] or [[]]


class Family:
    name = ""
    area_is_column = False      # the disclosure area is the report list app itself (gkmlpt)

    def __init__(self, ctx):
        self.c = ctx
        self.root = f"/{ctx.slug}"
        self.rng = ctx.rng
        self.per = self.rng.randint(3, 6)
        self.noscript = self.rng.choice(NOSCRIPT) if self.rng.random() < 0.6 else ""

    def uid(self):
        return self.c.fb.uid()

    def abbr(self, unit):
        return unit["abbr"]

    def home_path(self):
        return f"{self.root}/index.html"

    def area_path(self):
        return f"{self.root}/zwgk/index.html"

    def unit_home(self, unit):
        return f"{self.root}/{unit['abbr']}/index.html"

    def page(self, title, body):
        return self.c.page(title, body)


class TRS(Family):
    name = "trs"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.area = self.rng.choice(("zwgk", "xxgk", "zfxxgk"))
        self.slug = self.rng.choice(("zfxxgknb", "xxgknb", "zfxxgkndbg", "gknb", "ndbg", f"nb_{self.rng.randint(100, 999)}"))
        self.ext = self.rng.choice(("html", "shtml", "htm"))
        self.mode = self.rng.choice(("cph4", "paging"))
        self.year_columns = self.rng.random() < 0.5   # 政府信息公开年报 → 2023年度 → list


    def area_path(self):
        return f"{self.root}/{self.area}/index.{self.ext}"

    def _col(self, unit):
        return f"{self.root}/{self.area}/{self.slug}" if unit is None else f"{self.root}/{self.area}/xzjd/{unit['abbr']}/{self.slug}"

    def unit_home(self, unit):
        return f"{self.root}/{self.area}/xzjd/{unit['abbr']}/index.{self.ext}"

    def detail_path(self, unit, year):
        d = f"{year + 1}01"
        return f"{self._col(unit)}/{d}/t{d}{self.rng.randint(10, 28)}_{self.uid()}.{self.ext}"

    def write_column(self, unit, title, items):
        col = self._col(unit)
        if unit is None and self.year_columns:
            by_year: dict[str, list] = {}
            for it in items:
                m = re.search(r"(20\d\d)年", it[1])
                by_year.setdefault(m.group(1) if m else "其他", []).append(it)
            links = []
            for y, its in sorted(by_year.items(), reverse=True):
                links.append((self._pages(f"{col}/{y}n", f"{y}年度", its), f"{y}年度" if y != "其他" else "其他", ""))
            self.c.fb.write(f"{col}/index.{self.ext}", self.page(title, H.list_ul(links)))
            return f"{col}/index.{self.ext}"
        return self._pages(col, title, items)

    def _pages(self, col, title, items):
        pages = chunks(items, self.per)
        n = len(pages)
        for pi, chunk in enumerate(pages):
            if self.mode == "cph4":
                name = "index" if pi == 0 else f"index_{pi}"
                pager = f'<div class="page"><script>var countPage = {n};createPageHTML(countPage, {pi}, "index", "{self.ext}");</script></div>'
            else:
                name = "index" if pi == 0 else f"index_{pi + 1}"
                pager = (f'<div id="pageParam" data="{n}" url="./index"></div><script>function pageUrl(page)'
                         f'{{return "index" + (page == 1 ? "" : "_" + page) + ".{self.ext}";}}'
                         f"createPageHTML('paging', {n}, {pi + 1}, 'index', '{self.ext}', {len(items)});</script>")
            self.c.fb.write(f"{col}/{name}.{self.ext}", self.page(title, H.list_ul(chunk) + pager))
        return f"{col}/index.{self.ext}"


def _record(u, t, d):
    return f"<record><![CDATA[<li><a href='{u}' title='{t}' target='_blank'>{t}</a><span>{d}</span></li>]]></record>"


class Jcms(Family):
    name = "jcms"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.cols = {}
        self.post_groups = self.name == "jcms" and self.rng.random() < 0.5   # POST paging (else the GET nextgroup chain)
        self.pager = "post_groups" if self.post_groups else "nextgroup" if self.name == "jcms" else "paramJson"

    def colid(self, key):
        if key not in self.cols:
            self.cols[key] = 10000 + self.uid()
        return self.cols[key]

    def area_path(self):
        return f"{self.root}/col/col{self.colid('area')}/index.html"

    def unit_home(self, unit):
        return f"{self.root}/col/col{self.colid(('home', unit['abbr']))}/index.html"

    def detail_path(self, unit, year):
        cid = self.colid(("col", unit["abbr"] if unit else None))
        return f"{self.root}/art/{year + 1}/1/{self.rng.randint(10, 28)}/art_{cid}_{self.uid()}.html"

    def write_column(self, unit, title, items):
        cid = self.colid(("col", unit["abbr"] if unit else None))
        unitid = 5000 + cid
        recs = [_record(u, H.esc(t), d) for u, t, d in items]
        if self.post_groups:
            return self._post_column(cid, unitid, title, recs)
        groups = chunks(recs, self.per)
        q = f"appid=1&webid=3&path=/&columnid={cid}&unitid={unitid}&webname=%25E5%258E%25BF&permissiontype=0"
        for gi, g in enumerate(groups):
            ng = f'<a href="{PROXY}?page={gi + 2}&{q}"></a>' if gi + 1 < len(groups) else ""
            store = f"<datastore><nextgroup><![CDATA[{ng}]]></nextgroup><recordset>{''.join(g)}</recordset></datastore>"
            if gi == 0:
                body = (f'<div id="{unitid}"><script type="text/xml">{store}</script></div>{self.noscript}'
                        f"<script>$('#{unitid}').jpage({{totalRecord:{len(recs)},perPage:{self.per},groupSize:1}});</script>")
                self.c.fb.write(f"{self.root}/col/col{cid}/index.html", self.page(title, body))
            else:
                self.c.fb.route(path=PROXY, method="GET", query={"columnid": str(cid), "page": str(gi + 1)},
                                content_type="text/xml; charset=utf-8", body=store)
        return f"{self.root}/col/col{cid}/index.html"


    def _post_column(self, cid, unitid, title, recs):
        """Records after the first group come from POST dataproxy.jsp?startrecord=&endrecord= (form: columnid, unitid)."""
        params = {"col": 1, "appid": 1, "webid": 3, "path": "/", "columnid": cid, "sourceContentType": 1,
                  "unitid": unitid, "webname": "县", "permissiontype": 0}
        store = f"<datastore><nextgroup><![CDATA[]]></nextgroup><recordset>{''.join(recs[:self.per])}</recordset></datastore>"
        self.c.fb.write(f"{self.root}/col/col{cid}/index.html", self.page(title, (
            f'<div id="{unitid}"><script type="text/xml">{store}</script></div>{self.noscript}'
            "<script>$('#%d').jpage({dataStore: dataStore, proxyUrl:'%s', perPage:%d, groupSize:1, totalRecord:%d, "
            "ajaxParam: %s});</script>" % (unitid, PROXY, self.per, len(recs), json.dumps(params, ensure_ascii=False)))))
        start = self.per + 1
        while start <= len(recs):
            end = min(start + self.per - 1, len(recs))
            self.c.fb.route(path=PROXY, method="POST", query={"startrecord": str(start), "endrecord": str(end)},
                            form={"columnid": str(cid), "unitid": str(unitid)}, content_type="text/xml; charset=utf-8",
                            body=f"<datastore><recordset>{''.join(recs[start - 1:end])}</recordset></datastore>")
            start = end + 1
        return f"{self.root}/col/col{cid}/index.html"


class Jpaas(Jcms):
    name = "jpaas"

    def detail_path(self, unit, year):
        cid = self.colid(("col", unit["abbr"] if unit else None))
        return f"{self.root}/col/col{cid}/art/{year + 1}/art_{self.uid():032x}.html"

    def write_column(self, unit, title, items):
        cid = self.colid(("col", unit["abbr"] if unit else None))
        qd = {"webId": "9", "tplSetId": "t52", "pageType": "column", "tagId": "信息列表", "editType": "null",
              "pageId": str(cid), "pageSize": self.per}
        body = (f'<div class="list"></div>{self.noscript}<script type="text/javascript" '
                f"queryData='{json.dumps(qd, ensure_ascii=False)}' src=\"/js/jpaas.js\"></script>")
        self.c.fb.write(f"{self.root}/col/col{cid}/index.html", self.page(title, body))
        for pn, chunk in enumerate(chunks(items, self.per) + [[]], 1):
            self.c.fb.route(path=JPAAS_API, query={"pageId": str(cid), "paramJson": json.dumps(
                {"pageNo": pn, "pageSize": self.per}, separators=(",", ":"))}, content_type="application/json; charset=utf-8",
                body=json.dumps({"success": True, "data": {"html": H.list_ul(chunk) if chunk else ""}}, ensure_ascii=False))
        return f"{self.root}/col/col{cid}/index.html"


class Gkmlpt(Family):
    name = "gkmlpt"
    area_is_column = True

    def __init__(self, ctx):
        super().__init__(ctx)
        self.sid = str(self.rng.randint(700000, 799999))

    def _prefix(self, unit):
        return self.root if unit is None else f"{self.root}/{unit['abbr']}"

    def area_path(self):
        return f"{self.root}/gkmlpt/index"

    def unit_home(self, unit):
        return f"{self._prefix(unit)}/gkmlpt/index"

    def detail_path(self, unit, year):
        pid = 900000 + self.uid()
        return f"{self._prefix(unit)}/gkmlpt/content/0/{pid // 1000}/post_{pid}.html"

    def write_column(self, unit, title, items):
        prefix = self._prefix(unit)
        cat = 2000 + self.uid()
        tree = [{"id": cat - 1, "name": "政策文件"}, {"id": cat, "name": title}, {"id": cat + 1, "name": "财政预决算"}]
        self.c.fb.write(f"{prefix}/gkmlpt/index", self.page(
            "政府信息公开目录", f"<div id='app'></div>{self.noscript}<script>window._CONFIG = {{SID: '{self.sid}', "
            f"TREE: {json.dumps(tree, ensure_ascii=False)}, DETAIL: null}};</script><script src='/gkmlpt/static/app.js'></script>"))
        arts = [{"id": self.uid(), "title": t, "url": "{{ORIGIN}}" + u, "created_at": d} for u, t, d in items]
        for pi, chunk in enumerate(chunks(arts, self.per)):
            self.c.fb.route(path=f"{prefix}/gkmlpt/api/all/{cat}", query={"page": str(pi + 1), "sid": self.sid},
                            content_type="application/json; charset=utf-8",
                            body=json.dumps({"total": len(arts), "articles": chunk, "classify": {"post_count": len(arts)}},
                                            ensure_ascii=False))
        return f"{prefix}/gkmlpt/index"


class Lonsun(Family):
    name = "lonsun"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.orgs = {}
        self.cat = self.rng.randint(100, 999)
        self.view_rows = self.rng.random() < 0.5

    def org(self, unit):
        key = unit["abbr"] if unit else None
        if key not in self.orgs:
            self.orgs[key] = 1 if unit is None else 10 + len(self.orgs)
        return self.orgs[key]

    def area_path(self):
        return f"{self.root}/XxgkContent/showList/1/0/page_1.html"

    def _row(self, u, t, d):
        if self.view_rows and self.rng.random() < 0.5:   # the link only reads 查看; the title sits in the row
            return f'<tr><td class="bt">{H.esc(t)}</td><td class="cwrq">{d}</td><td><a href="{u}">查看</a></td></tr>'
        return f'<tr><td class="bt"><a href="{u}">{H.esc(t)}</a></td><td class="cwrq">{d}</td></tr>'

    def unit_home(self, unit):
        return f"{self.root}/XxgkContent/showList/{self.org(unit)}/0/page_1.html"

    def detail_path(self, unit, year):
        return f"{self.root}/XxgkAnnualReport/show/{6400 + self.uid()}.html"

    def write_column(self, unit, title, items):
        base = f"{self.root}/XxgkContent/showList/{self.org(unit)}/{self.cat}"
        pages = chunks(items, self.per)
        for pi, chunk in enumerate(pages, 1):
            trs = "".join(self._row(u, t, d) for u, t, d in chunk)
            pager = ('<div class="pagination"><a href="page_1.html">首页</a>'
                     + (f'<a href="page_{pi + 1}.html">下一页</a>' if pi < len(pages) else "")
                     + f'<a href="page_{len(pages)}.html">尾页</a></div>')
            self.c.fb.write(f"{base}/page_{pi}.html", self.page(title, f'<div class="search-list"><table><tbody>{trs}</tbody></table></div>{pager}'))
        return f"{base}/page_1.html"


class Plain(Family):
    """VSB/博达, ASP.NET and hand-made sites: the pager form is drawn from the pools."""
    name = "plain"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.pager = self.rng.choice(ctx.pools["plain_pagers"])
        self.detail_shape = self.rng.choice(("info", "content", "detail", "doc", "xxgk-show"))
        self.titles = self.rng.choice(ctx.pools["list_titles"])
        self.cols = 0

    def area_path(self):
        return f"{self.root}/xxgk/index.htm"

    def unit_home(self, unit):
        return f"{self.root}/{unit['abbr']}/index.htm"

    def detail_path(self, unit, year):
        n = self.uid()
        sub = f"/{unit['abbr']}" if unit else ""
        return {"info": f"{self.root}{sub}/info/1021/{5000 + n}.htm", "content": f"{self.root}{sub}/content/{n}.html",
                "detail": f"{self.root}{sub}/detail/{year + 1}0118{n:09d}.html",
                "doc": f"{self.root}{sub}/doc_{n:024x}.html", "xxgk-show": f"{self.root}{sub}/xxgk-show-{n}.html"}[self.detail_shape]

    def _rows(self, chunk):
        return '<div class="info-list">' + "".join(
            f'<p><a href="{u}" target="_blank"{self._anchor(t)}</a><span>{d}</span></p>' for u, t, d in chunk) + "</div>"

    def _anchor(self, t):
        """The rest of an <a> tag: the list may cut long titles (with or without a title attribute)."""
        if self.titles == "full" or len(t) <= 16:
            return f">{H.esc(t)}"
        cut = H.esc(t[:16]) + "…"
        return f' title="{H.esc(t)}">{cut}' if self.titles == "truncated_with_title" else f">{cut}"

    def write_column(self, unit, title, items):
        self.cols += 1
        fb = self.c.fb
        pages = chunks(items, self.per)
        n = len(pages)
        slug = "".join(self.rng.choice(string.ascii_lowercase) for _ in range(4)) + str(self.cols)
        if self.pager in ("query_page", "postback"):
            cid = 1000 + self.uid()
            url = lambda k: f"{self.root}/List.aspx?cid={cid}&page={k}"  # noqa: E731
            for k, chunk in enumerate(pages, 1):
                if self.pager == "query_page":
                    nums = " ".join(f'<a href="List.aspx?cid={cid}&amp;page={j}">{j}</a>' for j in range(1, min(n, 3) + 1))
                    pager = (f'<div class="pages">共{n}页 {nums} <a href="List.aspx?cid={cid}&amp;page={min(k + 1, n)}">下一页</a>'
                             f' <a href="List.aspx?cid={cid}&amp;page={n}">尾页</a></div>')
                    fb.put(url(k), self.page(title, self._rows(chunk) + pager))
                    continue
                nums = " ".join(f"<a href=\"javascript:__doPostBack('ctl00$Main$Pager','{j}')\">{j}</a>" for j in range(1, n + 1))
                form = (f'<form name="aspnetForm" method="post" action="./List.aspx?cid={cid}" id="aspnetForm">'
                        '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
                        '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
                        f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUK{cid}{k}MTY=" />'
                        '<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEWAgL+raDpAgKM54rGBg==" />'
                        + self._rows(chunk) + f'<div class="pager">共{n}页 {nums}</div></form>'
                        "<script>function __doPostBack(t,a){var f=document.forms['aspnetForm'];f.__EVENTTARGET.value=t;"
                        "f.__EVENTARGUMENT.value=a;f.submit();}</script>")
                page = self.page(title, form)
                if k == 1:  # GET only: the postback POSTs to the same URL must reach their own routes
                    fb.put(f"{self.root}/List.aspx?cid={cid}", page, method="GET")
                f = fb.write(f"/_q/{self.uid()}.html", page).lstrip("/")
                fb.route(path=f"{self.root}/List.aspx", method="POST", query={"cid": str(cid)},
                         form={"__EVENTTARGET": "ctl00$Main$Pager", "__EVENTARGUMENT": str(k)}, file=f,
                         content_type="text/html; charset=utf-8")
            return f"{self.root}/List.aspx?cid={cid}" if self.pager == "postback" else url(1)
        if self.pager == "slash_n":
            base = f"{self.root}/{slug}"
            for k, chunk in enumerate(pages, 1):
                pager = " ".join(f'<a href="{j}.html">{j}</a>' for j in range(1, n + 1)) + f' <a href="{n}.html">尾页</a>'
                fb.write(f"{base}/{k}.html", self.page(title, self._rows(chunk) + pager))
            return f"{base}/1.html"
        if self.pager == "next_links":
            base = f"{self.root}/html/{slug}"
            for k, chunk in enumerate(pages, 1):
                name = "list.html" if k == 1 else f"list_{k}.html"
                pager = f'<div class="page"><span>第{k}页</span>' + (f' <a href="list_{k + 1}.html">下一页</a>' if k < n else "") + "</div>"
                fb.write(f"{base}/{name}", self.page(title, self._rows(chunk) + pager))
            return f"{base}/list.html"
        # vsb_reverse: slug.htm is the newest page, slug/{n-1}.htm … slug/1.htm the older ones
        for k, chunk in enumerate(pages):
            path = f"{self.root}/{slug}.htm" if k == 0 else f"{self.root}/{slug}/{n - k}.htm"
            nxt = f"{slug}/{n - k - 1}.htm" if k == 0 else f"{n - k - 1}.htm"
            pager = (f'<div class="pb">共{n}页 <a href="{self.root}/{slug}.htm">首页</a>'
                     + (f' <a href="{nxt}">下页</a>' if k + 1 < n else "")
                     + (f' <a href="{self.root}/{slug}/1.htm">尾页</a>' if n > 1 else "") + "</div>")
            fb.write(path, self.page(title, self._rows(chunk) + pager))
        return f"{self.root}/{slug}.htm"


FAMILIES = {f.name: f for f in (TRS, Jcms, Jpaas, Gkmlpt, Lonsun, Plain)}
