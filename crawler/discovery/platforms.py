"""Lists that are not in the HTML DOM (portals.md §b2, §b4; "hardest case" #1).

- Hanweb jcms: records inside `<script type="text/xml"><datastore>` (CDATA HTML), paged through
  `dataproxy.jsp` by GET (`nextgroup` href) or POST (`startrecord/endrecord/perpage` + form body).
- Hanweb jpaas: `<script queryData="{…}">` → `GET …/front/page/build/unit?…&paramJson={"pageNo":N,"pageSize":R}`
  → JSON `{"data": {"html": "<li>…"}}`; an empty html ends the list.
- Guangdong gkmlpt: `window._CONFIG = {SID: '…'}` → `GET /gkmlpt/api/all/{cat}?page=N&sid=SID` → JSON
  `{"total": …, "articles": [{"title", "url"}…]}`.
"""
from __future__ import annotations

import json
import math
import re
from typing import NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit

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


# ---------------------------------------------------------------- Guangdong gkmlpt
_SID = re.compile(r"""\bSID\s*[:=]\s*['"]?([\w-]+)['"]?""")
# a report category: its name says 年报 or 报告 (titles are filtered afterwards; no category → all, id 0)
_GK_CAT = re.compile(r"""\{[^{}]*?\bid['"]?\s*:\s*['"]?(\d+)['"]?[^{}]*?\bname['"]?\s*:\s*['"]([^'"]*(?:年报|报告)[^'"]*)['"]""")
_GK_CAT_REV = re.compile(r"""\{[^{}]*?\bname['"]?\s*:\s*['"]([^'"]*(?:年报|报告)[^'"]*)['"][^{}]*?\bid['"]?\s*:\s*['"]?(\d+)""")


def gkmlpt_config(html: str) -> tuple[str, list[str]] | None:
    """(SID, report category ids) from `window._CONFIG`; category [] means use 0 (= all)."""
    if "_CONFIG" not in html:
        return None
    m = _SID.search(html[html.find("_CONFIG"):])
    if not m:
        return None
    cats = [c for c, _name in _GK_CAT.findall(html)] + [c for _name, c in _GK_CAT_REV.findall(html)]
    return m.group(1), list(dict.fromkeys(cats))


def gkmlpt_api_url(page_url: str, sid: str, cat: str, page: int) -> str:
    path = urlsplit(page_url).path
    i = path.find("/gkmlpt/")
    prefix = path[:i] if i >= 0 else ""
    return urljoin(page_url, f"{prefix}/gkmlpt/api/all/{cat}?" + urlencode({"page": page, "sid": sid}))


def _unescape_u(s: str) -> str:
    return re.sub(r"%u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), s) if "%u" in s else s


def gkmlpt_articles(body: str, base_url: str) -> tuple[list[tuple[str, str]], int, int]:
    """([(url, title)], total, per_page) from an api/all answer."""
    try:
        data = json.loads(body)
    except ValueError:
        return [], 0, 0
    arts = data.get("articles") or [] if isinstance(data, dict) else []
    out = []
    for a in arts:
        if not isinstance(a, dict):
            continue
        url = a.get("url") or a.get("post_url") or ""
        if url:
            out.append((urljoin(base_url, url), _unescape_u(str(a.get("title", "")))))
    total = int(data.get("total") or 0) if isinstance(data, dict) and str(data.get("total", "0")).isdigit() else 0
    return out, total, len(arts)


def gkmlpt_pages(total: int, per_page: int) -> int:
    return math.ceil(total / per_page) if per_page else 1
