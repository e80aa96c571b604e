"""Query-string list sites (ASP.NET/JSP/PHP, Beijing eportal): `?page=N` and synonyms. Numbered
anchors are filled generically; here the total announced as `共N页` (or `pageCount`) extends the
range beyond the pager window when only 下一页/尾页 buttons without numbers exist."""
from __future__ import annotations

import re

from crawler.discovery import pagination as PG

_TOTAL = re.compile(r"共\s*(\d{1,4})\s*页|pageCount\s*[=:]\s*['\"]?(\d{1,4})|totalPages?\s*[=:]\s*['\"]?(\d{1,4})", re.I)


class QueryStringMixin:
    LIST_HOOKS = ("querystring_hook",)
    def querystring_hook(self, page):
        m = _TOTAL.search(page.text)
        if not m or page.meta.get("doc_kind") not in ("list", "detail"):
            return
        total = int(next(g for g in m.groups() if g))
        if total < 2:
            return
        t = PG._query_template(page.url)
        if t is None:   # first page has no page param: take it from any anchor with one
            for u in re.findall(r"""href\s*=\s*["']([^"']*[?&](?:%s)=\d+[^"']*)["']""" % "|".join(PG.PAGE_PARAMS),
                                page.text, re.I):
                t = PG._query_template(self._abs(page.url, u))
                if t:
                    break
        if t is None:
            return
        for n in range(1, min(total, PG.MAX_PAGES) + 1):
            req = self.make_request(PG._render(t[0], n), page, "list", hops=page.meta.get("hops", 0))
            if req is not None:
                yield req

    @staticmethod
    def _abs(base, u):
        from urllib.parse import urljoin
        return urljoin(base, u.replace("&amp;", "&"))
