"""Items that flow from the spider to the pipelines.

The spider never parses reports: it yields a `DocumentItem` for every fetched page or attachment
that may be a report (and for pages it could not fetch properly: blocked, soft 404). The parse
pipeline turns each one into a record (a plain dict shaped as docs/record.md).
"""
from __future__ import annotations

import scrapy


class DocumentItem(scrapy.Item):
    url = scrapy.Field()            # page where the report was found (detail page, or the attachment link's page)
    document_url = scrapy.Field()   # URL of the document actually fetched (page itself or attachment, after redirects)
    portal = scrapy.Field()         # start URL of the portal it was discovered from
    found_on = scrapy.Field()       # list/column page that linked to it
    link_text = scrapy.Field()      # anchor text of the link that led here (title hint)
    body = scrapy.Field()           # raw bytes
    content_type = scrapy.Field()   # HTTP Content-Type header value (may lie)
    http_status = scrapy.Field()
    fetched_at = scrapy.Field()     # ISO 8601 with timezone
    fetch_problem = scrapy.Field()  # None, or {"code": "blocked|captcha|ip_banned|soft_404|http_error|unrecognised_page|…", "detail": "..."}
    portal_meta = scrapy.Field()    # extra columns from the portals CSV (name, region_code, province, city, county…)
    # Hints from the path that led here, for a page that prints no title or organ (never a sidebar heading):
    unit_hint = scrapy.Field()      # the unit (XX镇, XX局 …) whose directory link led to this page, or None
    list_context = scrapy.Field()   # text of the list row holding the link (title, date, organ …), or None
    # A report candidate the spider's gate refused (still parsed: the parser gives the final verdict):
    gate_refusal = scrapy.Field()   # None, or {"code": "not_a_report", "detail": "<reason>; page title: …"}
