"""Bounded crawling: every paginated list stops at a page limit, and URL traps are not followed.

Pagination is free of the navigation-hop limit (a pager request keeps its page's ``hops``), so
it is the one place a crawl can run away: a list whose page N links page N+1 forever, a pager
that numbers 10,000 pages, an API that answers every ``page=N``. `ListLimitMiddleware` (a spider
middleware: it sees each request next to the response it came from) groups every list/api request
that continues a list — same ``hops`` as the page that yielded it — under that list's first page
(``meta["list_root"]``) and drops the requests beyond ``GOVREPORTS_MAX_LIST_PAGES`` pages of one
list, whatever the pager's form (next links, page numbers, JS, API pages, POST forms).

Independently of pagination, three URL shapes are traps for any request kind:
- a session id in the URL (``;jsessionid=``, ``PHPSESSID=``, ``sid=<hex>`` …): the same page
  under a new id is not requested again;
- an ever-growing path (a segment run repeated three times: ``/a/b/a/b/a/b/``, relative-link bugs);
- calendars: navigation/list URLs that differ only by a date (``?date=2024-01-05``,
  ``/2024/01/05/``) — one calendar (URL shape) gets at most ``GOVREPORTS_MAX_LIST_PAGES`` requests.

Each drop is counted (``govreports/portal/<portal>/trap/<kind>``) and the capped URL shape is
remembered (``…/trap_patterns``: digits → ``#``) so the run summary can name the trap; when a
portal exhausts its request budget anyway, the URL shape that took most of it is named too.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request

LIST_KINDS = frozenset({"list", "api"})
_SESSION_PARAM = re.compile(r"^(jsessionid|phpsessid|aspsessionid\w*|sessionid|sid|session|sessid|token|_t)$", re.I)
_SESSION_PATH = re.compile(r";(jsessionid|sessionid)=[^/?#]*", re.I)
_SESSION_VALUE = re.compile(r"^[0-9a-fA-F-]{16,}$|^[0-9A-Za-z]{24,}$")
_DATE = re.compile(r"(?<!\d)(19|20)\d{2}[-/]?(0[1-9]|1[0-2])([-/]?(0[1-9]|[12]\d|3[01]))?(?!\d)")
_DATE_KEYS = re.compile(r"^(date|day|month|ym|ymd|riqi|rq)$", re.I)


def url_shape(url: str) -> str:
    """The URL with digit runs as '#' and query values dropped except their shape: one list or
    calendar = one shape (``/col/col#/index_#.html``, ``/api?page=#&sid=#``)."""
    parts = urlsplit(url)
    query = "&".join(f"{k}={re.sub(r'[0-9]+', '#', v)}" for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True)))
    path = re.sub(r"[0-9]+", "#", _SESSION_PATH.sub("", parts.path))
    return f"{parts.netloc}{path}" + (f"?{query}" if query else "")


def without_session(url: str) -> str | None:
    """The URL without its session id, or None when it has none."""
    parts = urlsplit(url)
    path = _SESSION_PATH.sub("", parts.path)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not (_SESSION_PARAM.match(k) and _SESSION_VALUE.match(v))]
    if path == parts.path and len(kept) == len(pairs):
        return None
    query = "&".join(f"{k}={v}" for k, v in kept)
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{query}" if query else "")


