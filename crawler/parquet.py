"""Typed Parquet feed (pyarrow): ``-o reports.parquet`` or ``-s GOVREPORTS_PARQUET=1`` (adds
``output/reports-<time>.parquet`` beside the CSV).

The columns are the CSV's (crawler/schema.py, same order) with types instead of text: table cells
as nullable int64 (the money cells ``*__amount``/``*__amount_wan_yuan`` as float64, amount_unit as
text), report_year as int, dates as date32, fetched_at as a UTC timestamp, codes (index_no,
region codes) as strings, sections as text, also_at as a list of strings, and beside them the JSON
detail as lists of structs: ``checks``, ``problems`` (the CSV's ;-joined codes become
``problems[].code``) and ``evidence`` (crawler/archive). An integer cell holding a non-integral
number makes that file's column float64 (logged), never a rounded integer.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter

from crawler.csvrow import evidence_columns
from crawler.schema import CELL_COLUMNS, FIELDS

logger = logging.getLogger(__name__)

_STR = pa.string()
_PROBLEM = pa.struct([("code", _STR), ("severity", _STR), ("detail", _STR)])
_CHECK = pa.struct([("id", _STR), ("scope", _STR), ("status", _STR), ("severity", _STR),
                    ("expected", pa.float64()), ("actual", pa.float64()), ("detail", _STR),
                    ("cells", pa.list_(_STR))])
_REF = pa.struct([("warc", _STR), ("record_id", _STR), ("sha256", _STR), ("url", _STR)])
_EVIDENCE = pa.struct([("page", _REF), ("document", _REF), ("list", _REF)])  # record.md's evidence
_CELLS = {name: (table, row, col) for name, table, row, col in CELL_COLUMNS}
_SPECIAL = {"report_year": pa.int32(), "written_date": pa.date32(), "published_date": pa.date32(),
            "fetched_at": pa.timestamp("s", tz="UTC"), "also_at": pa.list_(_STR),
            "checks_failed": pa.list_(_STR), "problems": pa.list_(_PROBLEM),
            "changed_fields": pa.list_(pa.struct([("field", _STR), ("old", _STR), ("new", _STR)]))}
EXTRA = {"checks": pa.list_(_CHECK), "evidence": _EVIDENCE}


def column_type(name: str) -> pa.DataType:
    if name in _SPECIAL:
        return _SPECIAL[name]
    if name in _CELLS:
        col = _CELLS[name][2]
        if col == "amount_unit":
            return _STR
        return pa.float64() if col.startswith("amount") else pa.int64()
    return _STR


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _timestamp(value) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
    return stamp.astimezone(dt.timezone.utc) if stamp and stamp.tzinfo else stamp


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value) -> str | None:
    return None if value is None or value == "" else str(value)


def _structs(items, fields: tuple[str, ...], numbers=(), lists=()) -> list[dict]:
    out = []
    for it in items or []:
        if isinstance(it, dict):
            out.append({f: (_number(it.get(f)) if f in numbers else
                            [str(v) for v in it.get(f) or []] if f in lists else _text(it.get(f))) for f in fields})
    return out


def typed_row(record: dict) -> dict[str, Any]:
    """One Parquet row (column → typed value) from a record."""
    row: dict[str, Any] = {}
    tables = {t: (record.get(k) or {}).get("rows") or {} for t, k in (("t2", "table2"), ("t3", "table3"), ("t4", "table4"))}
    sections = record.get("sections") or {}
    evidence = evidence_columns(record)
    for name in FIELDS:
        if name in evidence:
            row[name] = evidence[name]
        elif name in _CELLS:
            table, r, c = _CELLS[name]
            row[name] = (tables[table].get(r) or {}).get(c)
        elif name.startswith("section_"):
            row[name] = _text(sections.get(name[len("section_"):]))
        elif name in ("t2_format_version", "t3_format_version"):
            row[name] = _text((record.get("table" + name[1]) or {}).get("format_version"))
        elif name == "checks_failed":
            row[name] = list(dict.fromkeys(str(c.get("id")) for c in record.get("checks") or []
                                           if isinstance(c, dict) and c.get("status") == "failed"))
        elif name == "problems":
            row[name] = _structs(record.get("problems"), ("code", "severity", "detail"))
        elif name == "changed_fields":  # edited reports: old/new as text (cells and metadata mixed)
            row[name] = _structs(record.get(name), ("field", "old", "new")) if record.get(name) else None
        elif name in ("written_date", "published_date"):
            row[name] = _date(record.get(name))
        elif name == "fetched_at":
            row[name] = _timestamp(record.get(name))
        elif name == "report_year":
            row[name] = record.get(name) if isinstance(record.get(name), int) else None
        elif name == "also_at":
            row[name] = [str(u) for u in record.get(name) or []]
        else:
            row[name] = _text(record.get(name))
    row["checks"] = _structs(record.get("checks"), ("id", "scope", "status", "severity", "expected", "actual",
                                                    "detail", "cells"), numbers=("expected", "actual"), lists=("cells",))
    evidence = record.get("evidence")
    row["evidence"] = None if evidence is None else {role: evidence.get(role) for role in ("page", "document", "list")}
    return row


def table_of(rows: list[dict]) -> pa.Table:
    fields, arrays = [], []
    for name in (*FIELDS, *EXTRA):
        kind = EXTRA.get(name) or column_type(name)
        values = [r[name] for r in rows]
        if pa.types.is_integer(kind) and any(isinstance(v, float) and not v.is_integer() for v in values):
            logger.warning("parquet: %s holds a non-integral number; written as float64 in this file", name)
            kind = pa.float64()
        elif pa.types.is_integer(kind):
            values = [int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in values]
        elif pa.types.is_floating(kind):
            values = [_number(v) for v in values]
        elif kind == _STR:
            values = [_text(v) for v in values]
        fields.append(pa.field(name, kind, nullable=True))
        arrays.append(pa.array(values, type=kind))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


class ParquetExporter(BaseItemExporter):
    """Scrapy feed exporter (format ``parquet``): rows are buffered and written as one file at the end."""

    def __init__(self, file, **kwargs):
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.rows: list[dict] = []

    def export_item(self, item) -> None:
        self.rows.append(typed_row(ItemAdapter(item).asdict()))

    def finish_exporting(self) -> None:
        pq.write_table(table_of(self.rows), pa.PythonFile(self.file, mode="w"), compression="zstd")


class ParquetAddon:
    """``GOVREPORTS_PARQUET``: add ``<output>/reports-<time>.parquet`` beside the default feeds
    (runs after crawler.exporters.FeedsAddon, which completes FEEDS first)."""

    def update_settings(self, settings) -> None:
        if not settings.getbool("GOVREPORTS_PARQUET"):
            return
        import os

        from crawler.exporters import ReportsFilter, output_dir
        feeds = {uri: dict(opts or {}) for uri, opts in settings.getdict("FEEDS").items()}
        feeds[os.path.join(output_dir(settings), "reports-%(time)s.parquet")] = {
            "format": "parquet", "item_filter": ReportsFilter, "overwrite": True}
        settings.set("FEEDS", feeds, priority=settings.getpriority("FEEDS") or "addon")
