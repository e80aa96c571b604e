"""One report's tables in every text layout of report-format.md §8 must read to the same numbers.

The fixtures are files under tests/fixtures/text/ (written by build_text_fixtures.py); the
expected values below are the report's own numbers, stated independently of the parser.
"""
from pathlib import Path

import pytest

from crawler.parsing import parse_document

TEXT = Path(__file__).parent / "fixtures" / "text"

EXPECTED_T2 = {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
               "normative_docs": {"issued": 2, "repealed": 1, "in_force": 15},
               "licensing": {"decisions": 120}, "penalty": {"decisions": 35}, "coercion": {"decisions": 2},
               "admin_fees": {"amount_wan_yuan": 0.5}}
NONZERO_T3 = {"new_received": [10, 2, 0, 1, 0, 0, 13], "carried_over": [1, 0, 0, 0, 0, 0, 1],
              "granted": [5, 1, 0, 0, 0, 0, 6], "partially_granted": [1, 0, 0, 0, 0, 0, 1],
              "denied_third_party_rights": [1, 0, 0, 0, 0, 0, 1], "unavailable_not_held": [2, 1, 0, 0, 0, 0, 3],
              "not_processed_duplicate": [1, 0, 0, 0, 0, 0, 1], "other_other": [0, 0, 0, 1, 0, 0, 1],
              "total_processed": [10, 2, 0, 1, 0, 0, 13], "carried_forward": [1, 0, 0, 0, 0, 0, 1]}
T3_COLS = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
           "legal_service_org", "other_org", "total"]
EXPECTED_T4 = {"review": [1, 0, 0, 0, 1], "litigation_direct": [0, 1, 0, 0, 1], "litigation_after_review": [0] * 5}
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T3_ROWS_2021 = ["new_received", "carried_over", "granted", "partially_granted", "denied_state_secret",
                "denied_prohibited_by_law", "denied_security_stability", "denied_third_party_rights",
                "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query",
                "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear", "not_processed_complaint",
                "not_processed_duplicate", "not_processed_publication", "not_processed_excessive",
                "not_processed_confirm_reissue", "other_no_correction", "other_fee_unpaid", "other_other",
                "total_processed", "carried_forward"]


def expected_t3():
    return {r: dict(zip(T3_COLS, NONZERO_T3.get(r, [0] * 7))) for r in T3_ROWS_2021}


def parse(name, text=None):
    if text is not None:
        return parse_document(text.encode("utf-8"), "file:///converted.txt")
    return parse_document((TEXT / name).read_bytes(), f"file:///{name}")


@pytest.mark.parametrize("name", [
    "pipe_ragged_2023.txt",
    "one_cell_per_line_with_pipes_2023.txt",
    "tab_separated_page_break_2023.txt",
    "markdown_with_page_footers_2023.txt",
    "one_line_whole_report_2023.txt",
])
def test_every_layout_reads_the_same_numbers(name):
    rec = parse(name)
    assert rec["title"] == "示例县青山镇2023年政府信息公开工作年度报告"
    assert rec["report_year"] == 2023
    assert rec["organ"] == "示例县青山镇人民政府" and rec["organ_level"] == "township"
    assert rec["table2"] == {"format_version": "2021", "rows": EXPECTED_T2}
    assert rec["table3"]["format_version"] == "2021"
    assert rec["table3"]["rows"] == expected_t3()
    assert rec["table4"]["rows"] == {g: dict(zip(T4_COLS, v)) for g, v in EXPECTED_T4.items()}
    assert rec["status"] == "complete"
    assert not [c for c in rec["checks"] if c["status"] == "failed"]
    # prose vs tables agree (soft checks ran and passed)
    assert {c["id"] for c in rec["checks"] if c["severity"] == "warning" and c["status"] == "passed"} >= {
        "TXT-REQ", "TXT-REVIEW", "TXT-LITIGATION"}


