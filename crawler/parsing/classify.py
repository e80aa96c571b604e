"""Is this document an annual report? (portals.md §d robust positive test; record.md not_a_report)

A report has a report-like title without decoy words, and its body carries the section headings
(numbered, not mere mentions: a 解读 names all six parts in one sentence) or the tables.
Blocked and deleted pages are recognised by pageprobe.py (shared with the spider), so they are
never read as reports.
"""
from __future__ import annotations

import re

from .pageprobe import blocked_reason, soft_404  # noqa: F401 (the signatures' one home; re-exported)
from .titles import decoy_reason

_INTERPRETATION_BODY = re.compile(r"编制背景|编制依据|编制目的|一图读懂|图解")
_FORMAT_NOTICE_BODY = re.compile(r"国办公开办函|关于印发.{0,30}年度报告格式")


def classify(title: str | None, first_title_like: str | None, n_headings: int, has_tables: bool,
             body_compact: str) -> tuple[bool, str]:
    """(is_report, reason)."""
    if first_title_like:
        # '政府信息公开年报_政府信息公开目录_XX县人民政府': a page <title> is the article's name followed by
        # the site's column path; only the first segment names this document
        first_title_like = re.split(r"\s*(?:[_|｜]|\s[-—]\s)\s*", first_title_like.strip())[0]
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
