"""Hanweb 大汉: jcms datastore XML + dataproxy.jsp (GET nextgroup / POST groups), jpaas build/unit."""
from __future__ import annotations

import lxml.html

from crawler.discovery import links as L
from crawler.discovery import platforms as P


def _fragment_anchors(html: str, base_url: str):
    if not html.strip():
        return []
    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except (ValueError, lxml.etree.ParserError):
        return []
    return L.extract_anchors(None, base_url, fragment=root)


class HanwebJcmsMixin:
    def jcms_hook(self, page):
        if "<datastore" not in page.text.lower():
            return
        ds = P.parse_datastore(page.text, page.url)
        if ds is None:
            return
        self.crawler.stats.inc_value("govreports/platform/hanweb_jcms")
        anchors = _fragment_anchors("".join(ds.records), page.url)
        kinds = [(a, self.classify(a)) for a in anchors]
        yield from self.follow_anchors(page, anchors, kinds)
        if not self.pages_worth_paging(page, kinds):
            return   # not a report column (e.g. 通知公告 with thousands of records): no paging
        plan = P.dataproxy_plan(page.text, page.url, ds)
        if ds.nextgroup:   # the server's own next-group URL first (GET); POST groups if it fails
            yield from self._next_group(page, ds.nextgroup, plan, len(ds.records))
        elif plan is not None and plan.total > len(ds.records):
            yield from self._post_groups(page, plan, len(ds.records))

    def _post_groups(self, page, plan, already):
        for url, body in P.dataproxy_posts(plan, already):
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
        page = self._page(response, text)
        # records belong to the column page that announced them
        page = page._replace(url=col, meta={**page.meta, "found_on": col})
        ds = P.parse_datastore(text, response.url) if response.status < 400 else None
        if ds is None:
            self._problem(response, text)
            plan = response.meta.get("post_plan")
            if plan:   # GET paging refused: fall back to POST groups
                yield from self._post_groups(page, P.DataproxyPlan(*plan), response.meta.get("already", 0))
            return
        yield from self.follow_anchors(page, _fragment_anchors("".join(ds.records), response.url))
        if response.meta.get("proxy_mode") != "post" and ds.nextgroup and ds.records:
            plan = response.meta.get("post_plan")
            yield from self._next_group(page, ds.nextgroup, P.DataproxyPlan(*plan) if plan else None,
                                        response.meta.get("already", 0) + len(ds.records))


class HanwebJpaasMixin:
    def jpaas_hook(self, page):
        if "querydata" not in page.text.lower():
            return
        q = P.jpaas_query(page.text)
        if not q:
            return
        self.crawler.stats.inc_value("govreports/platform/hanweb_jpaas")
        yield from self._jpaas_request(page, q, 1, page.url)

    def _jpaas_request(self, page, q, page_no, referer):
        url = P.jpaas_unit_url(page.url, q, page_no)
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
        html = P.jpaas_html(text)
        if not html.strip():
            return
        col = response.meta.get("column") or response.url
        page = self._page(response, text)._replace(url=col)
        anchors = _fragment_anchors(html, col)
        if not anchors:
            return
        kinds = [(a, self.classify(a)) for a in anchors]
        yield from self.follow_anchors(page, anchors, kinds)
        page_no = P.jpaas_page_no(response.url)
        worth = response.meta.get("column_kind") in ("list", "detail") or self.pages_worth_paging(page, kinds)
        if page_no < 500 and worth:
            yield from self._jpaas_request(page._replace(url=response.url), response.meta["jpaas"], page_no + 1, col)
