"""Hanweb 大汉, the platform's one home: detector, list readers and requests (portals.md §b2, §b4).

- jcms: records inside `<script type="text/xml"><datastore>` (CDATA HTML), paged through
  `dataproxy.jsp` by GET (`nextgroup` href) or POST (`startrecord/endrecord/perpage` + form body).
- jpaas: `<script queryData="{…}">` → `GET …/front/page/build/unit?…&paramJson={"pageNo":N,"pageSize":R}`
  → JSON `{"data": {"html": "<li>…"}}`; an empty html ends the list.
The readers are pure functions (tests/test_discovery_platforms.py); the mixins below use only the
crawler's public API (make_request, follow_anchors, pages_worth_paging, page_of, report_problem …).
"""
from __future__ import annotations

import json
import re
from typing import NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit

import lxml.html

from crawler.discovery import links as L

# ---------------------------------------------------------------- Hanweb jcms datastore
_DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</nextgroup>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*['"]([^'"]+)['"]""", re.I)
_JPAGE = re.compile(r"\.jpage\s*\(\s*\{(.*?)\}\s*\)", re.S)
_JS_KV = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w./-]+))""")
_AJAX_PARAM = re.compile(r"ajaxParam\w*\s*:\s*\{(.*?)\}", re.S)
DATAPROXY_PATHS = ("/module/web/jpage/dataproxy.jsp", "/module/jpage/dataproxy.jsp",
                   "/module/jslib/jquery/jpage/dataproxy.jsp")


class Datastore(NamedTuple):
    records: list[str]        # HTML fragments, one per record
    nextgroup: str | None     # absolute URL of the next group, or None


def parse_datastore(text: str, base_url: str) -> Datastore | None:
    """The first `<datastore>` in a column page or a dataproxy.jsp answer."""
    m = _DATASTORE.search(text)
    if not m:
        return None
    body = m.group(1)
    records = _RECORD.findall(body)
    nxt = None
    nm = _NEXTGROUP.search(body)
    if nm:
        hm = _HREF.search(nm.group(1))
        if hm and hm.group(1).strip():
            nxt = urljoin(base_url, hm.group(1).strip().replace("&amp;", "&"))
    return Datastore(records, nxt)


def _js_object(src: str) -> dict[str, str]:
    return {k: (a if a is not None and a != "" else b if b else c) for k, a, b, c in _JS_KV.findall(src)}


class DataproxyPlan(NamedTuple):
    url: str                  # dataproxy.jsp URL without the startrecord/endrecord query
    form: dict[str, str]      # POST form body
    per_page: int
    group_size: int
    total: int


def dataproxy_plan(html: str, page_url: str, datastore: Datastore | None) -> DataproxyPlan | None:
    """POST paging parameters of a jcms column (from `.jpage({...})` and/or the nextgroup URL)."""
    jm = _JPAGE.search(html)
    cfg = _js_object(jm.group(1)) if jm else {}
    form: dict[str, str] = {}
    am = _AJAX_PARAM.search(jm.group(0)) if jm else None
    if am:
        form.update(_js_object(am.group(1)))
    if datastore and datastore.nextgroup:
        for k, v in parse_qsl(urlsplit(datastore.nextgroup).query):
            if k not in ("page", "startrecord", "endrecord", "perpage"):
                form.setdefault(k, v)
    if "columnid" not in form:
        return None
    total = int(cfg.get("totalRecord", "0") or 0) if str(cfg.get("totalRecord", "0")).isdigit() else 0
    per = int(cfg["perPage"]) if str(cfg.get("perPage", "")).isdigit() else 15
    group = int(cfg["groupSize"]) if str(cfg.get("groupSize", "")).isdigit() else 3
    proxy = cfg.get("proxyUrl") or DATAPROXY_PATHS[0]
    form.setdefault("col", "1")
    form.setdefault("appid", "1")
    form.setdefault("path", "/")
    form.setdefault("permissiontype", "0")
    if "webname" in form:
        form["webname"] = unquote(unquote(form["webname"]))  # sometimes double-encoded (§e)
    return DataproxyPlan(urljoin(page_url, proxy), form, per, group, total)


