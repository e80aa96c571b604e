"""Where each table is: inside its section (二/三/四), or found by its own anchors when headings are missing."""
from __future__ import annotations

import re

from .document import Line
from .normalize import label_key

_T2_ANCHOR = re.compile(r"第二十条|信息内容|本年制发件数|本年新制作数量")
_T3_ANCHOR = re.compile(r"本年新收|勾稽关系|申请人情况")
_T3_END = re.compile(r"结转(?:至|到)?下一?年|下一?年度继续")
_T4_ANCHOR = re.compile(r"行政复议.{0,40}行政诉讼|复议后起诉|未经复议直接起诉|尚未审结")


def _line_key(ln: Line) -> str:
    return label_key(" ".join(ln.cells))


def table_regions(lines: list[Line], spans: dict[str, tuple[int, int, str]]) -> dict[str, tuple[int, int]]:
    """table name -> (start, end) line range."""
    keys = [None] * len(lines)

    def key(i):
        if keys[i] is None:
            keys[i] = _line_key(lines[i])
        return keys[i]

    def find(rx, start, end):
        for i in range(max(start, 0), min(end, len(lines))):
            if rx.search(key(i)):
                return i
        return None

    regions: dict[str, tuple[int, int]] = {}
    for tname, sec in (("table2", "proactive"), ("table3", "requests"), ("table4", "review_litigation")):
        if sec in spans:
            a, b, _ = spans[sec]
            regions[tname] = (a, b)
    n = len(lines)
    if "table3" not in regions:
        a = find(_T3_ANCHOR, 0, n)
        if a is not None:
            e = find(_T3_END, a, n)
            b = min(n, (e + 12) if e is not None else a + 120)
            t4 = find(_T4_ANCHOR, (e + 1) if e is not None else a + 1, b)
            regions["table3"] = (a, t4 if t4 is not None else b)
    if "table2" not in regions:
        a = find(_T2_ANCHOR, 0, n)
        if a is not None:
            b = regions["table3"][0] if "table3" in regions and regions["table3"][0] > a else min(n, a + 60)
            regions["table2"] = (a, b)
    if "table4" not in regions:
        start = regions["table3"][1] if "table3" in regions else 0
        a = find(_T4_ANCHOR, start, n)
        if a is not None:
            end = spans["problems"][0] if "problems" in spans and spans["problems"][0] > a else min(n, a + 40)
            regions["table4"] = (a, end)
    return regions
