"""Lines of a table region → logical rows (label + value cells).

Works the same for HTML/DOCX/PDF grid rows, pipe and tab rows, one cell per line, and whole
rows written on one line: label tokens accumulate until a value arrives; value tokens attach to
the current label; a label after values starts a new row (report-format.md §3.3, Q4–Q7, Q31–Q36).
Prose lines (sentences) are skipped unless the region has nothing else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .document import Line
from .normalize import label_key
from .values import looks_like_value, norm_cell

_SPLIT_GLUED = re.compile(r"(?<=[\u4e00-\u9fff)）”\"’」】])(?=[+\-]?\d)|(?<=\d)(?=[\u4e00-\u9fff(（“])")
_WORD_NA = frozenset({"无", "空"})  # placeholders that are also characters of labels
_UNIT_ONLY = re.compile(r"^(?:件|条|项|个|次|家|元|万元)")
# '00000004.保护第三方…': a flattened row's digits glued to the next row's item number (items are
# numbered 1.–8. inside a group), so the last digit before '.'/'、' + a label starts the next label.
_GLUED_NUMBER = re.compile(r"^(\d+)(\d[.、．](?=[\u4e00-\u9fff(（“\"]).*)$")


@dataclass
class LogicalRow:
    label: str = ""
    values: list[str] = field(default_factory=list)  # '' = a blank cell of a grid row
    structured: bool = False
    exact: bool = True  # every contributing row was an exact grid row
    width: int | None = None  # cell count of the one separator row it came from (None: several lines)
    optional_last: bool = False  # the last value stood alone under a line of values: maybe a page number
    lone_value: bool = False  # its only value stood alone on a line below its label (or a page number)
    lines: list[int] = field(default_factory=list)

    @property
    def key_label(self) -> str:
        return label_key(self.label)

    @property
    def has_values(self) -> bool:
        return any(v != "" for v in self.values)


_PARENS = re.compile(r"[(（][^()（）]*[)）]")


def is_prose(text: str) -> bool:
    """A sentence, not a table cell: table labels carry commas only inside parentheses."""
    t = text.strip()
    if "。" in t:
        return True
    bare = _PARENS.sub("", t)
    # a long line with no sentence punctuation is a flattened table ('…国家秘密00002022.其他法律…')
    if len(bare) > 12 and any(p in bare for p in "，,；;"):
        # a wrapped label line carrying the row's values ('处理的，只计这一情形 0 8 0 0 0 1 9') is a row
        tail = t.rsplit(None, 3)[1:]
        return not (len(tail) == 3 and all(w.isdigit() for w in tail))
    return False


def _split_glued(token: str) -> list[str]:
    """'数量521000053二、上年结转' → ['数量', '521000053', '二、上年结转']; keeps '0件' and '1.属于…'."""
    pieces = [p for p in _SPLIT_GLUED.split(token) if p]
    out: list[str] = []
    for p in pieces:
        if out and _UNIT_ONLY.match(p) and looks_like_value(out[-1] + _UNIT_ONLY.match(p).group(0)):
            unit = _UNIT_ONLY.match(p).group(0)
            out[-1] += unit
            rest = p[len(unit):]
            if rest:
                out.append(rest)
        elif (g := _GLUED_NUMBER.match(p)) is not None:
            out.extend((g.group(1), g.group(2)))
        else:
            out.append(p)
    return out


def tokens_of(line: Line) -> list[tuple[str, str]]:
    """(kind, text) tokens of a line; kind is 'label', 'value' or 'blank' (blank only in grid rows)."""
    toks: list[tuple[str, str]] = []
    if line.is_row:
        seen_value = False
        for raw in line.cells:
            c = norm_cell(raw)
            if not c:
                toks.append(("blank", ""))
            elif seen_value and not looks_like_value(c) and not all(looks_like_value(p) for p in c.split()):
                toks.append(("value", c))  # text in a value cell ('见附件', '约27'): one unparsed cell
            elif looks_like_value(c):
                toks.append(("value", c))
            elif all(looks_like_value(p) for p in c.split()):
                toks.extend(("value", p) for p in c.split())  # several numbers in one cell
            else:
                parts = _split_glued(c.replace(" ", "")) if re.search(r"\d", c) else [c]
                for p in parts:
                    toks.append(("value" if looks_like_value(p) else "label", p))
            seen_value = seen_value or (bool(toks) and toks[-1][0] == "value")
        return toks
    text = norm_cell(line.cells[0] if line.cells else "")
    for word in text.split():
        for p in (_split_glued(word) if re.search(r"\d", word) else [word]):
            toks.append(("value" if looks_like_value(p) else "label", p))
    return toks


def logical_rows(lines: list[Line], idx_offset: int = 0, *, include_prose: bool = False) -> list[LogicalRow]:
    rows: list[LogicalRow] = []
    cur: LogicalRow | None = None
    prev_values = 0  # value tokens on the previous line
    seen_headers: set[str] = set()
    for i, ln in enumerate(lines):
        if not ln.is_row and not include_prose and is_prose(ln.cells[0] if ln.cells else ""):
            continue
        toks = tokens_of(ln)
        if not toks or all(k == "blank" for k, _ in toks):
            continue
        if ln.is_row and all(k != "value" for k, _ in toks) and sum(1 for k, _ in toks if k == "label") > 1:
            header = "|".join(t for k, t in toks if k == "label")
            if header in seen_headers:
                continue  # a header row repeated after a page break: the row it interrupts goes on
            seen_headers.add(header)
        if prev_values > 1 and toks[0][1] in _WORD_NA and not ln.is_row and (len(toks) == 1 or toks[1][0] == "label"):
            # '无' opening the line under a line of values ('无', '无 要另行制作') is a character of a
            # vertical group label (无法提供) printed at the left of the rows, not a cell
            toks = [("label", toks[0][1])] + toks[1:]
        lone_number = prev_values > 1 and len(toks) == 1 and toks[0][1].isdigit() and not ln.is_row
        prev_values = sum(1 for k, _ in toks if k == "value")
        for kind, text in toks:
            if kind == "label":
                if cur is None or cur.values:
                    cur = LogicalRow(label=text, structured=ln.is_row, lines=[i + idx_offset],
                                     width=len(ln.cells) if ln.is_row else None)
                    rows.append(cur)
                else:
                    cur.label += text
                    if i + idx_offset not in cur.lines:
                        cur.lines.append(i + idx_offset)
            else:
                if cur is None:
                    cur = LogicalRow(label="", structured=ln.is_row, lines=[i + idx_offset])
                    rows.append(cur)
                cur.lone_value = (not cur.values and len(toks) == 1 and kind == "value" and not ln.is_row
                                  and bool(cur.label))
                cur.values.append(text if kind == "value" else "")
                cur.optional_last = lone_number and bool(cur.label)
                cur.structured = cur.structured or ln.is_row
                cur.exact = cur.exact and ln.exact
                if i + idx_offset not in cur.lines:
                    cur.lines.append(i + idx_offset)
                    cur.width = None
    return rows


def match_key(key_label: str, row_defs) -> str | None:
    """The row whose keyword occurs right-most in the label (a group label may precede the item)."""
    return _match_key(key_label, tuple(row_defs))


@lru_cache(maxsize=32768)  # row labels repeat from report to report
def _match_key(key_label: str, row_defs) -> str | None:
    best, best_pos, best_len = None, -1, 0
    for rd in row_defs:
        last = None
        for m in rd.regex.finditer(key_label):
            last = m
        if last is not None and (last.start() > best_pos or (last.start() == best_pos and len(last.group(0)) > best_len)):
            best, best_pos, best_len = rd.key, last.start(), len(last.group(0))
    return best
