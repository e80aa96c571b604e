"""Which links of a page the spider follows (mixed into LinkTextCrawler).

1. Links a rule names (crawler.discovery.links.classify_link): reports, attachments, report
   columns, the disclosure area, township/department directories, unit names, frames, pagers.
2. Unit directories recognised by what they list (crawler.discovery.explore.unit_directory_urls),
   whatever their label or menu form: every unit link in them, the unit name travelling with the
   requests below it (`meta["unit"]` → DocumentItem.unit_hint).
3. Every other link of the disclosure area, best first: scored by anchor text, URL and the rule
   matches of its menu (explore_score), followed when the score passes, at a lower request
   priority than rule matches, within GOVREPORTS_EXPLORE_PAGES requests per portal and
   GOVREPORTS_EXPLORE_DEPTH hops without a rule match. Decoys are never followed.
4. Pagination of lists worth paging (report columns or pages that list reports): pager links,
   JS pagers and ASP.NET __doPostBack pagers (form POSTs carrying the page's hidden state).
"""
from __future__ import annotations

from typing import Iterator

from scrapy import FormRequest

from crawler.discovery import explore as X
from crawler.discovery import links as L
from crawler.discovery.forms import aspnet_postbacks
from crawler.discovery.pagination import MAX_PAGES, list_pages

EXPLORE_PAGES = 60     # GOVREPORTS_EXPLORE_PAGES: exploration requests per portal
EXPLORE_DEPTH = 2      # GOVREPORTS_EXPLORE_DEPTH: hops without a rule match
EXPLORE_PER_PAGE = 12  # best links of one page (a home page's 80 menu links must not eat the budget)
_ROW_TAGS = ("tr", "li", "dd", "p")


def row_context(anchor) -> str:
    """Text of the list row an anchor sits in (date, organ …), when it says more than the link."""
    el = getattr(anchor, "el", None)
    if el is None:
        return ""
    for anc in el.iterancestors(*_ROW_TAGS):
        row = " ".join(anc.text_content().split())
        return row[:200] if len(row) > len(anchor.text or "") else ""
    return ""


_RELATIVE_ARG = ("next", "last", "下一页", "尾页")


