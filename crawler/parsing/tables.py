"""The one table reader: logical rows + the format's row/column definitions → table dicts.

Every table is read the same way: match the printed rows to the defined rows (align.py: keyword,
then order and wording), fit each row's values onto the columns the detected version defines
(fit.py; table-3 rows whose digit run splits several ways are decided together by T3-BAL/T3-RES,
joint.py), classify each cell (§7). Table 4 has no row labels; its 15 values, after its header,
are read positionally (§4).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import spec
from .fit import Fitted, fit_values, t3_row_ok, t3_row_partial, t4_ok, t4_partial
from .align import align
from .joint import Identity, solve
from .normalize import label_key
from .rows import LogicalRow
from .values import Cell, parse_count, parse_money


@dataclass
class TableResult:
    table: dict | None
    problems: list[dict] = field(default_factory=list)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (row, col) -> Cell
    lines: set[int] = field(default_factory=set)  # line indices the table consumed


def _problem(code: str, detail: str, severity: str = "error") -> dict:
    return {"code": code, "severity": severity, "detail": detail}


def _keyed(result: TableResult, tname: str, rows: list[LogicalRow], row_defs) -> tuple[dict[str, LogicalRow], set[int]]:
    aligned = align(rows, row_defs)
    for key, label, sim in aligned.fuzzy:
        result.problems.append(_problem(
            "row_label_fuzzy", f"{tname}.rows.{key}: printed label '{label}' read as '{spec.OFFICIAL_TEXT[key]}' "
            f"by its place between the rows around it ({sim:.0%} of the official wording)", "warning"))
    return aligned.found, aligned.used


def _region_text(rows: list[LogicalRow]) -> str:
    return "".join(r.key_label for r in rows)


def _emit(result: TableResult, tname: str, row: str, cols: tuple[str, ...], raw_cells: list[str] | None,
          parse, store: dict):
    out = {}
    for j, col in enumerate(cols):
        cell = parse(col, raw_cells[j]) if raw_cells is not None else Cell(None, "missing", "")
        out[col] = cell.value
        result.cells[(row, col)] = cell
        if cell.marker == "merged_cell":
            result.problems.append(_problem("merged_cell", f"{tname}.rows.{row}.{col}: several numbers in one cell '{cell.raw}'"))
        elif cell.marker in ("unparsed",):
            result.problems.append(_problem("unparsed", f"{tname}.rows.{row}.{col}: cannot read '{cell.raw}'"))
        elif cell.marker == "non_integer_count":
            result.problems.append(_problem("non_integer_count", f"{tname}.rows.{row}.{col}: '{cell.raw}'", "warning"))
        if cell.marker not in (None, "missing") or (cell.raw and str(cell.value) != cell.raw):
            store.setdefault("cell_notes", {})[f"{row}.{col}"] = {"raw": cell.raw, "marker": cell.marker}
    return out


def _modal_width(found: dict[str, LogicalRow]) -> int | None:
    widths = Counter(r.width for r in found.values() if r.width is not None and r.structured and not r.exact)
    return widths.most_common(1)[0][0] if widths else None


def _fit(lr: LogicalRow, n: int, ok=None, partial=None, width: int | None = None) -> Fitted:
    short = width is not None and lr.width is not None and lr.width < width
    fitted = fit_values(lr.values, n, ok, partial, exact=lr.exact and lr.structured, short=short,
                        one_line=lr.width is not None)
    if not lr.optional_last:
        return fitted
    # A number alone on the line under a row of values: the row's last cell, or a page number.
    # Only the row's arithmetic can tell; if both readings (or neither) hold, the row is not read.
    without = fit_values(lr.values[:-1], n, ok, partial, exact=lr.exact and lr.structured, short=short)
    holds = [f for f in (fitted, without) if f.cells is not None and ok is not None and _ok(f.cells, ok)]
    if len(holds) == 1:
        return holds[0]
    return Fitted(None, "ambiguous_cells", f"'{lr.values[-1]}' on its own line may be the row's last cell or a "
                                           f"page number, and {'both readings' if holds else 'neither reading'} "
                                           f"satisfies the row's arithmetic: {' '.join(lr.values)}")


def _ok(cells: list[str], ok) -> bool:
    return all(c.isdigit() for c in cells) and ok([int(c) for c in cells])


def _report_fit(result: TableResult, tname: str, row: str, fitted: Fitted):
    if fitted.problem:
        result.problems.append(_problem(fitted.problem, f"{tname}.rows.{row}: {fitted.detail}"))
    elif fitted.split:
        result.problems.append(_problem("cells_split_by_arithmetic", f"{tname}.rows.{row}: {fitted.detail}", "warning"))
    return fitted.cells


def _fit_row(result: TableResult, tname: str, row: str, lr: LogicalRow, n: int, ok=None, partial=None,
             width: int | None = None):
    return _report_fit(result, tname, row, _fit(lr, n, ok, partial, width))


def _finish(result: TableResult, tname: str, found_any_values: bool):
    if not found_any_values:
        result.problems.append(_problem(f"{tname}_no_values", f"{tname} is printed but has no numbers (empty skeleton)"))


# ------------------------------------------------------------------ table 2
def _t2_version(rows: list[LogicalRow], found: dict[str, LogicalRow]) -> tuple[str | None, str]:
    text = _region_text(rows)
    score = {v: sum(1 for m in spec.T2_MARKERS[v] if label_key(m) in text) for v in ("2019", "2021")}
    for key in ("other_admin_services", "central_procurement"):
        if key in found:
            score["2019"] += 2
    for key in ("licensing", "penalty", "coercion"):
        lr = found.get(key)
        if lr is not None:
            nb = len([v for v in lr.values if v != ""])
            if nb == 3:
                score["2019"] += 1
            elif nb == 1:
                score["2021"] += 1
    if score["2019"] == score["2021"]:
        return (None, "no version markers") if score["2019"] == 0 else (None, f"markers tie {score}")
    return ("2019" if score["2019"] > score["2021"] else "2021"), f"markers {score}"


def _header_unit(column: str, text: str) -> str | None:
    m = re.search(column + r"\(?(?:单位[:：]?)?(万元|元)(?![\u4e00-\u9fff])", text)  # not '元万' (garbled)
    return m.group(1) if m else None


def _lone_values_in_doubt(found: dict[str, LogicalRow]) -> set[str]:
    """Rows whose one number sits alone under the label in a table that otherwise prints values
    beside the labels: a bare page number at a page break reads exactly like that (blank cell + footer)."""
    with_values = [k for k, r in found.items() if r.has_values]
    lone = {k for k in with_values if found[k].lone_value}
    return lone if len(lone) * 2 < len(with_values) else set()


def read_table2(rows: list[LogicalRow]) -> TableResult:
    result = TableResult(None)
    found, used = _keyed(result, "table2", rows, spec.T2_ROWS)
    if not found:
        return result
    version, why = _t2_version(rows, found)
    if version is None:
        result.problems.append(_problem("table2_version_unknown", f"table 2 format not recognised ({why}); assumed 2021"))
        version = "2021"
    text = _region_text(rows)
    header_unit = _header_unit("采购总金额", text)
    fee_unit = _header_unit("收费金额", text) or "万元"  # V2021 (八): 万元 unless the header says 元
    table: dict = {"format_version": version, "rows": {}}
    any_values = False
    printed = spec.T2_PRINTED[version]
    missing = [k for k in printed if k not in found]
    for key in found:
        if key not in printed:
            result.problems.append(_problem("table2_version_conflict", f"row {key} does not exist in the {version} table 2", "warning"))
    doubtful = _lone_values_in_doubt(found)
    for key, cols in printed.items():
        lr = found.get(key)
        if key in doubtful:
            result.problems.append(_problem("ambiguous_cells", f"table2.rows.{key}: '{lr.values[0]}' stands alone on "
                                            "the line below its label while the table's other rows print their "
                                            "values beside the label: a value or a page number"))
            lr = None
        raw = _fit_row(result, "table2", key, lr, len(cols)) if lr is not None else None
        any_values = any_values or (lr is not None and lr.has_values)

        def parse(col, text, _key=key):
            if col == "amount_wan_yuan":
                return parse_money(text, header_unit=fee_unit, convert_yuan_to_wan=True)
            if col == "amount":
                return parse_money(text, header_unit=header_unit, convert_yuan_to_wan=False)
            return parse_count(text)

        table["rows"][key] = _emit(result, "table2", key, cols, raw, parse, table)
        if key == "central_procurement":
            amount = result.cells.get((key, "amount"))
            table["rows"][key]["amount_unit"] = amount.unit if amount is not None and amount.value is not None else None
    if missing and len(missing) < len(printed):
        result.problems.append(_problem("table2_row_missing", "rows not found: " + ", ".join(missing)))
    _finish(result, "table2", any_values)
    result.table = table
    result.lines = used
    return result


# ------------------------------------------------------------------ table 3
def _t3_identities(order: tuple[str, ...]) -> list[Identity]:
    results = tuple(k for k in order[2:] if k not in ("total_processed", "carried_forward"))
    return [Identity("T3-BAL", ("new_received", "carried_over"), ("total_processed", "carried_forward")),
            Identity("T3-RES", ("total_processed",), results)]


def _ints(cells: list[str] | None) -> list[int] | None:
    if cells is None or not all(c.isdigit() for c in cells):
        return None  # blanks, dashes, footnotes: the row cannot anchor an identity
    return [int(c) for c in cells]


def _solve_t3(fits: dict[str, Fitted], order: tuple[str, ...]):
    """Rows whose digit run splits several ways, decided by T3-BAL/T3-RES together (concatenated tables)."""
    candidates = {k: f.candidates for k, f in fits.items() if f.candidates}
    if not candidates:
        return
    fixed = {k: _ints(f.cells) for k, f in fits.items() if k not in candidates}
    for key, (values, used) in solve(_t3_identities(order), fixed, candidates).items():
        old = fits[key]
        fits[key] = Fitted([str(v) for v in values], split=True,
                           detail=f"{old.detail.split(' can be split')[0]} split into 7 cells: "
                                  f"{'/'.join(map(str, values))}, the only split that satisfies the row total and "
                                  f"{', '.join(used)} with the other rows")
def read_table3(rows: list[LogicalRow]) -> TableResult:
    result = TableResult(None)
    found, used = _keyed(result, "table3", rows, spec.T3_ROWS)
    core = {"new_received", "carried_over", "granted", "total_processed", "carried_forward"}
    if len(found) < 3 or not (core & set(found)):
        return result
    if {"other_no_correction", "other_fee_unpaid", "other_other"} & set(found):
        version = "2021"
    elif "other_handling" in found:
        version = "2019"
    elif "逾期不补正" in _region_text(rows) or "缴纳费用" in _region_text(rows):
        version = "2021"
    else:
        version = "2021"
        result.problems.append(_problem("table3_version_unknown", "no （六） rows found; assumed the 2021 layout", "warning"))
    sub_rows = [k for k in ("other_no_correction", "other_fee_unpaid", "other_other") if k in found]
    subtotal = None
    if version == "2021" and "other_handling" in found and found["other_handling"].has_values:
        if any(found[k].has_values for k in sub_rows):
            subtotal = found.pop("other_handling")  # a subtotal printed on the （六） group row
        else:
            version = "2019"  # a 2021-era table printing a single （六）其他处理 row (Q33)
    order = spec.t3_rows_for(version)
    width = _modal_width(found)
    table: dict = {"format_version": version, "rows": {}}
    any_values = False
    missing = [k for k in order if k not in found]
    fits = {key: _fit(found[key], 7, t3_row_ok, t3_row_partial, width) for key in order if key in found}
    _solve_t3(fits, order)
    for key in order:
        lr = found.get(key)
        raw = _report_fit(result, "table3", key, fits[key]) if lr is not None else None
        any_values = any_values or (lr is not None and lr.has_values)
        table["rows"][key] = _emit(result, "table3", key, spec.T3_COLUMNS, raw, lambda c, t: parse_count(t), table)
    if missing:
        result.problems.append(_problem("table3_row_missing", "rows not found: " + ", ".join(missing)))
    if subtotal is not None:
        # Not an official cell: kept apart (report-format.md §5) so rows hold printed cells only.
        raw = fit_values(subtotal.values, 7, t3_row_ok, t3_row_partial).cells
        if raw is not None:
            table["extra_rows"] = {"other_handling_subtotal": {c: parse_count(v).value for c, v in zip(spec.T3_COLUMNS, raw)}}
        used.update(subtotal.lines)
    _finish(result, "table3", any_values)
    result.table = table
    result.lines = used
    return result


# ------------------------------------------------------------------ table 4
_T4_HEADER = re.compile(r"行政复议|行政诉讼|复议后起诉|直接起诉|结果维持|尚未审结")


def read_table4(rows: list[LogicalRow]) -> TableResult:
    result = TableResult(None)
    header = "".join(r.key_label for r in rows)
    if not _T4_HEADER.search(header):
        return result
    start = next((i for i, r in enumerate(rows) if _T4_HEADER.search(r.key_label)), 0)
    with_values = [r for r in rows[start:] if r.has_values]  # numbers before the header are prose ('2023年…')
    used = set()
    for r in rows:
        used.update(r.lines)
    values: list[str] = []
    if len(with_values) == 3 and all(len([v for v in r.values if v]) == 5 for r in with_values):
        for r in with_values:  # transposed layout: one labelled line per group
            values.extend(v for v in r.values if v)
    else:
        for r in with_values:
            values.extend(r.values)
        if not with_values:
            blanks = [r for r in rows if r.values]
            if blanks:
                values = max(blanks, key=lambda r: len(r.values)).values
    table = {"rows": {}}
    if not values:
        if not any(r.values for r in rows):
            return result  # only header words (or the heading): the table itself is absent
        result.problems.append(_problem("table4_no_values", "table 4 header found but no value cells"))
        for g in spec.T4_ROWS:
            table["rows"][g] = {c: None for c in spec.T4_COLUMNS}
        result.table, result.lines = table, used
        return result
    lr = LogicalRow(label="table4", values=values, structured=True,
                    exact=bool(with_values) and all(r.exact and r.structured for r in with_values))
    raw = _fit_row(result, "table4", "all", lr, 15, t4_ok, t4_partial)
    for gi, g in enumerate(spec.T4_ROWS):
        part = raw[gi * 5:(gi + 1) * 5] if raw is not None else None
        table["rows"][g] = _emit(result, "table4", g, spec.T4_COLUMNS, part, lambda c, t: parse_count(t), table)
    _finish(result, "table4", any(v != "" for v in values))
    result.table, result.lines = table, used
    return result
