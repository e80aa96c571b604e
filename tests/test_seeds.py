"""Every seed report parses to its truth file, field by field and cell by cell."""
import json
from pathlib import Path

import pytest

from crawler.parsing import parse_document

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
CASES = sorted(p.stem for p in SEEDS.glob("*.txt"))
SCALARS = ("title", "report_year", "organ", "organ_level", "index_no", "publisher", "written_date", "published_date")


def _parse(stem):
    data = (SEEDS / f"{stem}.txt").read_bytes()
    return parse_document(data, f"file:///{stem}.txt")


@pytest.mark.parametrize("stem", CASES)
def test_seed_matches_truth(stem):
    truth = json.loads((SEEDS / f"{stem}.truth.json").read_text("utf-8"))
    rec = _parse(stem)
    for key in SCALARS:
        if key in truth:
            assert rec[key] == truth[key], key
    for table in ("table2", "table3", "table4"):
        expected = truth.get(table)
        if expected is None:
            assert rec[table] is None, table
            assert any(p["code"] == f"{table}_missing" for p in rec["problems"])
            continue
        got = rec[table]
        assert got is not None, table
        if "format_version" in expected:
            assert got["format_version"] == expected["format_version"]
        assert set(got["rows"]) == set(expected["rows"]), table
        for row, cols in expected["rows"].items():
            for col, value in cols.items():
                assert got["rows"][row][col] == value, f"{table}.rows.{row}.{col}"
                assert type(got["rows"][row][col]) is type(value) or value is None, f"{table}.rows.{row}.{col} type"
    assert rec["status"] == truth["status"]
    failed = sorted({c["id"] for c in rec["checks"] if c["status"] == "failed" and c["severity"] == "error"})
    assert failed == sorted(truth.get("failed_checks", []))


def test_seed_001_outcome_sum_failure_is_reported_not_fixed():
    rec = _parse("001_efd3b52cb6a94797")
    res = [c for c in rec["checks"] if c["id"] == "T3-RES" and c["scope"] == "total"][0]
    assert (res["status"], res["expected"], res["actual"]) == ("failed", 0, 2)
    assert rec["table3"]["rows"]["total_processed"]["total"] == 2  # exported exactly as printed
    bal = [c for c in rec["checks"] if c["id"] == "T3-BAL" and c["scope"] == "total"][0]
    assert bal["status"] == "passed"


def test_seed_003_procurement_amount_has_no_unit():
    rec = _parse("003_ae670e83d15f685b")
    assert rec["table2"]["rows"]["central_procurement"] == {"projects": 9, "amount": 172425, "amount_unit": None}


def test_tables_absent_are_null_with_reasons_never_zero():
    rec = _parse("000_3b914aefab9e3467")
    assert rec["table2"] is None and rec["table3"] is None and rec["table4"] is None
    codes = {p["code"] for p in rec["problems"]}
    assert {"table2_missing", "table3_missing", "table4_missing"} <= codes
    assert rec["sections"]["overview"].startswith("漫湾镇坚持")
    assert "信息处理费" in rec["sections"]["other"]
