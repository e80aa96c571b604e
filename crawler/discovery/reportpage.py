"""Is a fetched HTML page a report detail page? Title + body, never the URL (portals.md §d
"robust positive test", §c2, §c3).

A page is a report when its own title (ArticleTitle/ColumnName meta, h1…h3, <title>) or the link
that led to it is a report title that is not a §d decoy, **and** either
- the body has ≥3 of the six section headings at line start (一、总体情况 … 六、其他需要报告的事项) or
  the table labels of the standard tables (a 解读 mentions the six names in one sentence: not enough), or
- the page links an attachment (the report published as pdf/doc: "详见附件"), or
- the page's own title is a report title and the page is not a list of reports (tables as images).
This is a cheap gate; the parser makes the final status.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from crawler.parsing.titles import title_kind

_HEADINGS = re.compile(
    r"(?m)^\s*[（(]?[一二三四五六七][)）、.．]?\s*(?:总体情况|概述|主动公开政府信息情况|主动公开情况|"
    r"收到和处理政府信息公开申请情况|依申请公开|政府信息公开行政复议|因政府信息公开|存在的主要问题|"
    r"其他需要报告的事项)")
# The same headings found in the raw HTML: "line-initial" = right after a tag (no text extraction).
_HEADINGS_HTML = re.compile(
    r">(?:\s|&nbsp;|&#160;|\u3000)*[（(]?[一二三四五六七][)）、.．]?(?:\s|&nbsp;)*(?:<[^<>]{0,120}>(?:\s|&nbsp;)*)?"
    r"(总体情况|概述|主动公开政府信息情况|主动公开情况|收到和处理政府信息公开申请情况|依申请公开|政府信息公开行政复议|"
    r"因政府信息公开|存在的主要问题|其他需要报告的事项)")
_TABLE_LABELS = re.compile(
    r"本年新收政府信息公开申请数量|本年收到申请数|上年结转政府信息公开申请数量|本年度办理结果|"
    r"结转下年度继续办理|行政复议|行政诉讼|商业企业|科研机构|社会公益组织|法律服务机构|自然人|"
    r"本年制发件数|本年废止件数|现行有效件数|处理决定数量|本年新制作数量|本年新公开数量")
_TITLE_META = re.compile(r"""<meta\s+[^>]*name\s*=\s*["'](?:ArticleTitle|title)["'][^>]*content\s*=\s*["']([^"']+)""", re.I)
_COLTYPE_META = re.compile(r"""<meta\s+[^>]*name\s*=\s*["'](?:ColumnName|ColumnType)["'][^>]*content\s*=\s*["']([^"']+)""", re.I)
_TAG_TEXT = re.compile(r"<(h1|h2|h3|title)\b[^>]*>(.*?)</\1>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
_BLOCK_SPLIT = re.compile(r"<\s*(?:br|/?p|/?div|/?h\d|/?tr|/?td|/?th|/?li|/?table|/?section|/?span|/?strong|/?b)\b[^>]*>", re.I)
_TEXT_NODES = "//body//text()[not(ancestor::script)][not(ancestor::style)]"
_STRIP = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->", re.S | re.I)


class Verdict(NamedTuple):
    is_report: bool
    title: str        # best title seen on the page
    title_kind: str   # title_kind() of that title
    headings: int     # line-initial section headings found
    table_labels: int  # distinct standard table labels found
    reason: str


# <title> and breadcrumbs join the article's title to column and site names: "标题_栏目名_XX县人民政府"
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|(?<!\d)-(?!\d)|－{1,2}|—{1,2}|>>|»|>)\s*")


def page_titles(html: str, root=None) -> list[str]:
    """The article's own titles first (ArticleTitle/title meta, h1–h3 in document order), then the
    segments of <title> split at its separators (the column and site names are separate segments)."""
    out = [m.group(1) for m in _TITLE_META.finditer(html[:20_000])]
    if root is not None:
        heads = [(e.tag, " ".join(e.text_content().split())) for e in root.iter("title", "h1", "h2", "h3")]
    else:
        heads = [(m.group(1).lower(), " ".join(_TAGS.sub(" ", m.group(2)).split()))
                 for m in _TAG_TEXT.finditer(html[:300_000])]
    out += [t for tag, t in heads if tag != "title"]
    for tag, t in heads:
        if tag == "title":
            out += [seg for seg in _TITLE_SEPARATORS.split(t) if seg]
    return [t for t in out if t]


def body_lines(html: str, root=None) -> list[str]:
    """Text lines of the page (one per text node with an lxml `root`, else split at block tags)."""
    if root is not None:
        return [t.strip().replace("\u3000", " ") for t in root.xpath(_TEXT_NODES) if t.strip()]
    text = _BLOCK_SPLIT.sub("\n", _STRIP.sub(" ", html))
    text = _TAGS.sub(" ", text)
    text = text.replace("&nbsp;", " ").replace("\u3000", " ")
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


_RANK = {"report": 4, "report_noyear": 3}


def judge(html: str, link_text: str = "", *, n_attachments: int = 0, n_report_links: int = 0, root=None) -> Verdict:
    titles = page_titles(html, root)
    best, best_kind = "", "other"
    for t in titles:
        k = title_kind(t)
        # the article's own heading decides: the first title that is a report or a decoy
        if k.startswith("decoy") and best_kind not in _RANK:
            return Verdict(False, t, k, 0, 0, "page title is a decoy")
        if _RANK.get(k, 0) > _RANK.get(best_kind, 0):
            best, best_kind = t, k
    link_kind = title_kind(link_text) if link_text else "other"
    if link_kind.startswith("decoy"):
        return Verdict(False, link_text, link_kind, 0, 0, "link text is a decoy")
    titled = best_kind in _RANK or link_kind in _RANK
    if not titled and "总体情况" not in html:
        return Verdict(False, best, best_kind, 0, 0, "no report title/body")
    heads = len({m.group(1) for m in _HEADINGS_HTML.finditer(html)})
    if heads < 3:   # headings split by unusual markup: fall back to the page's text lines
        heads = max(heads, len({m.group(0).strip()[-4:] for m in _HEADINGS.finditer("\n".join(body_lines(html)))}))
    if ("编制背景" in html or "编制依据" in html) and heads < 3:
        return Verdict(False, best, best_kind, heads, 0, "reads like a 解读")
    labels = len(set(_TABLE_LABELS.findall(html)))
    meta_col = any("年报" in c or "年度报告" in c for c in _COLTYPE_META.findall(html[:20_000]))
    if titled and (heads >= 3 or labels >= 4):
        return Verdict(True, best or link_text, best_kind, heads, labels, "title + section markers/tables")
    if titled and n_attachments and n_report_links < 2:
        return Verdict(True, best or link_text, best_kind, heads, labels, "title + attachment")
    if best_kind == "report" and n_report_links < 2:
        return Verdict(True, best, best_kind, heads, labels, "page title is a report title")
    if link_kind == "report" and n_report_links < 2 and (meta_col or heads or labels or best_kind == "report_noyear"):
        return Verdict(True, link_text, link_kind, heads, labels, "link text is a report title")
    if not titled and heads >= 5 and labels >= 4:
        return Verdict(True, best, best_kind, heads, labels, "section headings + tables")
    return Verdict(False, best, best_kind, heads, labels, "no report title/body")
