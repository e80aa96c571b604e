"""build_record's stages (crawler/parsing/record.py), each called alone on real seeds:
layout → tables → sections → metadata → checks → status."""
import json
from pathlib import Path

import pytest

from crawler.parsing.convert import to_document
from crawler.parsing.record import (TablesRead, build_record, decide_status, layout_of, read_metadata, read_sections,
                                    read_tables, run_checks)

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def seed(prefix):
    txt = next(SEEDS.glob(f"{prefix}_*.txt"))
    truth = json.loads(Path(str(txt)[:-4] + ".truth.json").read_text("utf-8"))
    return to_document(txt.read_bytes(), f"file:///{txt.name}", None), truth


def test_layout_finds_the_six_sections_of_seed_003():
    doc, _ = seed("003")
    lay = layout_of(doc)
    assert set(lay.spans) == {"overview", "proactive", "requests", "review_litigation", "problems", "other"}
    assert lay.body_compact.startswith("平凉市崆峒区崆峒镇人民政府2020年")


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_tables_stage_alone_reads_the_truth(prefix):
    doc, truth = seed(prefix)
    tables = read_tables(layout_of(doc))
    for name in ("table2", "table3", "table4"):
        assert tables.results[name].table["rows"] == truth[name]["rows"], name
    assert tables.consumed and not [p for p in tables.problems if p["severity"] == "error"]


def test_tables_stage_says_why_a_table_is_absent():
    doc, _ = seed("000")  # tables were images on the page
    tables = read_tables(layout_of(doc))
    assert tables.results == {"table2": None, "table3": None, "table4": None}
    assert [p["code"] for p in tables.problems] == ["table2_missing", "table3_missing", "table4_missing"]


def test_sections_stage_leaves_table_lines_out_only_when_the_table_was_read():
    doc, _ = seed("003")
    lay = layout_of(doc)
    with_tables, problems = read_sections(lay, read_tables(lay))
    assert with_tables["overview"].startswith("崆峒镇党委、政府高度重视")
    assert with_tables["requests"] is None and "section_requests_table_only" in {p["code"] for p in problems}
    # without the table stage's result, the table's lines are the section's text
    without, problems = read_sections(lay, TablesRead({}))
    assert "予以公开" in without["requests"]
    assert "section_requests_table_only" not in {p["code"] for p in problems}


def test_metadata_stage_alone():
    doc, truth = seed("001")
    lay = layout_of(doc)
    sections, _ = read_sections(lay, read_tables(lay))
    fields, problems, years, tmatch = read_metadata(lay, sections)
    for key in ("title", "organ", "organ_level", "index_no", "publisher", "written_date", "report_year"):
        assert fields[key] == truth[key], key
    assert years[0] == ("title", 2023) and tmatch.group("year") == "2023"  # 001 prints no statistics period
    assert [p["code"] for p in problems] == ["published_date_missing"]


def test_checks_stage_alone_finds_seed_001s_outcome_sum_failure():
    doc, truth = seed("001")
    lay = layout_of(doc)
    tables = read_tables(lay)
    sections, _ = read_sections(lay, tables)
    rec = {name: res.table for name, res in tables.results.items()}
    rec.update({"organ_level": "government_office", "report_year": 2023})
    checks, _problems = run_checks(rec, tables, sections, [("statistics_period", 2023)])
    failed = sorted({c["id"] for c in checks if c["status"] == "failed" and c["severity"] == "error"})
    assert failed == truth["failed_checks"] == ["T3-RES"]
    assert decide_status([], checks) == "inconsistent"


@pytest.mark.parametrize("problems, failed_check, status", [
    ([], False, "complete"),
    ([{"code": "title_missing", "severity": "warning"}], False, "complete"),  # warnings never decide
    ([], True, "inconsistent"),
    ([{"code": "ambiguous_cells", "severity": "error"}], True, "partial"),  # partial beats inconsistent
    ([{"code": "table4_missing", "severity": "error"}], False, "partial"),
])
def test_status_stage(problems, failed_check, status):
    checks = [{"id": "T3-BAL", "status": "failed" if failed_check else "passed", "severity": "error"}]
    assert decide_status(problems, checks) == status


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_the_stages_together_are_build_record(prefix):
    doc, truth = seed(prefix)
    rec = build_record(doc, "file:///x.txt")
    assert rec["status"] == truth["status"] and rec["title"] == truth["title"]
