"""Is this document an annual report? (portals.md §d robust positive test; record.md not_a_report)

A report has a report-like title without decoy words, and its body carries the section headings
(numbered, not mere mentions: a 解读 names all six parts in one sentence) or the tables.
Blocked and deleted pages are recognised here too, so they are never read as reports.
"""
from __future__ import annotations

import re

from .titles import decoy_reason

_ANTI_BOT = re.compile(
    rb"__jsl_clearance|\$_ts\s*=|acw_sc__v2|_guard/auto\.js|safedog|Please enable JavaScript|"
    rb"\xe8\xaf\xb7\xe5\xbc\x80\xe5\x90\xaf ?JavaScript|Just a moment|yunsuo_session_verify|"
    rb"\xe6\x82\xa8\xe7\x9a\x84\xe8\xae\xbf\xe9\x97\xae\xe8\xa2\xab\xe6\x8b\xa6\xe6\x88\xaa|"  # 您的访问被拦截
    rb"\xe7\xbd\x91\xe7\xab\x99\xe9\x98\xb2\xe7\x81\xab\xe5\xa2\x99",  # 网站防火墙
    re.I,
)
_SOFT_404 = re.compile(r"(?:该|此)?(?:信息|文章|页面|内容|稿件)(?:已(?:被)?删除|不存在|已下线|已撤销|已过期)|页面不存在|404\s*(?:not\s*found|错误)|找不到(?:该)?页面|您访问的页面")
_INTERPRETATION_BODY = re.compile(r"编制背景|编制依据|编制目的|一图读懂|图解")
_FORMAT_NOTICE_BODY = re.compile(r"国办公开办函|关于印发.{0,30}年度报告格式")


def blocked_reason(data: bytes) -> str | None:
    """Anti-bot interstitial (加速乐, 瑞数, 安全狗, WAF pages) recognised from the raw bytes."""
    if len(data) > 20000:
        return None
    m = _ANTI_BOT.search(data)
    if m:
        return m.group(0).decode("utf-8", "replace")
    return None


def soft_404(body_compact: str) -> bool:
    return len(body_compact) < 400 and bool(_SOFT_404.search(body_compact))


def classify(title: str | None, first_title_like: str | None, n_headings: int, has_tables: bool,
             body_compact: str) -> tuple[bool, str]:
    """(is_report, reason)."""
    for t in (title, first_title_like):
        reason = decoy_reason(t)
        if reason:
            return False, f"title is a {reason.replace('_', ' ')}: {t}"
    if title:
        if n_headings >= 2 or has_tables:
            return True, "report title and report structure"
        if not re.search(r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}", title):
            return False, f"a yearless report phrase without report structure (a column or list page): {title}"
        if _INTERPRETATION_BODY.search(body_compact[:3000]):
            return False, "interpretation (解读) of a report: no numbered sections or tables"
        return True, "report title without report body (tables and sections missing)"
    if _FORMAT_NOTICE_BODY.search(body_compact[:600]):
        return False, "the document is the national report-format notice"
    if n_headings >= 4 and (has_tables or n_headings >= 5):
        return True, "no title found, but the six-section structure is present"
    return False, "no report title and no report structure"
