"""Anchors of a page and their classification by link text (portals.md §0, §a, §c4, §d).

`extract_anchors` reads <a href>, onclick/JS hrefs and `title` attributes with lxml (cheap, no
Scrapy). `classify_link` is the one place that decides what a link *is*:

  "report"     anchor text is a report title (or the report phrase without a year)
  "attachment" pdf/doc/docx/wps/xls/ofd/rtf, incl. downfile.jsp?filename=x.pdf
  "column"     the report column or a year sub-column (政府信息公开年报, 2023年度 …)
  "area"       the 政府信息公开 / 政务公开 area and 法定主动公开内容
  "towns"      township/department directories (乡镇街道, 镇街, 部门街镇 …)
  "org"        a town or unit name (XX镇, XX街道办事处, XX县教育局 …)
  "pager"      下一页 / 尾页 / page numbers
  "frame"      the src of an iframe/frame (followed like the page that holds it)
  "decoy:<r>"  a §d look-alike (never fetched)
  "other"
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import lxml.html

from crawler.parsing.titles import decoy_reason, normal_title, title_kind  # noqa: F401 (normal_title re-exported)

ATTACHMENT_EXTS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "ofd", "rtf", "et", "zip")
_EXT_RE = re.compile(r"\.(" + "|".join(ATTACHMENT_EXTS) + r")$", re.I)
_DOWNLOAD_PATH = re.compile(r"downfile|download|attach|fileDown|getfile|DownLoad", re.I)
_JS_URL = re.compile(
    r"""(?:window\.open|location\.href\s*=|openUrl|openWin|goUrl)\s*\(?\s*['"]([^'"]+)['"]|"""
    r"""\w+\(\s*['"]([^'"]+\.(?:pdf|docx?|wps|xlsx?|ofd|rtf))['"]|"""
    # any site function called with one URL-shaped argument: gotoSite('/x/go/u63/index.html')
    r"""\w+\(\s*['"]((?:https?://|/|\./|\.\./)[^'"\s<>]+|[^'"\s<>/]+/[^'"\s<>]*|[^'"\s<>]+\.(?:s?html?|jsp|aspx?|php))['"]\s*\)""",
    re.I)
# VSB/博达 and others render 【下载Word】【下载PDF】 links to a download servlet without an extension
DOWNLOAD_TEXT_RE = re.compile(r"^[【\[]?(?:下载|点击下载)(?:PDF|Word|WPS|OFD|附件|原文|文件)?[】\]]?$", re.I)

AREA_RE = re.compile(r"信息公开|政务公开|公开目录|主动公开|法定主动公开|政务信息|xxgk|zwgk|公开平台", re.I)
AREA_SKIP_RE = re.compile(r"指南|制度|依申请|申请表|申请公开|意见|留言|信箱|解读|回应|目录下载|监督|举报|政策文件库|会议|听证")
TOWNS_RE = re.compile(
    r"^(?:乡镇|镇街|街镇|乡镇街道|乡镇（街道）|乡镇\(街道\)|镇\(街道\)|镇（街道）|乡\(镇\)|乡（镇）|部门街镇|街道|"
    r"部门|部门单位|部门和乡镇|县直部门|区直部门|市直部门|单位|镇街部门)"
    r"(?:办|办事处|人民政府|信息公开|政务公开|政府信息公开|公开|年报|目录|专栏|导航|链接)*$|"
    r"^(?:乡镇|镇街|街镇|乡\(镇\)|乡（镇）).{0,6}(?:人民政府|信息公开|公开|街道办|年报)$|"
    r"(?:乡镇|街镇|镇街|部门)(?:政府)?信息公开(?:平台|目录|专栏)?$|"
    r"^(?:乡镇|街道|镇)(?:政府)?信息公开年报$|乡镇\(街道办\)|乡镇（街道办）")
ORG_RE = re.compile(
    r"^[\u4e00-\u9fa5（）()]{1,24}?(?:镇|乡|街道|街道办事处|办事处|民族乡|苏木|管委会|管理委员会|"
    r"人民政府|人民政府办公室|政府办|政府办公室|局|委员会|委|办公室)$")
ORG_TOWN_RE = re.compile(r"(?:镇|乡|街道|街道办事处|办事处|民族乡|苏木|管委会|人民政府)$")
PAGER_RE = re.compile(
    r"^(?:下一页|下页|后页|尾页|末页|最后一页|上一页|上页|前页|首页|第\d+页|\d{1,4}|>|>>|»|›|next|last|\.\.\.|…)$", re.I)
# "更多" / "more" next to a block heading: a report column only when its URL says so (secondary evidence)
MORE_RE = re.compile(r"^(?:更多|更多>>|更多>|加载更多|查看更多|more|more>>|\+)$", re.I)
REPORT_SLUG_RE = re.compile(r"zfxxgknb|xxgknb|zfxxgkndbg|xxgkndbg|gknb|ndbg|zfgknb|AnnualReport|/nb/|_nb/", re.I)
# A list title cut short by the CMS: "漫湾镇2023年政府信息公开…"
TRUNCATED_RE = re.compile(r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年.{0,30}?(?:政府信|信息公|政务公|公开工|年度报|公开年)")
GENERIC_RE = re.compile(r"^(?:查看|详情|详细|详细信息|查看详情|阅读全文|全文|浏览|点击查看|下载|查看全文|\[详细\])?$")
NOISE_RE = re.compile(r"无障碍|繁體|繁体|简体|English|登录|注册|English|网站地图|RSS|打印|关闭|收藏|分享|微博|微信|长者|关怀")


FRAME_TEXT = "[frame]"
# Attachments that are forms/templates, not reports (linked from sidebars of every page)
FORM_RE = re.compile(r"申请表|申请书|登记表|表格下载|模板|样表|样本|格式文本|操作手册|使用说明")


# Links that only exist inside scripts: document.write('<a href="…">XX镇</a>') and JS data such as
# [{name: 'XX镇', url: '/col/col123/index.html'}] (a unit directory drawn by JS, portals.md §a2)
_SCRIPT_A = re.compile(r"""<a\s[^<>]*?href\s*=\s*\\?["']([^"'\\<>]+)\\?["'][^<>]*>(.{1,120}?)</a>""", re.I | re.S)
_SCRIPT_NAME_URL = re.compile(
    r"""(?:name|title|text)['"]?\s*:\s*['"]([^'"<>]{2,40})['"][^{}]{0,200}?(?:url|href|link)['"]?\s*:\s*['"]([^'"<>\s]+)['"]|"""
    r"""(?:url|href|link)['"]?\s*:\s*['"]([^'"<>\s]+)['"][^{}]{0,200}?(?:name|title|text)['"]?\s*:\s*['"]([^'"<>]{2,40})['"]""",
    re.I)
_TAG = re.compile(r"<[^>]+>")


def script_anchors(root) -> list[tuple[str, str]]:
    """(href, text) pairs written by inline scripts."""
    out = []
    for sc in root.iter("script"):
        code = (sc.text or "")[:100_000]
        if len(code) < 20 or sc.get("type", "").lower() in ("text/xml",):
            continue
        if "<a" in code or "<A" in code:
            out += [(h, " ".join(_TAG.sub(" ", t).split())) for h, t in _SCRIPT_A.findall(code)]
        if "url" in code or "href" in code or "link" in code:
            for n1, u1, u2, n2 in _SCRIPT_NAME_URL.findall(code):
                out.append((u1, n1) if u1 else (u2, n2))
    return out


class Anchor(NamedTuple):
    url: str
    text: str
    el: object = None     # the lxml element (None for links drawn by scripts)


def _canonical(url: str) -> str:
    """Drop fragments and fold TRS `_wap` twins onto their desktop page (portals.md hardest #6)."""
    if "#" not in url and "_wap" not in url:
        return url
    parts = urlsplit(url)
    path = re.sub(r"_wap(\.s?html?)$", r"\1", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def anchor_text(el) -> str:
    text = " ".join(el.text_content().split())
    title = (el.get("title") or "").strip()
    # Truncated list titles ("…2023年政府信息公…") are completed by the title attribute.
    if title and (len(title) > len(text) or text.endswith(("…", "...", ".."))):
        return title
    if not title and GENERIC_RE.match(text):
        # rows whose link reads only 查看/详情: the title sits in the row (tr/li/dd)
        for anc in el.iterancestors("tr", "li", "dd", "p"):
            row = " ".join(anc.text_content().split())
            if len(row) > len(text):
                return row[:120]
            break
    return text or title


def extract_anchors(html: str | bytes, base_url: str, *, fragment=None) -> list[Anchor]:
    """All followable anchors (absolute, canonical URLs) in document order, deduplicated by URL."""
    root = fragment if fragment is not None else _parse(html)
    if root is None:
        return []
    base = base_url
    for b in root.iter("base"):
        if b.get("href"):
            base = urljoin(base_url, b.get("href"))
            break
    out: dict[str, Anchor] = {}
    elements = list(root.iter("a", "area", "iframe", "frame", "option"))
    elements += [e for e in root.xpath("//*[@onclick][not(self::a)]") if _JS_URL.search(e.get("onclick", ""))]
    for el in elements:
        href = (el.get("href") or el.get("src") or el.get("value") or "").strip()
        onclick = el.get("onclick") or ""
        if not href or href.lower().startswith("javascript") or href == "#":
            m = _JS_URL.search(onclick) or _JS_URL.search(href)
            if not m:
                continue
            href = m.group(1) or m.group(2) or m.group(3)
        if href.lower().startswith(("mailto:", "tel:", "#")):
            continue
        try:
            url = _canonical(urljoin(base, href))
        except ValueError:
            continue
        if el.tag in ("a", "area") or el.get("onclick"):
            text = anchor_text(el)
        elif el.tag in ("iframe", "frame"):
            text = FRAME_TEXT
        else:
            text = (el.text or "").strip()
        prev = out.get(url)
        if prev is None or (len(text) > len(prev.text) and not prev.text.startswith(text)):
            out[url] = Anchor(url, text, el)
    for href, text in script_anchors(root):
        if href.lower().startswith(("javascript", "#", "mailto:")) or not text:
            continue
        try:
            url = _canonical(urljoin(base, href))
        except ValueError:
            continue
        out.setdefault(url, Anchor(url, text))
    return list(out.values())


def _parse(html: str | bytes):
    if not html:
        return None
    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None


def is_attachment_url(url: str) -> bool:
    parts = urlsplit(url)
    if _EXT_RE.search(parts.path):
        return True
    if parts.query:
        for vals in parse_qs(parts.query).values():
            if any(_EXT_RE.search(v) for v in vals) and _DOWNLOAD_PATH.search(parts.path):
                return True
    return False


def classify_link(text: str, url: str = "") -> str:
    """What an anchor is, from its text first and its URL only for attachments and 更多 links."""
    if text == FRAME_TEXT:
        return "frame"
    if url and (is_attachment_url(url) or DOWNLOAD_TEXT_RE.match(text.strip())):
        kind = title_kind(text)
        return kind if kind.startswith("decoy") else "attachment"
    kind = _text_kind(text)
    if kind == "more":
        return "column" if url and REPORT_SLUG_RE.search(url) else "other"
    return kind


@lru_cache(maxsize=65536)
def _text_kind(text: str) -> str:
    """Classification by text alone (cached: navigation chrome repeats on every page)."""
    t = normal_title(text)
    if not t:
        return "other"
    kind = title_kind(t)
    if kind in ("report", "report_noyear"):
        return "report"
    if kind == "column":
        return "column"
    if kind.startswith("decoy"):
        return kind
    if t.endswith(("…", "...", "..")) and not decoy_reason(t) and (TRUNCATED_RE.search(t) or _cut_report_title(t)):
        return "report"
    if len(t) > 40 or NOISE_RE.search(t):
        return "other"
    if PAGER_RE.match(t):
        return "pager"
    if MORE_RE.match(t):
        return "more"
    if re.search(r"年报|年度报告", t) and not decoy_reason(t):
        return "column"
    if TOWNS_RE.search(t):
        return "towns"
    if AREA_RE.search(t):
        if AREA_SKIP_RE.search(t) or navigation_decoy(t):
            return "other"
        return "area"
    if ORG_RE.match(t) and not decoy_reason(t):
        return "org"
    return "other"


_YEAR_NIAN = re.compile(r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})(年.*)?$")
# How a report title goes on after its year (the tail of a list title cut short is a prefix of one)
_TITLE_TAILS = tuple(f"年{d}{w}信息公开{k}" for d in ("度", "") for w in ("政府", "政务", "") for k in ("工作年度报告", "工作报告", "年报"))


def _cut_report_title(t: str) -> bool:
    """'XX局二〇二三年度政府…': a title cut after its year whose visible rest starts a report title."""
    m = _YEAR_NIAN.search(t.rstrip("….").rstrip("."))
    rest = (m.group(1) or "") if m else ""
    return len(rest) >= 3 and any(tail.startswith(rest) for tail in _TITLE_TAILS)


def cut_list_title(text: str) -> bool:
    """A list title cut short ('XX街道办事处二〇二三年度…', '…关于2…'): inside a report column it is a
    report candidate (the report gate judges the page) unless what is visible says otherwise."""
    t = normal_title(text)
    if not t.endswith(("…", "...", "..")) or decoy_reason(t) or len(t) < 6:
        return False
    m = _YEAR_NIAN.search(t.rstrip("….").rstrip("."))
    if not m:
        return True          # cut before (or inside) the year: nothing visible to judge by
    # when the cut leaves more than 年/年度 visible, that rest must start a report title
    return len(m.group(1) or "") <= 2 or _cut_report_title(t)


def navigation_decoy(label: str) -> str | None:
    """decoy_reason of a navigation label. A 目录 (directory) is where documents are listed: as a
    link label it is the disclosure area, not the 指南 (guide) the title rule means."""
    reason = decoy_reason(label)
    if reason == "guide" and "指南" not in label:
        return None
    return reason


def is_town_name(text: str) -> bool:
    return bool(ORG_TOWN_RE.search(normal_title(text)))
