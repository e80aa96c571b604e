"""Score a parsed record against the truth of the Report it was rendered from.

Cells: `right` (the printed number), `null_problem` (null, and the record carries an error
problem saying something is unread), `null_silent` (null with no error problem — a defect),
`wrong` (a number that differs from the document — the worst defect, fatal under `complete`).
"""
from __future__ import annotations

from collections import Counter

from .model import META_FIELDS

TABLES = ("table2", "table3", "table4")


def _numeric(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def cell_outcomes(rec: dict, truth: dict) -> list[tuple[str, str, str, object, object]]:
    """(table, row, column, expected, got, outcome) for every value cell (numeric or printed blank)."""
    has_error = any(p.get("severity") == "error" for p in rec.get("problems") or [])
    out = []
    for t in TABLES:
        tt = truth.get(t)
        if not tt:
            continue
        got_rows = ((rec.get(t) or {}).get("rows") or {})
        for row, cols in tt["rows"].items():
            for col, exp in cols.items():
                if col == "amount_unit" or not (exp is None or _numeric(exp)):
                    continue
                got = (got_rows.get(row) or {}).get(col)
                if exp is None:  # a cell printed blank: null is right, any number is wrong
                    kind = "right" if got is None else "wrong"
                elif got is None:
                    kind = "null_problem" if has_error else "null_silent"
                elif _numeric(got) and got == exp:
                    kind = "right"
                else:
                    kind = "wrong"
                out.append((t, row, col, exp, got, kind))
    return out


def meta_outcomes(rec: dict, truth: dict) -> dict[str, bool]:
    return {f: rec.get(f) == truth.get(f) for f in META_FIELDS}


def score(rec: dict, truth: dict) -> dict:
    cells = cell_outcomes(rec, truth)
    counts = Counter(c[-1] for c in cells)
    wrong = [c for c in cells if c[-1] == "wrong"]
    return {"cells": counts, "wrong": wrong, "wrong_under_complete": bool(wrong) and rec.get("status") == "complete",
            "meta": meta_outcomes(rec, truth), "status": rec.get("status")}
