"""Arithmetic identities (report-format.md §5) and the softer reviewer checks, as data.

A check whose inputs include a blank or unreadable cell is `skipped` and lists the missing cells;
a dash/无 cell counts as 0 and the assumption is written in the check's detail. Only `severity:
error` checks (the identities) can make a record `inconsistent`; `warning` checks never do.
"""
from __future__ import annotations

import re

from . import spec
from .values import Cell


def _check(cid, scope, status, expected=None, actual=None, detail="", cells=(), severity="error"):
    return {"id": cid, "scope": scope, "status": status, "expected": expected, "actual": actual,
            "detail": detail, "cells": list(cells), "severity": severity}


class _Cells:
    def __init__(self, tname: str, cells: dict[tuple[str, str], Cell]):
        self.t = tname
        self.cells = cells

    def path(self, row, col):
        return f"{self.t}.rows.{row}.{col}"

    def get(self, row, col):
        """(value or None, assumption or None, missing path or None)."""
        c = self.cells.get((row, col))
        if c is None or (c.value is None and c.marker != "na_dash"):
            return None, None, self.path(row, col)
        if c.value is None:  # na_dash
            return 0, f"{self.path(row, col)} '{c.raw}' read as 0", None
        return c.value, None, None

    def total(self, refs):
        s, assumptions, missing = 0, [], []
        for row, col in refs:
            v, a, m = self.get(row, col)
            if m:
                missing.append(m)
            else:
                s += v
                if a:
                    assumptions.append(a)
        return s, assumptions, missing


def _identity(cid, scope, cells: _Cells, left, right, text, severity="error"):
    lv, la, lm = cells.total(left)
    rv, ra, rm = cells.total(right)
    paths = [cells.path(r, c) for r, c in left + right]
    missing = lm + rm
    if missing:
        return _check(cid, scope, "skipped", detail=f"{text}; not assessable, missing: {', '.join(missing)}",
                      cells=paths, severity=severity)
    notes = la + ra
    detail = text + (f"; assumed: {'; '.join(notes)}" if notes else "")
    ok = abs(lv - rv) < 1e-9
    return _check(cid, scope, "passed" if ok else "failed", lv, rv, detail if ok else f"{detail}; difference {rv - lv}",
                  paths, severity)


def table3_checks(t3: dict, cells: dict) -> list[dict]:
    c = _Cells("table3", cells)
    version = t3["format_version"]
    rows = spec.t3_rows_for(version)
    results = (spec.T3_RESULT_ROWS_2021 if version == "2021" else spec.T3_RESULT_ROWS_2019)
    out = []
    for col in spec.T3_COLUMNS:
        out.append(_identity("T3-BAL", col, c, [("new_received", col), ("carried_over", col)],
                             [("total_processed", col), ("carried_forward", col)],
                             "new_received + carried_over = total_processed + carried_forward"))
    for row in rows:
        out.append(_identity("T3-ROW", row, c, [(row, a) for a in spec.T3_APPLICANT_COLUMNS], [(row, "total")],
                             "sum of the six applicant columns = total"))
    for col in spec.T3_COLUMNS:
        out.append(_identity("T3-RES", col, c, [(r, col) for r in results], [("total_processed", col)],
                             "sum of the outcome rows = total_processed"))
    out.append(_non_negative("T3-NN", c, [(r, col) for r in rows for col in spec.T3_COLUMNS]))
    return out


def _non_negative(cid, c: _Cells, refs, allow_negative=()):
    bad, seen = [], 0
    for row, col in refs:
        cell = c.cells.get((row, col))
        if cell is None or cell.value is None:
            continue
        seen += 1
        if col in allow_negative:
            continue
        if cell.value < 0 or (col != "amount_wan_yuan" and col != "amount" and cell.value != int(cell.value)):
            bad.append(f"{c.path(row, col)}={cell.value}")
    if not seen:
        return _check(cid, "all", "skipped", detail="no values", cells=[])
    return _check(cid, "all", "failed" if bad else "passed", 0, len(bad),
                  "every cell is a non-negative integer" + (f"; violations: {', '.join(bad)}" if bad else ""), bad)


def table4_checks(cells: dict) -> list[dict]:
    c = _Cells("table4", cells)
    out = []
    for g in spec.T4_ROWS:
        out.append(_identity("T4-SUM", g, c, [(g, k) for k in ("upheld", "corrected", "other", "pending")], [(g, "total")],
                             "upheld + corrected + other + pending = total"))
    out.append(_non_negative("T4-NN", c, [(g, k) for g in spec.T4_ROWS for k in spec.T4_COLUMNS]))
    return out


