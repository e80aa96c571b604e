"""TRS WCM: createPageHTML pagers are generic (crawler.discovery.pagination) and `_wap` twins are
folded in crawler.discovery.links. Here: the TRS attachment attribute `OLDSRC` (the file's upload
path), used only when the anchor's own href is not the file (e.g. a javascript: download)."""
from __future__ import annotations

from urllib.parse import urljoin

from crawler.discovery import links as L


class TrsMixin:
    REPORT_HOOKS = ("trs_hook",)
    def trs_hook(self, page):
        """Report-page hook."""
        if page.root is None or "oldsrc" not in page.text.lower():
            return
        for el in page.root.xpath("//a[@oldsrc]"):
            href = urljoin(page.url, el.get("href") or "")
            if L.is_attachment_url(href):
                continue   # the href already is the file (fetched with the page's other attachments)
            req = self.make_request(urljoin(page.url, el.get("oldsrc")), page, "attachment",
                                    link_text=L.anchor_text(el) or page.meta.get("link_text", ""))
            if req is not None:
                yield req
