"""Pages that need a form or a JSON answer read (portals.md §b7, §e):

- ASP.NET WebForms pagers: `javascript:__doPostBack('ctl00$pager','3')` links post the page's form
  back with __EVENTTARGET/__EVENTARGUMENT and its hidden state (__VIEWSTATE, __EVENTVALIDATION …);
- a portal's site search form (the fallback when no report column is found);
- JSON-only detail pages (`{"title": …, "content": "<p>…"}`) turned into a small HTML page.
Pure functions on decoded text / lxml roots.
"""
from __future__ import annotations

import html as htmlmod
import json
import re
from typing import NamedTuple
from urllib.parse import urljoin

from crawler.discovery.links import is_attachment_url

_POSTBACK = re.compile(r"""__doPostBack\(\s*(?:'|&#39;|\\?")([^'"&]+)(?:'|&#39;|\\?")\s*,\s*(?:'|&#39;|\\?")([^'"&]*)(?:'|&#39;|\\?")\s*\)""")
_PAGE_ARG = re.compile(r"^(?:Page\$)?(\d{1,4}|Next|Last|下一页|尾页)$", re.I)


class Postback(NamedTuple):
    action: str                  # absolute URL the form posts to
    fields: dict[str, str]       # hidden fields (__VIEWSTATE, __EVENTVALIDATION, …) without the event
    events: list[tuple[str, str]]  # (__EVENTTARGET, __EVENTARGUMENT) of every pager link, in page order


def aspnet_postbacks(root, page_url: str) -> Postback | None:
    """The pager postbacks of an ASP.NET page: links whose __doPostBack argument or text is a page
    number or next/last. None when the page has no WebForms form."""
    if root is None:
        return None
    forms = [f for f in root.iter("form") if f.xpath(".//input[@name='__VIEWSTATE']")]
    if not forms:
        return None
    form = forms[0]
    fields = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input[@type='hidden'][@name]")}
    events: dict[tuple[str, str], None] = {}
    for a in root.iter("a"):
        m = _POSTBACK.search(a.get("href") or a.get("onclick") or "")
        if not m:
            continue
        target, arg = m.group(1), m.group(2)
        text = " ".join(a.text_content().split())
        if _PAGE_ARG.match(arg) or re.fullmatch(r"\d{1,4}|下一页|下页|尾页|末页|>|>>|Next|Last", text, re.I):
            events.setdefault((target, arg), None)
    if not events:
        return None
    action = urljoin(page_url, htmlmod.unescape(form.get("action") or "")) if form.get("action") else page_url
    return Postback(action, fields, list(events))


# ------------------------------------------------------------------ site search
_QUERY_NAMES = re.compile(r"^(?:q|query|keys?|keywords?|searchword|searchWord|wd|kw|word|text|title|sw|search|"
                          r"searchKey|searchText|qt|content|s)$", re.I)
SEARCH_QUERY = "政府信息公开工作年度报告"


class SearchForm(NamedTuple):
    action: str
    method: str                   # "GET" | "POST"
    fields: dict[str, str]        # every field, the query field filled


def search_form(root, page_url: str, query: str = SEARCH_QUERY) -> SearchForm | None:
    """The page's site search form with `query` filled in (the first form with a text box whose name
    is a query name, or whose action mentions search)."""
    if root is None:
        return None
    for form in root.iter("form"):
        action = (form.get("action") or "").strip()
        if action.lower().startswith("javascript"):
            action = ""
        boxes = [i for i in form.iter("input") if (i.get("type") or "text").lower() in ("text", "search")
                 and i.get("name")]
        named = [i for i in boxes if _QUERY_NAMES.match(i.get("name"))]
        box = named[0] if named else (boxes[0] if boxes and re.search(r"search|sous|query|ss", action, re.I) else None)
        if box is None:
            continue
        fields = {i.get("name"): i.get("value") or "" for i in form.iter("input")
                  if i.get("name") and (i.get("type") or "text").lower() in ("hidden", "text", "search")}
        fields[box.get("name")] = query
        method = "POST" if (form.get("method") or "get").lower() == "post" else "GET"
        return SearchForm(urljoin(page_url, action) if action else page_url, method, fields)
    return None