def table2_checks(t2: dict, cells: dict, organ_level: str | None) -> list[dict]:
    c = _Cells("table2", cells)
    version = t2["format_version"]
    refs = [(r, col) for r, cols in spec.T2_PRINTED[version].items() for col in cols]
    out = [_non_negative("T2-NN", c, refs, allow_negative=("items_change",))]
    if version == "2019":
        for row in ("rules", "normative_docs"):
            out.append(_soft_le("T2-PUB19", row, c, (row, "newly_published"), (row, "published_total"),
                                "newly_published <= published_total"))
    rule_cols = [("rules", col) for col in spec.T2_PRINTED[version]["rules"]
                 if col in ("issued", "newly_made", "newly_published")]
    vals = [(c.path(*rc), c.cells.get(rc)) for rc in rule_cols]
    nonzero = [p for p, cell in vals if cell is not None and cell.value]
    if organ_level and any(cell is not None and cell.value is not None for _, cell in vals):
        out.append(_check("T2-RULES", "rules", "failed" if nonzero else "passed", 0, len(nonzero),
                          f"a {organ_level} cannot make 规章 (only provincial and 设区的市 governments can)"
                          + (f"; non-zero: {', '.join(nonzero)}" if nonzero else ""), nonzero, "warning"))
    return out


def _soft_le(cid, scope, c: _Cells, a, b, text):
    av, _, am = c.get(*a)
    bv, _, bm = c.get(*b)
    if am or bm:
        return _check(cid, scope, "skipped", detail=f"{text}; missing: {am or bm}", cells=[c.path(*a), c.path(*b)],
                      severity="warning")
    return _check(cid, scope, "passed" if av <= bv else "failed", av, bv, text, [c.path(*a), c.path(*b)], "warning")


# ------------------------------------------------------------------ prose against tables (soft)
_CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if not s or any(ch not in _CN_NUM and ch not in "十百千" for ch in s):
        return None
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_NUM:
            cur = _CN_NUM[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (cur or 1) * unit
            cur = 0
    return total + cur


_NUM = r"(\d+|[零〇一二两三四五六七八九十百千]+)"
_TXT_REQ = re.compile(rf"(?:共|累计|全年)?(?:收到|受理|接到|新收|接收)(?:了)?(?:政府信息公开|依申请公开|信息公开)?(?:申请|事项|信息)?(?:共|共计|合计)?{_NUM}(?:件|条|个|份)")
_TXT_REVIEW = re.compile(rf"行政复议(?:案件|申请)?(?:共|共计)?{_NUM}(?:件|起|次)")
_TXT_LITIG = re.compile(rf"行政诉讼(?:案件)?(?:共|共计)?{_NUM}(?:件|起|次)")


def prose_checks(overview_compact: str, t3_cells: dict | None, t4_cells: dict | None) -> list[dict]:
    out = []
    if not overview_compact:
        return out
    if t3_cells:
        m = _TXT_REQ.search(overview_compact)
        cell = t3_cells.get(("new_received", "total"))
        if m and cell is not None and cell.value is not None:
            n = cn_number(m.group(1))
            if n is not None:
                out.append(_check("TXT-REQ", "new_received.total", "passed" if n == cell.value else "failed", n, cell.value,
                                  f"section 一 says '{m.group(0)}'; table 3 new_received.total = {cell.value}",
                                  ["table3.rows.new_received.total"], "warning"))
    if t4_cells:
        for cid, rx, groups in (("TXT-REVIEW", _TXT_REVIEW, ("review",)),
                                ("TXT-LITIGATION", _TXT_LITIG, ("litigation_direct", "litigation_after_review"))):
            m = rx.search(overview_compact)
            if not m:
                continue
            n = cn_number(m.group(1))
            vals = [t4_cells.get((g, "total")) for g in groups]
            if n is None or any(v is None or v.value is None for v in vals):
                continue
            total = sum(v.value for v in vals)
            out.append(_check(cid, "+".join(groups), "passed" if n == total else "failed", n, total,
                              f"section 一 says '{m.group(0)}'; table 4 total = {total}",
                              [f"table4.rows.{g}.total" for g in groups], "warning"))
    return out


def year_checks(rec: dict, years: list[tuple[str, int]]) -> list[dict]:
    """YEAR-TITLE (title year = statistics period) and FMT-YEAR (format version fits the year): warnings."""
    out = []
    by = dict((s, y) for s, y in reversed(years))
    if "title" in by and "statistics_period" in by:
        ok = by["title"] == by["statistics_period"]
        out.append(_check("YEAR-TITLE", "report_year", "passed" if ok else "failed", by["statistics_period"],
                          by["title"], "title year = statistics period year", severity="warning"))
    y = rec.get("report_year")
    for t in ("table2", "table3"):
        tab = rec.get(t)
        if tab and y:
            v = tab.get("format_version")
            odd = (v == "2019" and y >= 2021) or (v == "2021" and y <= 2020)
            out.append(_check("FMT-YEAR", t, "failed" if odd else "passed", "2019" if y <= 2020 else "2021", v,
                              f"{t} printed in the {v} format for a {y} report", severity="warning"))
    return out