class FollowingMixin:
    explore_pages = EXPLORE_PAGES
    explore_depth = EXPLORE_DEPTH

    @property
    def _explored(self) -> dict:
        return self.__dict__.setdefault("_explored_counts", {})

    @property
    def _postbacks(self) -> dict:
        return self.__dict__.setdefault("_postback_events", {})

    def configure_following(self, settings) -> None:
        self.explore_pages = settings.getint("GOVREPORTS_EXPLORE_PAGES", self.explore_pages)
        self.explore_depth = settings.getint("GOVREPORTS_EXPLORE_DEPTH", self.explore_depth)

    def follow_anchors(self, page, anchors, kinds=None) -> Iterator:
        if kinds is None:
            kinds = [(a, self.classify(a)) for a in anchors]
        was_detail = page.meta.get("doc_kind") == "detail"
        zone = page.meta.get("zone", 0)
        pager_urls, matched = [], set()
        directory = set() if was_detail else X.unit_directory_urls(anchors)
        reports = {a.el for a, k in kinds if k == "report" and a.el is not None}
        in_column = page.meta.get("doc_kind") in ("list", "detail")
        for a, k in kinds:
            req = None
            if k == "other" and reports and X.more_link_of_reports(a, reports):
                k = "column"   # 更多>> of a block that lists reports: the report column, whatever its URL
            elif k == "other" and in_column and L.cut_list_title(a.text):
                k = "report"   # a title cut after its year, in a report column: fetched, the gate judges
            if k == "report":
                ctx = row_context(a)
                req = self.make_request(a.url, page, "detail", link_text=a.text,
                                        meta={"list_context": ctx} if ctx else None)
            elif k == "attachment":
                if L.classify_link(a.text) == "report":
                    req = self.make_request(a.url, page, "attachment", link_text=a.text)
            elif k == "column":
                req = self.make_request(a.url, page, "list", link_text=a.text, zone=1)
            elif k == "pager":
                pager_urls.append(a.url)
            elif k == "frame":   # framesets/iframes carry the page's real content
                req = self.make_request(a.url, page, page.meta.get("doc_kind", "nav"), hops=page.meta.get("hops", 0),
                                        link_text=page.meta.get("link_text", ""))
            elif was_detail:
                continue  # a candidate that was not a report: follow its lists only
            elif k in ("area", "towns"):
                req = self.make_request(a.url, page, "nav", link_text=a.text, zone=1)
            elif a.url in directory and not k.startswith("decoy"):
                req = self.make_request(a.url, page, "nav", link_text=a.text, zone=1,
                                        meta={"unit": L.normal_title(a.text)})
                self.crawler.stats.inc_value("govreports/unit_directory_links")
            elif k == "org" and (zone >= 1 or L.is_town_name(a.text)):
                req = self.make_request(a.url, page, "nav", link_text=a.text, zone=1,
                                        meta={"unit": L.normal_title(a.text)})
            else:
                continue
            matched.add(a.url)
            if req is not None:
                yield req
        if not was_detail:
            # a page that lists report columns, reports or units is inside the disclosure
            # area whatever the label that led to it
            inside = zone >= 1 or bool(directory) or any(k in ("column", "report", "towns") for _a, k in kinds)
            yield from self.explore(page, anchors, kinds, matched, zone=1 if inside else 0)
        if self.pages_worth_paging(page, kinds):
            for u in list(dict.fromkeys(pager_urls + list_pages(page.text, page.url, pager_urls))):
                req = self.make_request(u, page, "list", link_text="", hops=page.meta.get("hops", 0))
                if req is not None:
                    yield req
            yield from self.postback_pages(page)

    # ------------------------------------------------------------------ best-first exploration
    def explore(self, page, anchors, kinds, matched: set, zone: int) -> Iterator:
        """Unlabelled links, best first within the portal's budget: inside the disclosure area, and
        from the home page its navigation menus (an unknown name for the area itself)."""
        depth = page.meta.get("explore", 0)
        home = page.meta.get("hops", 0) == 0
        if depth >= self.explore_depth or (zone < 1 and depth == 0 and not home):
            return
        others = [a for a, k in kinds if k == "other" and a.url not in matched and a.url != page.url
                  and not L.is_attachment_url(a.url)]
        if not others:
            return
        near = X.neighbour_counts(anchors, matched)
        menus = X.menu_urls(anchors)
        menu_weight = 2.0 if home else 1.5
        need = X.MIN_SCORE if zone >= 1 or home else X.MIN_SCORE + 2
        scored = sorted(((X.explore_score(a.text, a.url, context=X.context_score(*near.get(a.url, (0, 0))),
                                          menu=menu_weight if a.url in menus else 0.0), a) for a in others),
                        key=lambda sa: -sa[0])
        portal = page.portal
        for score, a in scored[:EXPLORE_PER_PAGE]:
            if score < need:
                break
            if self._explored.get(portal, 0) >= self.explore_pages:
                self.stat(portal, "explore_budget_exhausted")
                return
            req = self.make_request(a.url, page, "nav", link_text=a.text, zone=zone,
                                    meta={"explore": depth + 1}, priority=int(score) - 20)
            if req is not None:
                self._explored[portal] = self._explored.get(portal, 0) + 1
                self.stat(portal, "explored_links")
                yield req

    # ------------------------------------------------------------------ ASP.NET postback pagers
    def postback_pages(self, page) -> Iterator:
        if "__doPostBack" not in page.text:
            return
        pb = aspnet_postbacks(page.root, page.url)
        if pb is None:
            return
        done = self._postbacks.setdefault(pb.action, set())
        numbered = [e for e in pb.events if not e[1].lower().endswith(_RELATIVE_ARG)]
        for target, arg in numbered or pb.events:
            # a page number names one page; "Next" means another page from every page's state
            key = (target, arg) if numbered else (target, arg, hash(pb.fields.get("__VIEWSTATE", "")))
            if key in done or len(done) >= MAX_PAGES:
                continue
            done.add(key)
            req = self.make_request(pb.action, page, "list", hops=page.meta.get("hops", 0), method="POST",
                                    factory=FormRequest,
                                    formdata={**pb.fields, "__EVENTTARGET": target, "__EVENTARGUMENT": arg})
            if req is not None:
                self.crawler.stats.inc_value("govreports/aspnet_postbacks")
                yield req

    @staticmethod
    def pages_worth_paging(page, kinds) -> bool:
        """Page through a list only when it is a report column (reached by a 年报/year link or a
        report-like link) or lists reports itself: a 通知公告 list with 300 pages is not crawled."""
        return page.meta.get("doc_kind") in ("list", "detail") or any(k == "report" for _a, k in kinds)