# ------------------------------------------------------------------ JSON detail pages
_TITLE_KEYS = ("title", "articleTitle", "docTitle", "name", "subject", "biaoti", "wzbt", "Title")
_BODY_KEYS = ("content", "articleContent", "docContent", "body", "htmlContent", "text", "detail", "zw", "Content")
_META_KEYS = {"publisher": ("publisher", "source", "orgName", "deptName", "fbjg", "fwjg"),
              "index": ("indexNo", "index_no", "indexNum", "syh", "idxNo", "identifier"),
              "date": ("publishDate", "pubDate", "publishTime", "releaseTime", "createTime", "fbrq", "date")}


def _dicts(obj, depth=0):
    if depth > 4:
        return
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from _dicts(v, depth + 1)
    elif isinstance(obj, list):
        for v in obj[:50]:
            yield from _dicts(v, depth + 1)


def _first(d: dict, keys) -> str:
    for k in keys:
        v = d.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return ""


def json_article(text: str) -> str | None:
    """An HTML page rebuilt from a JSON-only detail answer (title + content + metadata), or None."""
    s = text.lstrip()
    if not s.startswith(("{", "[")):
        return None
    try:
        data = json.loads(s)
    except ValueError:
        return None
    return article_from_json(data)


def article_from_json(data) -> str | None:
    best = None
    for d in _dicts(data):
        body = _first(d, _BODY_KEYS)
        if body and (best is None or len(body) > len(best[1])):
            best = (d, body)
    if best is None or len(best[1]) < 50:
        return None
    d, body = best
    title = htmlmod.escape(_first(d, _TITLE_KEYS))
    meta = "".join(f"<p>{label}：{htmlmod.escape(_first(d, keys))}</p>"
                   for label, keys in (("索引号", _META_KEYS["index"]), ("发布机构", _META_KEYS["publisher"]),
                                       ("发布日期", _META_KEYS["date"])) if _first(d, keys))
    if "<" not in body:   # plain text: keep its lines
        body = "".join(f"<p>{htmlmod.escape(ln)}</p>" for ln in body.splitlines() if ln.strip())
    files = "".join(f"<p><a href='{htmlmod.escape(u)}'>{htmlmod.escape(u.rsplit('/', 1)[-1])}</a></p>"
                    for u in _attachment_urls(d))
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='ArticleTitle' content='{title}'></head>"
            f"<body><h1>{title}</h1>{meta}<div class='article'>{body}</div>{files}</body></html>")


def _attachment_urls(d: dict) -> list[str]:
    out = []
    for v in d.values():
        for x in (v if isinstance(v, list) else [v]):
            if isinstance(x, dict):
                x = _first(x, ("url", "href", "path", "link", "fileUrl", "filePath"))
            if isinstance(x, str) and is_attachment_url(urljoin("http://x/", x.strip())):
                out.append(x.strip())
    return out[:20]


_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_JSON_OBJECT_START = re.compile(r"""\{\s*["']""")


def without_scripts(html: str) -> str:
    return _SCRIPT.sub(" ", html)


def embedded_article(html: str) -> str | None:
    """A detail page whose article is a JSON object inside a script (an app shell such as gkmlpt's
    `window._CONFIG = {DETAIL: {"title", "content"…}}`), rebuilt as HTML; None when there is none."""
    if not any(f'"{k}"' in html for k in _BODY_KEYS):
        return None
    decoder = json.JSONDecoder()
    best = None
    for m in _SCRIPT.finditer(html[:2_000_000]):
        code = m.group(1)
        pos, tries = 0, 0
        while tries < 50:
            start = _JSON_OBJECT_START.search(code, pos)
            if start is None:
                break
            tries += 1
            try:
                obj, end = decoder.raw_decode(code, start.start())
            except ValueError:
                pos = start.start() + 1
                continue
            page = article_from_json(obj)
            if page is not None and (best is None or len(page) > len(best)):
                best = page
            pos = end
    return best
