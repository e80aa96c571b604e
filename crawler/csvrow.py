"""One CSV row from a record: the reports feed's flat shape (columns of crawler/schema.py).

Pure (no Scrapy): used by the feed exporter (crawler/exporters.py) and by the parser CLI's
``--csv`` (crawler/parsing/__main__.py), so both write the same columns the same way.
"""
from __future__ import annotations

import csv
import re
from typing import Any

from crawler.schema import CELL_COLUMNS, FIELDS

LIST_SEP = ";"
CSV_ENCODING = "utf-8-sig"  # with BOM: Excel shows the Chinese

_NUMERIC = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?%?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe (numbers pass)."""
    if value and value.startswith(_FORMULA_START) and not _NUMERIC.match(value.strip()):
        return "'" + value
    return value


def _text(value: Any) -> Any:
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return neutralise(value)
    if kind is int or kind is float:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = LIST_SEP.join(str(v) for v in value if v not in (None, ""))
    return neutralise(str(value))


def _unique(values) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def evidence_columns(record: dict) -> dict:
    """The flat evidence columns (docs/record.md): page and attachment digests, the parsed bytes' WARC."""
    evidence = record.get("evidence") or {}
    parsed = evidence.get("document") or evidence.get("page") or {}
    return {"evidence_page_sha256": (evidence.get("page") or {}).get("sha256"),
            "evidence_document_sha256": (evidence.get("document") or {}).get("sha256"),
            "evidence_warc": parsed.get("warc")}


def flatten(record: dict) -> dict:
    """One CSV row (column → cell) from a record (record.md JSON shape)."""
    row: dict[str, Any] = {}
    for name in FIELDS:
        if name in record and not isinstance(record[name], dict):
            row[name] = record[name]
    row.update(evidence_columns(record))
    sections = record.get("sections") or {}
    for key, text in sections.items():
        row[f"section_{key}"] = text
    tables = {"t2": record.get("table2") or {}, "t3": record.get("table3") or {},
              "t4": record.get("table4") or {}}
    rows_of = {}
    for column, table, r, c in CELL_COLUMNS:
        rows = rows_of.get(table)
        if rows is None:
            rows = rows_of[table] = tables[table].get("rows") or {}
        cells = rows.get(r)
        row[column] = cells.get(c) if cells else None
    row["t2_format_version"] = tables["t2"].get("format_version")
    row["t3_format_version"] = tables["t3"].get("format_version")
    row["changed_fields"] = [c.get("field") for c in record.get("changed_fields") or [] if isinstance(c, dict)]
    row["checks_failed"] = _unique(str(ch.get("id")) for ch in record.get("checks") or []
                                   if isinstance(ch, dict) and ch.get("status") == "failed")
    row["problems"] = _unique(str(p.get("code")) for p in record.get("problems") or []
                              if isinstance(p, dict))
    return {k: _text(row.get(k)) for k in FIELDS}


def write_csv(path, records, fields=None, flat=None) -> int:
    """Write records as the reports CSV (header, BOM, fixed columns) — or, given `fields` and
    `flat`, another feed's CSV such as the rejects CSV; returns the number of rows."""
    fields, flat = fields or FIELDS, flat or flatten
    n = 0
    with open(path, "w", encoding=CSV_ENCODING, newline="") as f:
        w = csv.writer(f)
        w.writerow(fields)
        for rec in records:
            row = flat(rec)
            w.writerow(["" if row[k] is None else row[k] for k in fields])
            n += 1
    return n


# The rejects CSV (beside rejects-<time>.jsonl): why each fetched document is not a report row.
REJECT_FIELDS: tuple[str, ...] = ("url", "document_url", "portal", "portal_name", "status", "problems",
                                  "problem_details", "title", "document_type", "sniffed_type", "http_status",
                                  "found_on", "link_text", "fetched_at")


def flatten_reject(record: dict) -> dict:
    problems = [p for p in record.get("problems") or [] if isinstance(p, dict)]
    row = {k: record.get(k) for k in REJECT_FIELDS}
    row["problems"] = _unique(str(p.get("code")) for p in problems)
    row["problem_details"] = " | ".join(f"{p.get('code')}: {p.get('detail')}" if p.get("detail") else str(p.get("code"))
                                        for p in problems)
    return {k: _text(row.get(k)) for k in REJECT_FIELDS}