def test_concatenated_cells_are_split_by_the_whole_tables_arithmetic():
    rec = parse("concatenated_cells_2023.txt")
    rows = rec["table3"]["rows"]
    # '102010013' admits 10,2,0,1,0,0,13 and also 1,0,2,0,10,0,13 (both satisfy the row total); only the
    # first makes (七)总计 the column sums of the result rows (T3-RES), and T3-BAL then fixes 新收 the same way
    exp = expected_t3()
    assert rows == exp
    assert rec["table4"]["rows"] == {g: dict(zip(T4_COLS, v)) for g, v in EXPECTED_T4.items()}
    assert not [p for p in rec["problems"] if p["code"] == "ambiguous_cells"]
    joint = {p["detail"].split(":")[0]: p for p in rec["problems"] if p["code"] == "cells_split_by_arithmetic"}
    assert "T3-RES" in joint["table3.rows.total_processed"]["detail"]
    assert "T3-BAL" in joint["table3.rows.new_received"]["detail"]
    assert all(p["severity"] == "warning" for p in joint.values())
    # table 2 prints spaces between its cells: nothing there is split
    assert not any(k.startswith("table2") for k in joint)


def test_concatenated_rows_no_identity_can_decide_stay_null():
    # without the (七)总计 row neither T3-RES nor T3-BAL can be evaluated: '102010013' stays ambiguous
    text = (TEXT / "concatenated_cells_2023.txt").read_text(encoding="utf-8")
    text = text.replace("（七）总计102010013\n", "")
    rec = parse_document(text.encode("utf-8"), "file:///no_total.txt")
    rows = rec["table3"]["rows"]
    assert all(v is None for v in rows["new_received"].values())
    ambiguous = [p for p in rec["problems"] if p["code"] == "ambiguous_cells"]
    assert [p["detail"].split(":")[0] for p in ambiguous] == ["table3.rows.new_received"]
    assert rows["granted"] == expected_t3()["granted"]
    assert rec["status"] == "partial"


# ------------------------------------------------------------------ converter text (PDF → markdown)
def _pipe_fixture() -> str:
    return (TEXT / "pipe_ragged_2023.txt").read_text(encoding="utf-8")


_T3_HEADER = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | ||||||||\n"
              "自然人 | 法人或其他组织 | 总计 | |||||||\n"
              "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||\n")


def test_row_cut_by_a_page_break_with_page_number_and_repeated_header():
    # the converter printed the label on one page (blank cells), then the page number, the table
    # header again, and the row's numbers on a label-less row of the next page
    text = _pipe_fixture()
    row = "4.保护第三方合法权益 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |||"
    assert row in text
    text = text.replace(row, "4.保护第三方合法权益 | | | | | | | |||\n\n7\n\n" + _T3_HEADER
                        + " | 1 | 0 | 0 | 0 | 0 | 0 | 1 |||")
    rec = parse(name=None, text=text)
    assert rec["table3"]["rows"] == expected_t3()
    assert rec["status"] == "complete"


def test_value_row_on_the_line_after_its_label_and_group_label_in_the_label_cell():
    text = _pipe_fixture()
    for label, values in (("行政许可", " | 120 | ||"), ("（四）无法提供 | 1.本机关不掌握相关政府信息", " | 2 | 1 | 0 | 0 | 0 | 0 | 3 ||")):
        assert label + values in text
        text = text.replace(label + values, f"{label} | | ||\n |{values}")
    text = text.replace("2.没有现成信息需要另行制作 |", "（四）无法提供 2.没有现成信息需要另行制作 |")
    rec = parse(name=None, text=text)
    assert rec["table2"] == {"format_version": "2021", "rows": EXPECTED_T2}
    assert rec["table3"]["rows"] == expected_t3()
    assert rec["status"] == "complete"


def test_bare_number_between_table_rows_is_a_page_number_but_not_in_one_cell_per_line_text():
    # one value per line between '|' lines (Q6) keeps its bare numbers: they are the cells
    rec = parse("one_cell_per_line_with_pipes_2023.txt")
    assert rec["table3"]["rows"] == expected_t3() and rec["status"] == "complete"


def test_na_word_in_a_one_line_table_stays_a_cell():
    # '无' printed as a value between two labels on one line is the licensing cell (na), not a label
    text = (TEXT / "one_line_whole_report_2023.txt").read_text(encoding="utf-8")
    assert "行政许可 120 " in text
    rec = parse(name=None, text=text.replace("行政许可 120 ", "行政许可 无 ", 1))
    assert rec["table2"]["rows"]["licensing"] == {"decisions": None}
    assert rec["table2"]["cell_notes"]["licensing.decisions"]["marker"] == "na_dash"
    assert rec["table2"]["rows"]["penalty"] == {"decisions": 35}
