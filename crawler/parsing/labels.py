"""Metadata blocks (report-format.md §6): label/value fields such as 索引号, 发布机构, 成文日期, as
portals print them — a table, a bullet list, a byline, <dt>/<dd> pairs, letter-spaced labels."""
from __future__ import annotations

import re

from .document import Line
from .normalize import one_line, to_simplified

# label -> field; labels may be printed with spaces between characters (索 引 号).
_LABELS = {
    "索引号": "index_no", "索引號": "index_no",
    "发布机构": "publisher", "發布機構": "publisher", "发布单位": "publisher", "信息来源": "publisher",
    "来源": "publisher", "發文機關": "publisher", "发文机关": "publisher",
    "成文日期": "written_date", "发文日期": "written_date", "生成日期": "written_date", "成文时间": "written_date",
    "印发日期": "written_date",
    "发布日期": "published_date", "发布时间": "published_date", "公开日期": "published_date",
    "公开时间": "published_date", "撰写时间": "published_date", "时间": "published_date", "日期": "published_date",
    "主题分类": "topic", "组配分类": "topic", "体裁分类": "topic", "信息分类": "topic", "发布目录": "topic",
    "文号": "doc_no", "发文字号": "doc_no", "发布文号": "doc_no",
    "名称": "title", "标题": "title", "信息名称": "title", "题名": "title",
    "信息类别": "topic", "信息分类号": "topic", "文种": "_skip", "所属类别": "topic",
    "所属机构": "owner", "公开方式": "_skip", "有效性": "_skip", "时效": "_skip", "关键词": "_skip",
    "关键字": "_skip", "浏览次数": "_skip", "作者": "_skip", "编辑": "_skip", "字体": "_skip", "分享": "_skip",
    "访问量": "_skip", "浏览量": "_skip", "内容概述": "_skip", "公开范围": "_skip", "公开时限": "_skip",
}
_SHORT = {"来源", "时间", "日期", "文号", "名称", "标题", "作者", "编辑", "字体", "分享", "时效"}


def _label_pattern(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in label)


_LABEL_RE = re.compile(
    "|".join(f"(?P<l{i}>{_label_pattern(lab)})" for i, lab in enumerate(sorted(_LABELS, key=len, reverse=True)))
)
_LABEL_BY_GROUP = {f"l{i}": lab for i, lab in enumerate(sorted(_LABELS, key=len, reverse=True))}
# a labelled metadata field and its value, up to the whitespace after it (dates may carry a time):
# on a line that runs on into the title ('发布机构：政府办公室 XX区…2023年…报告'), the title starts after it
_FIELD_BEFORE_TITLE = re.compile(
    "(?:" + "|".join(_label_pattern(lab) for lab, f in _LABELS.items() if f not in ("title", "_skip"))
    + r")\s*[:：]\s*\S+(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+")
_STOP = re.compile(r"(?:【|\[|扫一扫|打印|关闭|阅读次数|点击[数量率]?|责任编辑|\s{3,}).*$")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_PLACEHOLDER = {"", "/", "无", "-", "—", "——", "暂无", "null", "None", "空"}


def iso_date(text: str | None) -> str | None:
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def scan_labels(lines: list[Line]) -> dict[str, str]:
    """Label/value pairs from metadata blocks (tables, bullet lists, bylines); first non-empty wins."""
    found: dict[str, str] = {}
    lines = _pair_label_lines(lines)
    for ln in lines:
        text = " | ".join(ln.cells) if ln.is_row else (ln.cells[0] if ln.cells else "")
        runon = "。" in text or len(text) > 400
        if runon:
            # prose — or a document flattened onto one line that starts with its metadata block
            # ('索引号：… 发布机构：… XX镇2023年…报告 本报告…。'): read only such a leading block
            text = text.lstrip()
            stop = text.find("。")
            text = text[:stop if 0 < stop < 400 else 400]
            if not _LABEL_RE.match(text):  # _LABELS carry the traditional spellings too
                continue
        text = one_line(text.replace("•", "|").replace("·", "|"))
        simp = to_simplified(text)  # labels matched on simplified text, values kept as printed
        if len(simp) != len(text):
            simp = text
        if len(text) > 400 or not text:
            continue
        matches = []
        for m in _LABEL_RE.finditer(simp):
            lab = _LABEL_BY_GROUP[m.lastgroup]
            start, end = m.span()
            before = text[start - 1] if start else ""
            after = text[end:end + 3]
            colon = after.lstrip(" ").startswith((":", "："))
            # A label starts a field: at line start or after a separator, and is followed by a colon,
            # a cell boundary, or a space then the value (bylines such as '来源 大川镇').
            if before and not (before.isspace() or before in "|:：>】]•·"):
                continue
            if not colon and not (after[:1] in (" ", "|") or end == len(text)):
                continue
            matches.append((start, end, lab))
        for i, (start, end, lab) in enumerate(matches):
            stop = matches[i + 1][0] if i + 1 < len(matches) else len(text)
            value = text[end:stop].strip(" :：|")
            value = _STOP.sub("", value).strip(" :：|")
            if runon:
                value = value.split(" ")[0]  # the run-on text after the value is the title and prose
            field = _LABELS[lab]
            if field == "_skip":
                continue
            if value in _PLACEHOLDER:
                found.setdefault(field + "__seen", "")
                continue
            found.setdefault(field, value)
    return {k: v for k, v in found.items() if not k.endswith("__seen")}


def label_line(text: str) -> str | None:
    """The label when a line is only a metadata label ('索引号', '发布单位：'), as <dt> cells print."""
    t = text.strip().rstrip(":：").strip()
    m = _LABEL_RE.fullmatch(t) if 0 < len(t) <= 12 else None
    return _LABEL_BY_GROUP[m.lastgroup] if m else None


def _pair_label_lines(lines: list[Line]) -> list[Line]:
    """'<dt>索引号</dt><dd>X</dd>' arrives as two lines: join each label line to the value line after it."""
    out, i = [], 0
    while i < len(lines):
        ln = lines[i]
        text = ln.cells[0] if ln.cells and not ln.is_row else ""
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (text and nxt is not None and not nxt.is_row and nxt.cells and label_line(text)
                and not label_line(nxt.cells[0]) and len(nxt.cells[0]) <= 120):
            out.append(Line([f"{text.strip().rstrip(':：')}：{nxt.cells[0].strip()}"], in_body=ln.in_body))
            i += 2
            continue
        out.append(ln)
        i += 1
    return out