def growing_path(url: str, repeats: int = 3) -> bool:
    """A run of path segments repeated `repeats` times in a row (``/a/b/a/b/a/b/``)."""
    segs = [s for s in urlsplit(url).path.split("/") if s]
    for width in range(1, len(segs) // repeats + 1):
        for start in range(0, len(segs) - width * repeats + 1):
            run = segs[start:start + width]
            if all(segs[start + k * width:start + (k + 1) * width] == run for k in range(1, repeats)):
                return True
    return False


def is_calendar(url: str) -> bool:
    """A URL addressed by a date: a date in the path or a date-named/date-valued query parameter."""
    parts = urlsplit(url)
    if _DATE.search(parts.path.replace("/", "-")) and re.search(r"/(19|20)\d{2}/\d{1,2}/(\d{1,2}/)?", parts.path):
        return True
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if (_DATE_KEYS.match(key) and value.isdigit()) or re.fullmatch(_DATE.pattern, value):
            return True
    return False


class ListLimitMiddleware:
    """Caps each list's pages and drops trap URLs (see module docstring)."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.max_pages = crawler.settings.getint("GOVREPORTS_MAX_LIST_PAGES", 300)
        self.pages = Counter()          # (portal, list root) → pages issued (the root included)
        self.calendars = Counter()      # (portal, url shape) → calendar requests issued
        self.sessionless: set[str] = set()
        self.traps: dict[str, set[str]] = {}
        self.shapes: dict[str, Counter] = defaultdict(Counter)   # portal → URL shape → requests issued
        self.budget_named: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_spider_output(self, response, result):
        async for out in result:
            if isinstance(out, Request):
                if not self.keep(out, response):
                    continue
                if out.meta.get("doc_kind") not in ("detail", "attachment"):  # what explores, not what lists show
                    self.shapes[out.meta.get("portal") or "?"][url_shape(out.url)] += 1
            yield out
        self._name_budget_eater((getattr(response, "meta", None) or {}).get("portal"))

    def _name_budget_eater(self, portal: str | None) -> None:
        """When the portal's request budget ran out (crawler/spiders/base.py), name the URL shape
        that took most of it: that is where the portal trapped the crawl."""
        if not portal or portal in self.budget_named or \
                not self.stats.get_value(f"govreports/portal/{portal}/request_budget_exhausted"):
            return
        self.budget_named.add(portal)
        (shape, n), = self.shapes[portal].most_common(1) or [("?", 0)]
        patterns = self.traps.setdefault(portal, set())
        patterns.add(f"{shape} ({n} requests when the portal's request budget ran out)")
        self.stats.set_value(f"govreports/portal/{portal}/trap_patterns", sorted(patterns))

    def keep(self, request: Request, response) -> bool:
        portal = request.meta.get("portal") or "?"
        trap = self.trap_kind(request, response, portal)
        if trap is None:
            return True
        self.stats.inc_value(f"govreports/portal/{portal}/trap/{trap}")
        shape = url_shape(request.url)
        patterns = self.traps.setdefault(portal, set())
        if shape not in patterns and len(patterns) < 20:
            patterns.add(shape)
            self.stats.set_value(f"govreports/portal/{portal}/trap_patterns", sorted(patterns))
        return False

    def trap_kind(self, request: Request, response, portal: str) -> str | None:
        url = request.url
        canonical = without_session(url)
        if canonical is not None:
            if canonical in self.sessionless:
                return "session_id"
            self.sessionless.add(canonical)
        if growing_path(url):
            return "growing_path"
        kind = request.meta.get("doc_kind")
        if kind in LIST_KINDS | {"nav"} and is_calendar(url):  # report pages may sit under /2024/01/05/
            key = (portal, url_shape(url))
            if self.calendars[key] >= self.max_pages:
                return "calendar"
            self.calendars[key] += 1
        if kind in LIST_KINDS:
            return self._list_page(request, response, portal)
        return None

    def _list_page(self, request: Request, response, portal: str) -> str | None:
        parent = getattr(response, "meta", None) or {}
        # a POST pager (Hanweb dataproxy.jsp) asks the same URL for every page: URLs do not tell
        continues = parent.get("doc_kind") in LIST_KINDS | {"nav", "detail"} and \
            request.meta.get("hops") == parent.get("hops")
        root = (parent.get("list_root") or response.url) if continues else request.url
        key = (portal, root)
        if self.pages[key] == 0:
            self.pages[key] = 1           # the list's first page
        if continues:
            if self.pages[key] >= self.max_pages:
                return "list_pages"
            self.pages[key] += 1
        request.meta["list_root"] = root
        return None
