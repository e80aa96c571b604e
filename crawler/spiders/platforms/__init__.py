"""Platform behaviours (portals.md platform catalog), mixed into the `reports` spider.

Each mixin adds list-page hooks (`*_hook(page)`, registered in `platform_hooks`) and, where the
platform needs them, its own API callbacks. They all reuse the base crawler's link classifier,
request factory and report gate, so there is exactly one classifier.
"""
from .gkmlpt import GkmlptMixin
from .hanweb import HanwebJcmsMixin, HanwebJpaasMixin
from .lonsun import LonsunMixin
from .querystring import QueryStringMixin
from .trs import TrsMixin

__all__ = ["GkmlptMixin", "HanwebJcmsMixin", "HanwebJpaasMixin", "LonsunMixin", "QueryStringMixin", "TrsMixin"]