def dataproxy_posts(plan: DataproxyPlan, already: int) -> list[tuple[str, str]]:
    """(url, urlencoded body) for every record group after the first `already` records."""
    step = plan.per_page * plan.group_size
    out = []
    start = already + 1
    while start <= plan.total and len(out) < 200:
        end = min(start + step - 1, plan.total)
        q = urlencode({"startrecord": start, "endrecord": end, "perpage": plan.per_page})
        out.append((f"{plan.url}?{q}", urlencode(plan.form)))
        start = end + 1
    return out


# ---------------------------------------------------------------- Hanweb jpaas
_QUERYDATA = re.compile(r"""queryData\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
JPAAS_UNIT_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"


def _loose_json(s: str) -> dict:
    s = s.replace("&quot;", '"').replace("&#39;", "'")
    try:
        return json.loads(s)
    except ValueError:
        try:
            return json.loads(s.replace("'", '"'))
        except ValueError:
            return _js_object(s.strip("{}"))


def jpaas_query(html: str) -> dict | None:
    m = _QUERYDATA.search(html)
    if not m:
        return None
    q = _loose_json(m.group(1) if m.group(1) is not None else m.group(2))
    return q if isinstance(q, dict) and (q.get("pageId") or q.get("webId")) else None


def jpaas_unit_url(page_url: str, query: dict, page_no: int, page_size: int | None = None) -> str:
    size = int(query.get("pageSize") or page_size or 15)
    params = {"parseType": query.get("parseType", "bulidstatic"), "webId": query.get("webId", ""),
              "tplSetId": query.get("tplSetId", ""), "pageType": query.get("pageType", "column"),
              "tagId": query.get("tagId", ""), "editType": query.get("editType", "null"),
              "pageId": query.get("pageId", "")}
    param_json = json.dumps({"pageNo": page_no, "pageSize": size}, separators=(",", ":"))
    return urljoin(page_url, JPAAS_UNIT_PATH) + "?" + urlencode(params) + "&paramJson=" + quote(param_json)


def jpaas_page_no(url: str) -> int:
    for k, v in parse_qsl(urlsplit(url).query):
        if k == "paramJson":
            try:
                return int(json.loads(v).get("pageNo", 1))
            except (ValueError, AttributeError):
                return 1
    return 1


def jpaas_html(body: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    d = data.get("data") if isinstance(data, dict) else None
    if isinstance(d, dict):
        return d.get("html") or ""
    return d if isinstance(d, str) else ""





def _fragment_anchors(html: str, base_url: str):
    if not html.strip():
        return []
    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except (ValueError, lxml.etree.ParserError):
        return []
    return L.extract_anchors(None, base_url, fragment=root)


class HanwebJcmsMixin:
    LIST_HOOKS = ("jcms_hook",)
    def jcms_hook(self, page):
        if "<datastore" not in page.text.lower():
            return
        ds = parse_datastore(page.text, page.url)
        if ds is None:
            return
        self.crawler.stats.inc_value("govreports/platform/hanweb_jcms")
        anchors = _fragment_anchors("".join(ds.records), page.url)
        kinds = [(a, self.classify(a)) for a in anchors]
        yield from self.follow_anchors(page, anchors, kinds)
        if not self.pages_worth_paging(page, kinds):
            return   # not a report column (e.g. 通知公告 with thousands of records): no paging
        plan = dataproxy_plan(page.text, page.url, ds)
        if ds.nextgroup:   # the server's own next-group URL first (GET); POST groups if it fails
            yield from self._next_group(page, ds.nextgroup, plan, len(ds.records))
        elif plan is not None and plan.total > len(ds.records):
            yield from self._post_groups(page, plan, len(ds.records))

    def _post_groups(self, page, plan, already):
        for url, body in dataproxy_posts(plan, already):
            req = self.make_request(
                url, page, "api", hops=page.meta.get("hops", 0), callback=self.parse_dataproxy,
                method="POST", body=body, meta={"proxy_mode": "post"},
                headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": page.url,
                         "X-Requested-With": "XMLHttpRequest"})
            if req is not None:
                yield req

    def _next_group(self, page, url, plan=None, already=0):
        meta = {"post_plan": tuple(plan), "already": already} if plan is not None and plan.total else {}
        req = self.make_request(url, page, "api", hops=page.meta.get("hops", 0), callback=self.parse_dataproxy,
                                headers={"Referer": page.url}, meta=meta)
        if req is not None:
            yield req

    def parse_dataproxy(self, response):
        """A dataproxy.jsp group: records → links; GET mode follows `nextgroup` until it is empty."""
        portal = response.meta["portal"]
        self.stat(portal, "pages_fetched")
        text = self.decode(response)
        col = response.meta.get("found_on") or response.url
        page = self.page_of(response, text)
        # records belong to the column page that announced them
        page = page._replace(url=col, meta={**page.meta, "found_on": col})
        ds = parse_datastore(text, response.url) if response.status < 400 else None
        if ds is None:
            self.report_problem(response, text)
            plan = response.meta.get("post_plan")
            if plan:   # GET paging refused: fall back to POST groups
                yield from self._post_groups(page, DataproxyPlan(*plan), response.meta.get("already", 0))
            return
        yield from self.follow_anchors(page, _fragment_anchors("".join(ds.records), response.url))
        if response.meta.get("proxy_mode") != "post" and ds.nextgroup and ds.records:
            plan = response.meta.get("post_plan")
            yield from self._next_group(page, ds.nextgroup, DataproxyPlan(*plan) if plan else None,
                                        response.meta.get("already", 0) + len(ds.records))


class HanwebJpaasMixin:
    LIST_HOOKS = ("jpaas_hook",)
    def jpaas_hook(self, page):
        if "querydata" not in page.text.lower():
            return
        q = jpaas_query(page.text)
        if not q:
            return
        self.crawler.stats.inc_value("govreports/platform/hanweb_jpaas")
        yield from self._jpaas_request(page, q, 1, page.url)

    def _jpaas_request(self, page, q, page_no, referer):
        url = jpaas_unit_url(page.url, q, page_no)
        req = self.make_request(url, page, "api", hops=page.meta.get("hops", 0), callback=self.parse_jpaas,
                                meta={"jpaas": q, "column": referer,
                                      "column_kind": page.meta.get("column_kind") or page.meta.get("doc_kind")},
                                headers={"Referer": referer, "X-Requested-With": "XMLHttpRequest",
                                         "Accept": "application/json, text/javascript, */*; q=0.01"})
        if req is not None:
            yield req

    def parse_jpaas(self, response):
        """build/unit JSON: data.html holds the records; an empty html ends the list."""
        portal = response.meta["portal"]
        self.stat(portal, "pages_fetched")
        text = self.decode(response)
        if response.status >= 400:
            self.stat(portal, "http_errors")
            return
        html = jpaas_html(text)
        if not html.strip():
            return
        col = response.meta.get("column") or response.url
        page = self.page_of(response, text)._replace(url=col)
        anchors = _fragment_anchors(html, col)
        if not anchors:
            return
        kinds = [(a, self.classify(a)) for a in anchors]
        yield from self.follow_anchors(page, anchors, kinds)
        page_no = jpaas_page_no(response.url)
        worth = response.meta.get("column_kind") in ("list", "detail") or self.pages_worth_paging(page, kinds)
        if page_no < 500 and worth:
            yield from self._jpaas_request(page._replace(url=response.url), response.meta["jpaas"], page_no + 1, col)
