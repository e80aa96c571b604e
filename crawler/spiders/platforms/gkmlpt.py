"""Guangdong gkmlpt: `window._CONFIG.SID` → `/gkmlpt/api/all/{cat}?page=N&sid=SID` JSON."""
from __future__ import annotations

from crawler.discovery import links as L
from crawler.discovery import platforms as P


class GkmlptMixin:
    def gkmlpt_hook(self, page):
        if "_CONFIG" not in page.text:
            return
        cfg = P.gkmlpt_config(page.text)
        if not cfg:
            return
        sid, cats = cfg
        self.crawler.stats.inc_value("govreports/platform/gkmlpt")
        for cat in cats or ["0"]:
            yield from self._gk_request(page, sid, cat, 1, page.url)

    def _gk_request(self, page, sid, cat, n, app_url):
        url = P.gkmlpt_api_url(app_url, sid, cat, n)
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
        arts, total, per = P.gkmlpt_articles(self.decode(response), response.url)
        page = self._page(response, "")._replace(url=app_url)
        for url, title in arts:
            if L.classify_link(title, url) in ("report", "attachment"):
                req = self.make_request(url, page, "detail", link_text=title)
                if req is not None:
                    yield req
        if n == 1 and not arts and total:
            yield from self._gk_request(page, sid, cat, 0, app_url)   # a site that pages from 0
        elif n in (0, 1) and per and total > per:
            for k in range(n + 1, min(P.gkmlpt_pages(total, per) + (1 if n == 1 else 0), 400)):
                yield from self._gk_request(page, sid, cat, k, app_url)
