"""What to follow when no rule names a link (issue 9): unit directories recognised by what they
contain, and a best-first score for the other links of the disclosure area.

- `unit_directory_urls`: a block (list, table, <select>, tree menu …) whose links are mostly unit
  names (…乡, …镇, …街道/办事处, …局, …委, …中心) or lead to per-unit sub-sites is a unit
  directory whatever its label: every link in it is followed.
- `explore_score`: anchor text, URL and context evidence that an unlabelled link leads towards the
  reports. The spider follows links that score at least `MIN_SCORE` inside the disclosure area,
  highest first, within a page budget and a depth (hops without a rule match) per portal
  (GOVREPORTS_EXPLORE_PAGES / GOVREPORTS_EXPLORE_DEPTH).
Pure functions over lxml elements and strings (tests/test_discovery_explore.py).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.discovery.links import MORE_RE, navigation_decoy
from crawler.parsing.titles import decoy_reason, normal_title

# A unit's name: a short name ending in a township or agency suffix.
UNIT_NAME_RE = re.compile(
    r"^[\u4e00-\u9fa5（）()·]{1,20}?(?:乡|镇|街道|街道办事处|办事处|民族乡|苏木|管委会|管理委员会|人民政府|"
    r"局|委|委员会|办公室|中心|管理处|管理局|服务中心)$")
# "…中心" names that are site features, not units
_NOT_UNIT = re.compile(r"^(?:新闻|下载|帮助|个人|用户|消息|信息|数据|资源|办事|服务|互动|媒体|视频|图片|政务服务)?中心$|^(?:首页|政府办公室)$")
DIRECTORY_MIN_LINKS = 3
_ROWS = ("li", "tr", "dd", "dt", "option")
_INLINE = ("span", "font", "b", "strong", "em", "i", "u", "h3", "h4", "h5", "label", "td", "th")

# Score evidence (weights chosen so that one strong hint or two weak ones pass MIN_SCORE).
MIN_SCORE = 2.0
_TEXT_GOOD = re.compile(r"公开|信息|政务|目录|专栏|年报|报告|乡镇|镇街|街镇|街道|部门|区县|县区|站群|子站|分站")
_TEXT_BAD = re.compile(r"新闻|动态|要闻|图片|视频|招聘|招标|采购|互动|留言|信箱|访谈|直播|调查|征集|天气|旅游|"
                       r"投诉|举报|指南|制度|依申请|申请表|解读|回应|登录|注册|搜索|无障碍|English|关怀|长者")
_URL_GOOD = re.compile(r"xxgk|zwgk|gkml|zfxxgk|gongkai|openness|public|gov_?info|jcgk|bmgk|xzgk|zjgk|jdgk|"
                       r"bmxx|xzxx|zjxx|ndbg|nb|report|dept|town|unit|org|zhan|site", re.I)
_URL_ARTICLE = re.compile(r"(?:^|/)(?:t|content_|art_|post_|c|n)?\d{6,}[_\d]*\.s?html?$|/20\d{2}[01]\d/", re.I)
_DATE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}")
_YEAR = re.compile(r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}")


def is_unit_name(text: str) -> bool:
    t = normal_title(text)
    return bool(t) and len(t) <= 24 and bool(UNIT_NAME_RE.match(t)) and not _NOT_UNIT.search(t) \
        and not decoy_reason(t)


def _container(el):
    """The block a link belongs to: the parent of its row (li, tr, dd, option), else its nearest
    non-inline parent (a table's rows, a list's items, a <select>'s options share one block)."""
    for anc in el.iterancestors():
        if anc.tag in _ROWS:
            parent = anc.getparent()
            if parent is not None and parent.tag == "tbody":
                parent = parent.getparent()
            return parent
        if anc.tag not in _INLINE:
            return anc
    return None


def _subsite_root(url: str) -> tuple[str, str] | None:
    """(host, parent path) of a URL that is the root of a (sub-)site: a bare host, /a/b/ or
    /a/b/index.html; None for articles, queries and deep paths."""
    parts = urlsplit(url)
    segs = [s for s in parts.path.split("/") if s]
    if segs and re.match(r"^(?:index|default|main)\.\w+$", segs[-1], re.I):
        segs = segs[:-1]
    if len(segs) > 3 or (segs and "." in segs[-1]) or parts.query:
        return None
    return (parts.hostname or "", "/".join(segs[:-1]) if segs else "")


def _subsite_block(links) -> list:
    """Links of a block that lead to per-unit sub-sites: other hosts' roots, or sibling directories
    under one parent path (a site's own top menu, /xwzx/ /zwgk/ …, is neither)."""
    short = [a for a in links if len(normal_title(a.text)) <= 12]
    roots = [(a, _subsite_root(a.url)) for a in short]
    roots = [(a, r) for a, r in roots if r is not None]
    hosts = {r[0] for _a, r in roots}
    if len(hosts) >= 4:      # one host per unit: cg.x.gov.cn, hk.x.gov.cn …
        picked = [a for a, _r in roots]
    else:
        parents: dict[tuple, list] = {}
        for a, r in roots:   # sibling directories named like places, not like columns
            t = normal_title(a.text)
            if r[1] and len(t) <= 5 and not _TEXT_GOOD.search(t) and not _TEXT_BAD.search(t):
                parents.setdefault(r, []).append(a)
        picked = max(parents.values(), key=len, default=[])
    distinct = {a.url for a in picked}
    return picked if len(distinct) >= 4 and len(distinct) * 10 >= len(links) * 7 else []


def unit_directory_urls(anchors) -> set[str]:
    """URLs of anchors that sit in a unit directory block. `anchors` carry `.el` (lxml element, or None
    for script-drawn links, which form one block)."""
    out: set[str] = set()
    for links in _blocks(anchors):
        if len(links) < DIRECTORY_MIN_LINKS:
            continue
        units = [a for a in links if is_unit_name(a.text)]
        if len(units) >= DIRECTORY_MIN_LINKS and len(units) * 2 >= len(links):
            out.update(a.url for a in units)
            continue
        out.update(a.url for a in _subsite_block(links))
    return out


def _blocks(anchors) -> list[list]:
    """Anchors grouped by block (keyed by the element itself: id() of lxml proxies is reused)."""
    blocks: dict[object, list] = {}
    for a in anchors:
        el = getattr(a, "el", None)
        box = _container(el) if el is not None else None
        blocks.setdefault(box if box is not None else "script", []).append(a)
    return list(blocks.values())


def menu_urls(anchors) -> set[str]:
    """Links of navigation menus: blocks of 4–40 links whose texts are short labels (not titles)."""
    out: set[str] = set()
    for links in _blocks(anchors):
        if not 4 <= len(links) <= 40:
            continue
        short = [a for a in links if 2 <= len(normal_title(a.text)) <= 8]
        if len(short) * 10 >= len(links) * 8:
            out.update(a.url for a in short)
    return out


def explore_score(text: str, url: str, *, context: float = 0.0, menu: float = 0.0) -> float:
    """How promising an unlabelled link is (>= MIN_SCORE: worth a request inside the disclosure area)."""
    t = normal_title(text)
    if not t or len(t) > 20 or _DATE.search(t) or _YEAR.search(t) or navigation_decoy(t):
        return 0.0          # a document's title (dated, a year, long), not a navigation label
    score = 0.0
    if _TEXT_GOOD.search(t):
        score += 2
    if is_unit_name(t):
        score += 1.5
    if _TEXT_BAD.search(t):
        score -= 4
    path = urlsplit(url).path + "?" + urlsplit(url).query
    if _URL_GOOD.search(path):
        score += 1
    if _URL_ARTICLE.search(urlsplit(url).path):
        score -= 2          # an article, not a column
    score += context        # sits in a block with report/column/area/unit links (context_score)
    score += menu           # a label of a navigation menu (the caller weighs it by page)
    if len(t) <= 2:
        score -= 1
    return score


def neighbour_counts(anchors, matched_urls: set[str]) -> dict[str, tuple[int, int]]:
    """For each anchor URL: (links of its block matched by a rule, other links of its block)."""
    out: dict[str, tuple[int, int]] = {}
    for links in _blocks(anchors):
        hits = sum(1 for a in links if a.url in matched_urls)
        for a in links:
            mine = 1 if a.url in matched_urls else 0
            out[a.url] = (hits - mine, len(links) - 1)
    return out


def context_score(matched: int, others: int) -> float:
    """Evidence from a link's block: the share of its neighbours that rules matched (a label next to
    the report column is probably a column too), and their number."""
    if not matched or not others:
        return 0.0
    return min(2.0, 2.0 * matched / others + 0.25 * matched)


def more_link_of_reports(anchor, report_elements: set) -> bool:
    """A 更多>>/more link whose block (the nearest ancestor holding other links) lists reports.
    `report_elements`: the <a> elements of the page's report links."""
    el = getattr(anchor, "el", None)
    if el is None or not MORE_RE.match(normal_title(anchor.text)):
        return False
    for anc in el.iterancestors():
        links = [a for a in anc.iter("a") if a is not el]
        if links:
            return any(a in report_elements for a in links)
    return False
