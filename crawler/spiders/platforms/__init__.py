"""Platform behaviours (docs/portals.md platform catalog): one module per platform holds its
detector, its list readers (pure functions) and its requests, as a mixin of the `reports` spider.

`PLATFORMS` is the registry: the spider class is built from it (crawler/spiders/reports.py), and
each mixin declares its hooks instead of a hand-kept list elsewhere:
  LIST_HOOKS   methods called with every non-report page (`hook(page)` yields requests)
  REPORT_HOOKS methods called with every report page (extra attachment sources)
Mixins use the crawler's public API only: make_request, follow_anchors, pages_worth_paging,
classify, page_of, report_problem, decode, stat (crawler/spiders/base.py, following.py).
Generic pagers every platform shares (createPageHTML, page_N, ?page=N, __doPostBack) live in
crawler/discovery/pagination.py and crawler/spiders/following.py.
"""
from .gkmlpt import GkmlptMixin
from .hanweb import HanwebJcmsMixin, HanwebJpaasMixin
from .lonsun import LonsunMixin
from .querystring import QueryStringMixin
from .trs import TrsMixin

# Order = method resolution order: Lonsun's classify() refines the base classifier first.
PLATFORMS: dict[str, type] = {
    "lonsun": LonsunMixin,
    "trs": TrsMixin,
    "hanweb_jcms": HanwebJcmsMixin,
    "hanweb_jpaas": HanwebJpaasMixin,
    "gkmlpt": GkmlptMixin,
    "querystring": QueryStringMixin,
}

__all__ = ["PLATFORMS", "GkmlptMixin", "HanwebJcmsMixin", "HanwebJpaasMixin", "LonsunMixin", "QueryStringMixin",
           "TrsMixin"]
