"""Report titles: the one classifier shared by the spider (link texts) and the parser.

portals.md §f gives the title forms and §d the decoys that share the words. Functions here are
pure and cheap: the spider calls `title_kind` on every anchor text it sees.
"""
from __future__ import annotations

import re

from .normalize import compact, to_simplified

_YEAR = r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}"
# On compact (whitespace-free), simplified text.
TITLE_RE = re.compile(
    rf"(?P<pre>.{{0,60}}?)(?P<year>{_YEAR})年度?(?P<mid>.{{0,40}}?)"
    r"(?:政府|政务)?信息公开(?:工作)?(?:的)?(?:年度)?(?:情况)?(?:的)?(?:工作)?(?:年度)?(?:报告|年报)"
)
# A looser form without a year ("XX镇政府信息公开工作年度报告") for link texts.
LOOSE_RE = re.compile(r"(?:政府|政务)?信息公开(?:工作)?(?:的)?(?:年度)?(?:情况)?(?:的)?(?:工作)?(?:年度)?(?:报告|年报)")

# Decoys (portals.md §d, §f.13). Each entry: (reason, regex on the compact title).
DECOY_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (reason, re.compile(p)) for reason, p in (
        ("interpretation", r"解读|图解|一图读懂|读懂|图说"),
        ("compilation_notice", r"关于做好|编制发布|编制和发布|部署会|工作的通知|的通知$|通知$|^关于印发|召开"),
        ("format_notice", r"报告格式|国办公开办函"),
        ("compliance_summary", r"公布情况|报送情况|发布情况|情况的通报|通报"),
        ("rules", r"年度报告制度|报告制度|制度\(试行\)|办法$|规定$"),
        ("work_summary_or_plan", r"总结$|工作总结|实施方案|工作方案|工作要点|要点$|工作计划"),
        ("website_report", r"网站.{0,6}(?:年度)?(?:工作)?(?:年度)?报表|年度报表|网站工作年度报告"),
        ("enterprise_report", r"企业(?:年度)?(?:年报|报告)|年报公示|个体工商户|信用信息公示|农民专业合作社"),
        ("statistics", r"统计年报|统计报表|统计公报|统计调查"),
        ("budget", r"预算|决算|绩效"),
        ("guide", r"公开指南|指南$|公开目录"),
        ("news", r"^《.*》公布|近日|发布会"),
    )
)

# Column labels (no organ, no year): 政府信息公开年报, 政务公开年报, 信息公开年度报告专栏, 乡镇政府信息公开年报 …
_INDEX_WORDS = re.compile(
    r"^(?:乡镇|街道|镇街|部门|县直部门|乡镇街道|乡镇\(街道\))?"
    r"(?:(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开年报|年度报告|年报|公开年报)"
    r"(?:专栏|栏目|目录|汇总|列表)?(?:(?:19|20)\d{2}年?度?)?$")


def normal_title(text: str | None) -> str:
    """Compact, simplified, NFKC title used for matching (not for output)."""
    if not text:
        return ""
    t = compact(text)
    return to_simplified(t)


def decoy_reason(title: str | None) -> str | None:
    """The §d decoy family a title belongs to, or None."""
    t = normal_title(title)
    if not t:
        return None
    for reason, rx in DECOY_PATTERNS:
        if rx.search(t):
            return reason
    return None


def title_kind(text: str | None) -> str:
    """Classify an anchor text or page title.

    Returns one of:
      "report"  – looks like an annual report title (year + 信息公开…报告/年报, no decoy words);
      "report_noyear" – the report phrase without a year (often a report, sometimes a column);
      "column"  – a column/navigation label such as 政府信息公开年报 / 年度报告 / 2023年度;
      "decoy:<reason>" – shares the words but is a §d decoy;
      "other".
    """
    t = normal_title(text)
    if not t:
        return "other"
    if _INDEX_WORDS.match(t) or re.fullmatch(rf"(?:{_YEAR})年?度?(?:年报|报告)?", t):
        return "column"
    has_year = bool(TITLE_RE.search(t))
    has_phrase = has_year or bool(LOOSE_RE.search(t))
    if not has_phrase:
        return "other"
    reason = decoy_reason(t)
    if reason:
        return f"decoy:{reason}"
    return "report" if has_year else "report_noyear"


def is_report_title(text: str | None) -> bool:
    return title_kind(text) == "report"
