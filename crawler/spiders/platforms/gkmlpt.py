"""Guangdong gkmlpt, the platform's one home: `window._CONFIG = {SID: '…'}` →
`GET /gkmlpt/api/all/{cat}?page=N&sid=SID` → JSON `{"total": …, "articles": [{"title", "url"}…]}`
(portals.md §b4). Pure readers first (tests/test_discovery_platforms.py), then the mixin."""
from __future__ import annotations

import json
import math
import re
from urllib.parse import urlencode, urljoin, urlsplit

from crawler.discovery import links as L

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



class GkmlptMixin:
    LIST_HOOKS = ("gkmlpt_hook",)
    def gkmlpt_hook(self, page):
        if "_CONFIG" not in page.text:
            return
        cfg = gkmlpt_config(page.text)
        if not cfg:
            return
        sid, cats = cfg
        self.crawler.stats.inc_value("govreports/platform/gkmlpt")
        for cat in cats or ["0"]:
            yield from self._gk_request(page, sid, cat, 1, page.url)

    def _gk_request(self, page, sid, cat, n, app_url):
        url = gkmlpt_api_url(app_url, sid, cat, n)
        req = self.make_request(url, page, "api", hops=page.meta.get("hops", 0), callback=self.parse_gkmlpt,
                                meta={"gk": (sid, cat, n), "column": app_url},
                                headers={"Referer": app_url, "X-Requested-With": "XMLHttpRequest"})
        if req is not None:
            yield req

    def parse_gkmlpt(self, response):
        portal = response.meta["portal"]
        self.stat(portal, "pages_fetched")
        sid, cat, n = response.meta["gk"]
        app_url = response.meta.get("column") or response.url
        if response.status >= 400:
            self.stat(portal, "http_errors")   # some sites 404 on page >= 2: the list is complete
            return
        arts, total, per = gkmlpt_articles(self.decode(response), response.url)
        page = self.page_of(response, "")._replace(url=app_url)
        for url, title in arts:
            # every entry of the API is an article: a year-only title ("2022年度报告") is one too
            if L.classify_link(title, url) in ("report", "attachment", "column"):
                req = self.make_request(url, page, "detail", link_text=title)
                if req is not None:
                    yield req
        if n == 1 and not arts and total:
            yield from self._gk_request(page, sid, cat, 0, app_url)   # a site that pages from 0
        elif n in (0, 1) and per and total > per:
            for k in range(n + 1, min(gkmlpt_pages(total, per) + (1 if n == 1 else 0), 400)):
                yield from self._gk_request(page, sid, cat, k, app_url)
