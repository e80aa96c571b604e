"""Pure discovery functions used by the `reports` spider.

Nothing here touches the network or Scrapy's engine: every function takes text/bytes/URLs and
returns plain data, so each one is unit-tested on HTML snippets (tests/test_discovery_*.py).

- `scope`      : which hosts belong to a portal (registrable domain, xxgk./zwgk. siblings, IP portals)
- `encoding`   : decode GBK/GB2312/UTF-8 bodies, with or without charset, surviving a lying <meta>
- `problems`   : JS/meta redirect shells (page-problem signatures: crawler/parsing/pageprobe.py)
- `links`      : anchors (incl. onclick, title attributes) and their classification by link text
- `pagination` : every pager of portals.md §b7 that lives in the HTML/JS of a list page
- `explore`    : unit directories by content, best-first scores of unlabelled links
- `forms`      : ASP.NET postbacks, site search forms, JSON detail pages
- `reportpage` : is a fetched page a report detail page (title + body markers, never the URL)
Platform list formats (Hanweb, gkmlpt …) live with their platform in crawler/spiders/platforms/.
"""
