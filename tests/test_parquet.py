"""Typed Parquet feed (crawler/parquet.py): a real crawl of the fixture portal over HTTP on 127.0.0.1
with GOVREPORTS_PARQUET=1 writes reports-<time>.parquet beside the CSV; read back with pyarrow and
DuckDB and pandas, every cell equals the CSV's, with types (nullable ints, dates, timestamps, lists of structs)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler import schema
from crawler.csvrow import LIST_SEP, neutralise
from crawler.parquet import table_of, typed_row
from tests.fixtures.pipeline_site.site import EXPECTED_REPORTS, Site, build_site
from tests.test_feeds_e2e import crawl, csv_rows, jsonl, runs


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    work = tmp_path_factory.mktemp("parquet")
    with Site(build_site(work / "site")) as site:
        crawl(site.url, work, "-s", "GOVREPORTS_PARQUET=1")
        crawl(site.url, work / "o", "-o", str(work / "given.parquet"))
    (run,) = runs(work / "out")
    return {"work": work, "run": run, "parquet": work / "out" / f"reports-{run['time']}.parquet"}


def as_csv_text(value) -> str:
    """The CSV's text for a typed Parquet value (crawler/csvrow.py rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        items = [v["code"] if isinstance(v, dict) else v for v in value]
        return neutralise(LIST_SEP.join(dict.fromkeys(str(v) for v in items if v not in (None, ""))))
    return neutralise(str(value))


def test_parquet_holds_the_csv_rows_with_types(crawled):
    table = pq.read_table(crawled["parquet"])
    _raw, header, rows = csv_rows(crawled["run"]["csv"])
    assert table.column_names[:len(header)] == header == list(schema.FIELDS)
    assert table.num_rows == len(rows) == EXPECTED_REPORTS
    types = table.schema
    assert types.field("t3_total_processed__total").type == pa.int64()
    assert types.field("t2_admin_fees__amount_wan_yuan").type == pa.float64()
    assert types.field("t2_central_procurement__amount_unit").type == pa.string()
    assert types.field("report_year").type == pa.int32()
    assert types.field("written_date").type == pa.date32()
    assert types.field("index_no").type == pa.string()
    assert pa.types.is_list(types.field("problems").type) and pa.types.is_struct(types.field("problems").type.value_type)
    for prow, crow in zip(table.to_pylist(), rows):
        for name in header:
            value = prow[name]
            if name == "fetched_at":
                assert value == dt.datetime.fromisoformat(crow[name]), name
                continue
            if isinstance(value, float):  # money: the CSV prints the parser's number (0 or 0.0)
                assert value == float(crow[name]), (prow["record_id"], name)
                continue
            assert as_csv_text(value) == crow[name], (prow["record_id"], name)
    ints = [v for name, _t, _r, c in schema.CELL_COLUMNS if not c.startswith("amount")
            for v in table.column(name).to_pylist() if v is not None]
    assert ints and all(type(v) is int for v in ints)  # noqa: E721 (bool is not a cell)


def test_checks_problems_and_evidence_are_lists_of_structs_as_in_the_json(crawled):
    table = pq.read_table(crawled["parquet"]).to_pylist()
    records = {r["record_id"]: r for r in jsonl(crawled["run"]["jsonl"])}
    for row in table:
        rec = records[row["record_id"]]
        assert [p["code"] for p in row["problems"]] == [p["code"] for p in rec["problems"]]
        assert [(c["id"], c["status"]) for c in row["checks"]] == [(c["id"], c["status"]) for c in rec["checks"]]
        assert row["evidence"] == rec["evidence"] and rec["evidence"]


def test_duckdb_reads_the_feed_and_the_given_output(crawled):
    out = crawled["work"] / "out"
    years = duckdb.sql(f"SELECT record_id, report_year FROM '{out}/*.parquet' ORDER BY record_id").fetchall()
    expected = sorted((r["record_id"], int(r["report_year"])) for r in csv_rows(crawled["run"]["csv"])[2])
    assert years == expected
    given = duckdb.sql(f"SELECT count(*), count(DISTINCT record_id) FROM '{crawled['work'] / 'given.parquet'}'").fetchone()
    assert given == (EXPECTED_REPORTS, EXPECTED_REPORTS)


def test_pandas_reads_the_feed_with_nullable_types(crawled):
    frame = pd.read_parquet(crawled["parquet"], dtype_backend="numpy_nullable")
    _raw, header, rows = csv_rows(crawled["run"]["csv"])
    assert list(frame.columns[:len(header)]) == header and len(frame) == len(rows) == EXPECTED_REPORTS
    ints = [name for name, _t, _r, c in schema.CELL_COLUMNS if not c.startswith("amount")]
    assert {str(frame[name].dtype) for name in ints} == {"Int64"}   # a blank cell does not make a float column
    assert str(frame["report_year"].dtype) == "Int32"
    assert str(frame["t2_admin_fees__amount_wan_yuan"].dtype) == "Float64"
    by_id = frame.set_index("record_id")
    blanks = 0
    for crow in rows:
        prow = by_id.loc[crow["record_id"]]
        for name in ints + ["report_year"]:
            blanks += prow[name] is pd.NA
            assert ("" if prow[name] is pd.NA else str(int(prow[name]))) == crow[name], (crow["record_id"], name)
        for name in ("written_date", "index_no", "title"):
            value = None if pd.isna(prow[name]) else prow[name]
            assert as_csv_text(value) == crow[name], (crow["record_id"], name)
    assert blanks   # the fixture prints blank cells: they stay NA, not 0 or NaN


def test_an_integer_cell_with_a_fraction_keeps_it_as_float(crawled):
    rec = jsonl(crawled["run"]["jsonl"])[0]
    rows = rec["table3"]["rows"]
    row_key = next(iter(rows))
    col_key = next(iter(rows[row_key]))
    rows[row_key][col_key] = 2.5
    table = table_of([typed_row(rec)])
    name = schema.cell_column("t3", row_key, col_key)
    assert table.schema.field(name).type == pa.float64() and table.column(name).to_pylist() == [2.5]
