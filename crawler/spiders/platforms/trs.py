"""TRS WCM: createPageHTML pagers are generic (crawler.discovery.pagination); here the TRS-only
attachment attribute `OLDSRC` and `_wap` twins (folded in crawler.discovery.links)."""
from __future__ import annotations

import re
from urllib.parse import urljoin

_OLDSRC = re.compile(r"""\boldsrc\s*=\s*["']([^"']+)["']""", re.I)


class TrsMixin:
    def trs_hook(self, page):
        if "oldsrc" not in page.text.lower():
            return
        for src in _OLDSRC.findall(page.text):
            url = urljoin(page.url, src)
            req = self.make_request(url, page, "attachment", link_text=page.meta.get("link_text", ""))
            if req is not None:
                yield req
