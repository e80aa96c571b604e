"""Anhui 龙讯 Lonsun: `/XxgkContent/showList/{org}/{cat}/page_N.html` lists (generic page_N filling)
and `/XxgkAnnualReport/show/{id}.html` report details, whose list rows often read only 查看/详情.
The URL is secondary evidence only: the fetched page still has to pass the report gate."""
from __future__ import annotations

import re

from crawler.discovery import links as L

_ANNUAL = re.compile(r"/XxgkAnnualReport/show/\d+", re.I)
_GENERIC = re.compile(r"^(?:查看|详情|详细|详细信息|查看详情|阅读全文|全文)?$")


class LonsunMixin:
    def classify(self, anchor) -> str:
        kind = super().classify(anchor)
        if kind in ("other", "pager") and "AnnualReport" in anchor.url and _ANNUAL.search(anchor.url):
            bare = re.sub(r"[\d\-:/.年月日]", "", L.normal_title(anchor.text))   # "查看 2024-01-21" → 查看
            if _GENERIC.match(bare):
                return "report"
        return kind
