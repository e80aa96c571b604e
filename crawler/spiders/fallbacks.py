"""What the spider does when the ordinary path finds nothing (mixed into LinkTextCrawler):

- **Site search**: the search form of a portal's home page is remembered; when the crawl runs dry
  (spider_idle) and a portal has yielded no report candidate (whether or not a report column was
  reached), the form is submitted once with 政府信息公开工作年度报告 and its result pages are read as
  a report list (GOVREPORTS_SITE_SEARCH, default on).
- **JSON detail pages**: a report link answered with JSON ({"title", "content"…}), or an app shell
  whose article sits as a JSON object in a script, is rebuilt as a small HTML page
  (crawler.discovery.forms) and judged like any page.
"""
from __future__ import annotations

from scrapy import FormRequest
from scrapy.exceptions import DontCloseSpider

from crawler.discovery.forms import embedded_article, json_article, search_form, without_scripts
from crawler.discovery.reportpage import judge


class FallbacksMixin:
    site_search = True      # GOVREPORTS_SITE_SEARCH

    @property
    def _search_forms(self) -> dict:
        return self.__dict__.setdefault("_search_form_of", {})

    @property
    def _portal_progress(self) -> dict:
        """portal -> {"column": bool, "candidate": bool, "searched": bool}"""
        return self.__dict__.setdefault("_progress_of", {})

    def note_progress(self, portal: str, what: str) -> None:
        self._portal_progress.setdefault(portal, {})[what] = True

    def remember_search_form(self, page) -> None:
        if not self.site_search or page.meta.get("hops", 0) > 1 or page.portal in self._search_forms:
            return
        form = search_form(page.root, page.url)
        if form is not None:
            self._search_forms[page.portal] = (form, page.url)

    def on_idle(self) -> None:
        """spider_idle: submit the site search of portals that found nothing (once each)."""
        scheduled = False
        for portal, (form, home) in list(self._search_forms.items()):
            done = self._portal_progress.setdefault(portal, {})
            if done.get("searched") or done.get("candidate"):
                continue   # (a column found but unreadable, e.g. drawn by an unknown script, still searches)
            done["searched"] = True
            req = self.search_request(portal, form, home)
            if req is not None:
                self.stat(portal, "site_search")
                self.crawler.engine.crawl(req)
                scheduled = True
        if scheduled:
            raise DontCloseSpider

    def search_request(self, portal, form, home):
        kw = dict(portal=portal, link_text="站内搜索", hops=1, zone=1)
        if form.method == "POST":
            return self.make_request(form.action, None, "list", method="POST", factory=FormRequest,
                                     formdata=form.fields, meta={"search": True}, **kw)
        url = FormRequest(form.action, method="GET", formdata=form.fields).url
        return self.make_request(url, None, "list", meta={"search": True}, **kw)

    @staticmethod
    def json_detail_html(response_text: str, link_text: str = "") -> str | None:
        """The HTML a detail page's JSON holds: the whole answer is JSON, or the page is an app shell
        whose article is a JSON object in a script (used only when the page shows no report body)."""
        rebuilt = json_article(response_text)
        if rebuilt is not None:
            return rebuilt
        if "<script" not in response_text:
            return None
        rebuilt = embedded_article(response_text)
        if rebuilt is None:
            return None
        shown = judge(without_scripts(response_text), link_text)   # what the page itself shows
        return None if shown.headings >= 3 or shown.table_labels >= 4 else rebuilt
