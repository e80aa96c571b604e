"""The generic link-text crawler every platform behaviour builds on.

One callback (`parse_page`) handles every HTML page: problem detection (anti-bot, soft 404, blank),
decoding, redirect shells, the report-page gate (title + body, crawler.discovery.reportpage), link
classification by text (crawler.discovery.links), pagination (crawler.discovery.pagination) and
the platform hooks (`platform_requests` of the mixins in crawler.spiders.platforms).

Requests carry small, picklable meta (JOBDIR-safe): portal, doc_kind, link_text, found_on, hops,
zone. `doc_kind` ∈ nav/list/detail/attachment/api; nav/list/api requests are re-crawlable
(dont_filter, de-duplicated by the spider's own per-run set) so an incremental middleware that
skips already exported detail/attachment requests never hides new reports on re-runs.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterator, NamedTuple

import lxml.html
import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.misc import load_object

from crawler.discovery import links as L
from crawler.discovery.encoding import best_encoding
from crawler.discovery.problems import detect_problem, redirect_target
from crawler.discovery.reportpage import judge
from crawler.discovery.scope import host_of
from crawler.items import DocumentItem
from crawler.spiders.fallbacks import FallbacksMixin
from crawler.spiders.following import FollowingMixin

_UNREACHABLE = tuple(load_object(path) for path in (
    "scrapy.exceptions.CannotResolveHostError", "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadTimeoutError", "scrapy.exceptions.DownloadFailedError",
    "twisted.internet.error.ConnectError", "twisted.internet.error.ConnectionLost",
    "twisted.internet.error.TimeoutError", "twisted.internet.error.DNSLookupError",
    "twisted.web._newclient.ResponseNeverReceived", "OpenSSL.SSL.Error"))
_TIMEOUTS = tuple(load_object(path) for path in (
    "scrapy.exceptions.DownloadTimeoutError", "twisted.internet.error.TimeoutError"))
_ERROR_STATS = {"http_error": "http_errors", "redirect_loop": "redirect_loops"}


def fetch_error_code(exc, doc_kind: str | None) -> str | None:
    """The reject code of a fetch that produced no usable response (None: ignored on purpose)."""
    text = str(exc)
    if isinstance(exc, IgnoreRequest):
        if "robots" in text.lower():
            return "robots_disallowed"
        if text.startswith("redirect loop") or "max redirections" in text:  # crawler/politeness.py
            return "redirect_loop"
        return None
    if type(exc).__name__ == "DownloadCancelledError" and "max size" in text:
        return "file_too_large"   # DOWNLOAD_MAXSIZE / the attachment cap, applied to the download
    if doc_kind == "attachment" and isinstance(exc, _TIMEOUTS):
        return "download_timeout"  # the whole GOVREPORTS_ATTACHMENT_DOWNLOAD_TIMEOUT, not retried
    return "unreachable" if isinstance(exc, _UNREACHABLE) else "http_error"


MAX_HOPS = 10                    # navigation hops from the home page (pagination is free)
ATTACHMENT_TIMEOUT = 180              # defaults of GOVREPORTS_ATTACHMENT_DOWNLOAD_TIMEOUT / _MAX_BYTES
ATTACHMENT_MAXSIZE = 64 * 1024 * 1024
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf")


class Page(NamedTuple):
    response: object
    url: str
    text: str
    root: object          # lxml root (None when unparsable)
    meta: dict
    portal: str


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class LinkTextCrawler(FollowingMixin, FallbacksMixin, scrapy.Spider):
    """Base behaviour; subclasses add platform mixins in front (see reports.py). What to follow:
    crawler/spiders/following.py; site search and JSON details: crawler/spiders/fallbacks.py."""

    scopes: dict
    portal_meta: dict
    max_requests_per_portal = 20_000   # GOVREPORTS_MAX_REQUESTS_PER_PORTAL

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure_following(crawler.settings)
        spider.site_search = crawler.settings.getbool("GOVREPORTS_SITE_SEARCH", spider.site_search)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # ------------------------------------------------------------------ helpers
    def stat(self, portal: str, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"govreports/portal/{portal}/{key}", n)

    def _seen_before(self, url: str, kind: str) -> bool:
        key = (kind, url)
        if key in self._seen:
            return True
        self._seen.add(key)
        return False

    def make_request(self, url: str, page: Page | None, doc_kind: str, *, link_text: str = "",
                     hops: int | None = None, zone: int | None = None, callback=None, factory=scrapy.Request, **kw):
        """A request in the portal's context; None when out of scope, over budget or already seen."""
        meta_in = page.meta if page else {}
        portal = page.portal if page else kw.pop("portal")
        scope = self.scopes[portal]
        if doc_kind == "attachment":
            if not scope.attachment_allowed(url):
                return None
        elif not scope.allowed(url):
            if doc_kind in ("nav", "list") and scope.sibling(url):  # xxgk./zwgk. host in the navigation
                scope.add_host(host_of(url))
            else:
                self.crawler.stats.inc_value("govreports/out_of_scope_links")
                return None
        hops = meta_in.get("hops", 0) + 1 if hops is None else hops
        if hops > MAX_HOPS:
            return None
        repeatable = doc_kind in ("nav", "list", "api")
        if kw.get("method", "GET") == "GET" and self._seen_before(url, "doc" if not repeatable else "page"):
            return None  # per-run; details/attachments also pass Scrapy's (JOBDIR-persistent) dupefilter
        issued = self._issued.get(portal, 0)
        if issued >= self.max_requests_per_portal:   # a runaway portal must not eat the whole run
            self.stat(portal, "request_budget_exhausted")
            return None
        self._issued[portal] = issued + 1
        meta = {"portal": portal, "doc_kind": doc_kind, "link_text": (link_text or "")[:200],
                "found_on": page.url if page else None, "hops": hops,
                "zone": meta_in.get("zone", 0) if zone is None else zone}
        if meta_in.get("unit"):   # the unit whose directory link led here (title/organ hint)
            meta["unit"] = meta_in["unit"]
        meta.update(kw.pop("meta", {}) or {})
        if doc_kind == "attachment":
            # one size cap, applied by the downloader (no body over it is ever held) and by the parser
            meta["download_timeout"] = self.settings.getfloat("GOVREPORTS_ATTACHMENT_DOWNLOAD_TIMEOUT", ATTACHMENT_TIMEOUT)
            meta["download_maxsize"] = self.settings.getint("GOVREPORTS_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAXSIZE)
            meta["page_url"] = page.url if page else url
        cb = callback or (self.parse_attachment if doc_kind == "attachment" else self.parse_page)
        return factory(url, callback=cb, errback=self.on_error, meta=meta, dont_filter=repeatable, **kw)

    # ------------------------------------------------------------------ items
    def document_item(self, response, *, url: str, problem: dict | None = None, body: bytes | None = None,
                      content_type: str | None = None) -> DocumentItem:
        m = response.meta
        portal = m["portal"]
        self.stat(portal, "candidates_yielded")
        self.note_progress(portal, "candidate")
        if body is None:
            body = response.body if problem is None else b""
        return DocumentItem(
            url=url, document_url=response.url, portal=portal, found_on=m.get("found_on"),
            link_text=m.get("link_text") or None, body=body,
            content_type=content_type or (response.headers.get("Content-Type") or b"").decode("latin-1") or None,
            http_status=response.status, fetched_at=now_iso(), fetch_problem=problem,
            portal_meta=self.portal_meta.get(portal) or {},
            unit_hint=m.get("unit") or None, list_context=m.get("list_context") or None)

    def problem_item(self, request, code: str, detail: str, status=None) -> DocumentItem:
        m = request.meta
        portal = m["portal"]
        self.stat(portal, "candidates_yielded")
        return DocumentItem(
            url=m.get("page_url") or request.url, document_url=request.url, portal=portal,
            found_on=m.get("found_on"), link_text=m.get("link_text") or None, body=b"",
            content_type=None, http_status=status, fetched_at=now_iso(),
            fetch_problem={"code": code, "detail": detail}, portal_meta=self.portal_meta.get(portal) or {},
            unit_hint=m.get("unit") or None, list_context=m.get("list_context") or None)

    # ------------------------------------------------------------------ callbacks
    def on_error(self, failure):
        request = failure.request
        portal = request.meta.get("portal", "?")
        exc = failure.value
        code = fetch_error_code(exc, request.meta.get("doc_kind"))
        if code is None:
            return  # ignored on purpose (incremental skip, trap, budget): not a fetch failure
        self.stat(portal, _ERROR_STATS.get(code, code))
        if code == "unreachable":
            # no HTTP response at all (DNS, refused, timeout, TLS, connection lost) is "unreachable",
            # told apart from HTTP status errors so a run can say "site down" (crawler/extensions.py)
            self.crawler.stats.set_value(f"govreports/portal/{portal}/unreachable_detail",
                                         f"{type(exc).__name__}: {exc}"[:200])
        if code in ("unreachable", "http_error") and request.meta.get("hops") == 0 \
                and not request.meta.get("scheme_swapped"):
            # many county servers speak only http (or only https): try the other scheme once
            other = ("https://" + request.url[7:]) if request.url.startswith("http://") else ("http://" + request.url[8:])
            yield request.replace(url=other, meta={**request.meta, "scheme_swapped": True}, dont_filter=True)
            return
        if request.meta.get("doc_kind") in ("detail", "attachment"):
            if code == "redirect_loop" and request.meta.get("redirect_urls"):
                request = request.replace(url=request.meta["redirect_urls"][0])  # the link the portal shows
            yield self.problem_item(request, code, f"{type(exc).__name__}: {exc}"[:300])

    def decode(self, response) -> str:
        enc = best_encoding(response.body, response.headers.get("Content-Type"))
        return response.body.decode(enc, "replace")

    def report_problem(self, response, text: str):
        """Count and report a response that is not content. True when handled."""
        portal = response.meta["portal"]
        prob = detect_problem(response.status, text)
        if prob is None:
            return None
        code = prob.code
        if code == "blank":   # an empty file is not a block; an empty 200 page is a WAF's answer
            code = "empty_document" if response.meta.get("doc_kind") == "attachment" else "blocked"
        if code in ("captcha", "ip_banned"):
            self.stat(portal, code)
        self.stat(portal, {"blocked": "blocked", "captcha": "blocked", "ip_banned": "blocked",
                           "soft_404": "soft_404", "empty_document": "empty_documents"}.get(code, "http_errors"))
        if response.meta.get("doc_kind") in ("detail", "attachment"):
            return self.document_item(response, url=response.meta.get("page_url") or response.url,
                                      problem={"code": code, "detail": prob.detail})
        return True

    def parse_attachment(self, response):
        portal = response.meta["portal"]
        self.stat(portal, "pages_fetched")
        body = response.body
        if response.status >= 400 or (isinstance(response, TextResponse) and not body.startswith(_BINARY_MAGIC)):
            res = self.report_problem(response, self.decode(response) if body else "")
            if res is not None:
                if res is not True:
                    yield res
                return
        yield self.document_item(response, url=response.meta.get("page_url") or response.url)

    def parse_page(self, response) -> Iterator:
        portal = response.meta["portal"]
        self.stat(portal, "pages_fetched")
        body = response.body
        if body[:8].startswith(_BINARY_MAGIC) and response.status < 400:
            if response.meta.get("doc_kind") == "detail":  # the report link led straight to a file
                yield self.document_item(response, url=response.meta.get("found_on") or response.url)
            return
        text = self.decode(response)
        if response.meta.get("doc_kind") == "detail" and response.status < 400:
            rebuilt = self.json_detail_html(text, response.meta.get("link_text", ""))
            if rebuilt is not None:   # a JSON-only detail page: judged and yielded as the HTML it holds
                yield from self.handle_page(self.page_of(response, rebuilt), body=rebuilt.encode("utf-8"))
                return
        res = self.report_problem(response, text)
        if res is not None:
            if res is not True:
                yield res
            return
        target = redirect_target(text, response.url)
        page = self.page_of(response, text)
        if target and target != response.url:
            req = self.make_request(target, page, response.meta.get("doc_kind", "nav"),
                                    link_text=response.meta.get("link_text", ""),
                                    hops=response.meta.get("hops", 0))
            if req is not None:
                yield req
            if len(text) < 3000:
                return
        yield from self.handle_page(page)

    def page_of(self, response, text: str) -> Page:
        try:
            root = lxml.html.fromstring(_XML_DECL.sub("", text, count=1)) if text.strip() else None
        except (ValueError, lxml.etree.ParserError):
            root = None
        return Page(response, response.url, text, root, dict(response.meta), response.meta["portal"])

    def handle_page(self, page: Page, body: bytes | None = None) -> Iterator:
        anchors = L.extract_anchors(None, page.url, fragment=page.root) if page.root is not None else []
        kinds = [(a, self.classify(a)) for a in anchors]
        n_att = sum(1 for _a, k in kinds if k == "attachment")
        n_rep = sum(1 for a, k in kinds if k == "report" and a.url != page.url)
        verdict = judge(page.text, page.meta.get("link_text", ""), n_attachments=n_att, n_report_links=n_rep,
                        root=page.root)
        if page.meta.get("hops", 0) <= 1:
            self.remember_search_form(page)
        if page.meta.get("doc_kind") == "list" or any(k == "column" for _a, k in kinds):
            self.note_progress(page.portal, "column")
        if verdict.is_report:
            yield self.document_item(page.response, url=page.url, body=body,
                                     content_type="text/html; charset=utf-8" if body is not None else None)
            for a, k in kinds:
                if L.FORM_RE.search(a.text or ""):
                    continue  # the 申请表 template linked from every page's sidebar
                if k == "attachment" or (L.is_attachment_url(a.url) and not k.startswith("decoy")):
                    req = self.make_request(a.url, page, "attachment", link_text=a.text or verdict.title)
                    if req is not None:
                        yield req
            for hook in self.report_hooks():
                yield from hook(page)
            return
        if page.meta.get("doc_kind") == "detail" and n_rep == 0 and not any(k == "frame" for _a, k in kinds):
            yield self.refused_item(page, verdict, body)   # never silently dropped (a page listing reports is a list)
        yield from self.follow_anchors(page, anchors, kinds)
        for hook in self.platform_hooks():
            yield from hook(page)

    def refused_item(self, page: Page, verdict, body: bytes | None = None) -> DocumentItem:
        """A report candidate the gate refused. An article whose own title is a decoy (解读, 通知 …) goes
        to the parser, marked `gate_refusal`, and becomes a not_a_report reject with its title; any
        other page (no report title or body) is a failed candidate, `unrecognised_page`. A page never
        goes to the parser on a bare refusal: a list page would read as a report title without body."""
        self.stat(page.portal, "unrecognised_pages")
        title = next((t for t in (page.root.findtext(".//title") if page.root is not None else None,
                                  verdict.title) if t and t.strip()), "")
        detail = f"the report gate refused the page: {verdict.reason}; page title: {' '.join(title.split())[:150]}"
        if verdict.title_kind.startswith("decoy") or "解读" in verdict.reason:
            item = self.document_item(page.response, url=page.url, body=body,
                                      content_type="text/html; charset=utf-8" if body is not None else None)
            item["gate_refusal"] = {"code": "not_a_report", "detail": detail}
            return item
        return self.document_item(page.response, url=page.url, problem={"code": "unrecognised_page", "detail": detail})

    def platform_hooks(self):
        """List-page hooks the platform mixins declare (LIST_HOOKS; crawler/spiders/platforms)."""
        return self._declared_hooks("LIST_HOOKS")

    def report_hooks(self):
        """Report-page hooks the platform mixins declare (REPORT_HOOKS: extra attachment sources)."""
        return self._declared_hooks("REPORT_HOOKS")

    def _declared_hooks(self, kind: str) -> list:
        return [getattr(self, name) for cls in type(self).__mro__ for name in vars(cls).get(kind, ())]

    def classify(self, anchor) -> str:
        """Link kind (crawler.discovery.links.classify_link); mixins may add URL evidence."""
        return L.classify_link(anchor.text, anchor.url)
