"""Layout quirks and value rules (report-format.md §7, §8) on real-shaped documents.

Most cases start from seed 001 (a real pipe-separated page) and change exactly what the quirk
changes, so each test states the one behaviour it checks.
"""
from pathlib import Path

from crawler.parsing import parse_document

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED001 = (SEEDS / "001_efd3b52cb6a94797.txt").read_text("utf-8")
SEED003 = (SEEDS / "003_ae670e83d15f685b.txt").read_text("utf-8")
NEW_RECEIVED = "一、本年新收政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 | ||"


def parse_text(text: str, name="doc.txt"):
    return parse_document(text.encode("utf-8"), f"file:///{name}")


def codes(rec):
    return {p["code"] for p in rec["problems"]}


def test_merged_cell_row_is_null_not_broadcast():
    rec = parse_text(SEED001.replace(NEW_RECEIVED, "一、本年新收政府信息公开申请数量 | 0 | ||||||||"))
    assert set(rec["table3"]["rows"]["new_received"].values()) == {None}
    assert "merged_cell" in codes(rec)
    assert rec["status"] == "partial"
    assert all(c["status"] == "skipped" for c in rec["checks"] if c["id"] == "T3-BAL")


def test_blank_cells_are_null_and_checks_skip_them():
    rec = parse_text(SEED001.replace(NEW_RECEIVED, "一、本年新收政府信息公开申请数量 | 2 | | | | | | 2 | ||"))
    row = rec["table3"]["rows"]["new_received"]
    assert row == {"natural_person": 2, "commercial_enterprise": None, "research_institution": None,
                   "public_interest_org": None, "legal_service_org": None, "other_org": None, "total": 2}
    row_check = [c for c in rec["checks"] if c["id"] == "T3-ROW" and c["scope"] == "new_received"][0]
    assert row_check["status"] == "skipped" and "table3.rows.new_received.commercial_enterprise" in row_check["detail"]


def test_dash_cells_are_recorded_and_count_as_zero_with_the_assumption_written():
    rec = parse_text(SEED001.replace(NEW_RECEIVED, "一、本年新收政府信息公开申请数量 | 2 | / | — | 无 | - | ／ | 2 | ||"))
    row = rec["table3"]["rows"]["new_received"]
    assert row["commercial_enterprise"] is None and row["total"] == 2
    notes = rec["table3"]["cell_notes"]
    assert notes["new_received.commercial_enterprise"] == {"raw": "/", "marker": "na_dash"}
    assert notes["new_received.research_institution"]["marker"] == "na_dash"
    row_check = [c for c in rec["checks"] if c["id"] == "T3-ROW" and c["scope"] == "new_received"][0]
    assert row_check["status"] == "passed" and "read as 0" in row_check["detail"]


def test_numbers_that_do_not_add_up_are_exported_as_printed():
    bad = SEED001.replace("四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |")
    rec = parse_text(bad)
    assert rec["table3"]["rows"]["carried_forward"]["total"] == 1
    bal = [c for c in rec["checks"] if c["id"] == "T3-BAL" and c["scope"] == "total"][0]
    assert (bal["status"], bal["expected"], bal["actual"]) == ("failed", 2, 3)
    assert "table3.rows.carried_forward.total" in bal["cells"]
    assert rec["status"] == "inconsistent"


def test_empty_skeleton_is_present_with_null_cells():
    lines = []
    for ln in SEED001.splitlines():
        if ln.startswith(("一、本年新收", "二、上年结转", "三、本年度办理结果", "(")) or ln[:2] in {f"{i}." for i in range(1, 9)} or ln.startswith("四、结转"):
            ln = "|".join(c if not c.strip().isdigit() else " " for c in ln.split("|"))
        lines.append(ln)
    rec = parse_text("\n".join(lines))
    t3 = rec["table3"]
    assert t3 is not None and all(v is None for row in t3["rows"].values() for v in row.values())
    assert "table3_no_values" in codes(rec)
    assert rec["status"] == "partial"


def test_2021_report_with_single_other_handling_row():
    text = SEED001
    start = text.index("(六)其他处理")
    end = text.index("(七)总计")
    text = text[:start] + "(六)其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||\n" + text[end:]
    rec = parse_text(text)
    rows = rec["table3"]["rows"]
    assert "other_handling" in rows and "other_other" not in rows
    assert rows["other_handling"]["total"] == 0
    assert rec["table3"]["format_version"] == "2019"


def test_unstructured_row_with_missing_values_is_not_guessed():
    old = "二、上年结转政府信息公开申请数量" + "\n\n\xa00" * 7
    assert old in SEED003
    text = SEED003.replace(old, "二、上年结转政府信息公开申请数量\n\n3\n\n0\n\n0\n\n3")
    rec = parse_text(text)
    assert set(rec["table3"]["rows"]["carried_over"].values()) == {None}
    assert "missing_cells" in codes(rec)
    assert rec["status"] == "partial"


def test_fullwidth_digits_nbsp_and_traditional_labels():
    text = SEED001.replace(NEW_RECEIVED, "一、本年新收政府信息公開申請數量 | ２ | \xa00 | ０ | 0 | 0 | 0 | ２ | ||")
    text = text.replace("行政规范性文件 | 0 | 0 | 0 |", "行政規範性檔案 | １ | 0 | ３ |")
    rec = parse_text(text)
    assert rec["table3"]["rows"]["new_received"]["total"] == 2
    assert rec["table2"]["rows"]["normative_docs"] == {"issued": 1, "repealed": 0, "in_force": 3}


def test_v2019_signed_changes_and_money_units():
    text = SEED003.replace("行政许可\n\n0\n\n0\n\n0", "行政许可\n\n12\n\n+3\n\n40").replace(
        "行政强制\n\n0\n\n0\n\n0", "行政强制\n\n5\n\n-1\n\n2").replace("9\n\n172425", "9\n\n86500元")
    rec = parse_text(text)
    rows = rec["table2"]["rows"]
    assert rows["licensing"] == {"items_prev_year": 12, "items_change": 3, "decisions": 40}
    assert rows["coercion"] == {"items_prev_year": 5, "items_change": -1, "decisions": 2}
    assert rows["central_procurement"] == {"projects": 9, "amount": 86500, "amount_unit": "元"}
    assert [c for c in rec["checks"] if c["id"] == "T2-NN"][0]["status"] == "passed"


def test_v2021_fee_in_yuan_is_converted_to_wan_yuan():
    text = SEED001.replace("行政事业性收费 | 0 |", "行政事业性收费 | 5000元 |")
    rec = parse_text(text)
    assert rec["table2"]["rows"]["admin_fees"]["amount_wan_yuan"] == 0.5
    assert rec["table2"]["cell_notes"]["admin_fees.amount_wan_yuan"]["raw"] == "5000元"


def test_township_rules_count_is_a_warning_not_a_status_change():
    text = SEED003.replace("规章\n\n0\n\n0\n\n0", "规章\n\n2\n\n0\n\n2")
    rec = parse_text(text)
    rules = [c for c in rec["checks"] if c["id"] == "T2-RULES"][0]
    assert rules["status"] == "failed" and rules["severity"] == "warning"
    assert rec["status"] == "complete"


def test_title_variants_year_and_organ():
    body = SEED001.split("\n", 4)[4]
    cases = {
        "二〇二三年汇龙镇人民政府信息公开工作年度报告": (2023, "汇龙镇人民政府", "township"),
        "示例县财政局2023年度政府信息公开工作年度报告": (2023, "示例县财政局", "department"),
        "示例县人民政府2022年政府信息公开工作年度报告": (2022, "示例县人民政府", "county_government"),
        "示例市城关街道2024年政府信息公开工作年度报告": (2024, "示例市城关街道办事处", "township"),
        "示例县青山镇人民政府关于2023年度政府信息公开工作情况的报告": (2023, "示例县青山镇人民政府", "township"),
    }
    for title, (year, organ, level) in cases.items():
        rec = parse_text(title + "\n" + body.replace("山海关区人民政府办公室2023年政府信息公开工作年度报告\n", ""))
        assert (rec["report_year"], rec["organ"], rec["organ_level"]) == (year, organ, level), title


def test_title_split_over_two_lines():
    body = SEED001.split("\n", 4)[4]
    rec = parse_text("示例县青山镇人民政府2025年政府\n信息公开工作年度报告\n" + body)
    assert rec["title"] == "示例县青山镇人民政府2025年政府信息公开工作年度报告"
    assert rec["report_year"] == 2025


def test_junk_index_number_is_kept_as_printed_but_flagged():
    rec = parse_text(SEED001.replace("索引号:shg58/2024-1525", "索引号:234234234444444444/2024-00001"))
    assert rec["index_no"] == "234234234444444444/2024-00001"
    assert rec["index_no_shape"] == "junk"
    assert parse_text(SEED001)["index_no_shape"] == "site_code"


def test_decoys_are_not_reports():
    interp = ("文字解读:示例县青山镇2023年政府信息公开工作年度报告\n一、编制背景\n根据条例编制。\n二、编制依据\n"
              "报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
              "存在的主要问题及改进情况、其他需要报告的事项六个部分。\n")
    notice = "关于做好2023年政府信息公开工作年度报告编制发布工作的通知\n各乡镇人民政府：请于1月20日前报送。\n"
    stats = "关于集中报批2022年统计年报和2023年定期统计报表制度的通知\n各单位：请按时报送。\n"
    for text in (interp, notice, stats):
        rec = parse_text(text)
        assert rec["status"] == "not_a_report", text[:20]
        assert rec["problems"][0]["code"] == "not_a_report"


def test_unreadable_inputs_fail_with_specific_problems():
    assert parse_document(b"", "file:///x")["problems"][0]["code"] == "empty_document"
    junk = bytes(range(256)) * 40
    rec = parse_document(junk, "file:///x.bin")
    assert rec["status"] == "failed" and rec["problems"][0]["code"] == "unreadable_binary"
    rec = parse_document(b"<html><body><p>\xe8\xaf\xa5\xe4\xbf\xa1\xe6\x81\xaf\xe5\xb7\xb2\xe5\x88\xa0\xe9\x99\xa4</p></body></html>", "http://x/a.html")
    assert rec["status"] == "failed" and rec["problems"][0]["code"] == "soft_404"


def test_preface_listing_numbered_section_titles_is_not_taken_for_the_sections():
    lines = SEED001.split("\n")
    i = lines.index("一、总体情况")
    preface = ("本报告由一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况，"
               "四、政府信息公开行政复议、行政诉讼情况，五、存在的主要问题及改进情况，六、其他需要报告的事项六部分组成。")
    rec = parse_text("\n".join(lines[:i] + [preface] + lines[i:]))
    assert rec["sections"]["overview"].startswith("(一)主动公开方面")
    assert rec["table3"]["rows"]["new_received"]["total"] == 2
    assert rec["status"] == "inconsistent"  # as the seed itself


def test_local_wordings_of_table3_row_labels():
    text = (SEED001.replace("二、上年结转政府信息公开申请数量", "二、上年度结转政府信息公开申请数量")
            .replace("(七)总计", "(七)合计").replace("四、结转下年度继续办理", "四、结转至下一年度继续办理"))
    rec = parse_text(text)
    rows = rec["table3"]["rows"]
    assert rows["carried_over"]["total"] == 0 and rows["total_processed"]["total"] == 2
    assert rows["carried_forward"]["total"] == 0
    assert "table3_row_missing" not in codes(rec)


def test_sections_numbered_in_parentheses():
    text = SEED001
    for num, head in (("一", "总体情况"), ("二", "主动公开政府信息情况"), ("三", "收到和处理政府信息公开申请情况"),
                      ("四", "政府信息公开行政复议、行政诉讼情况"), ("五", "存在的主要问题及改进情况"), ("六", "其他需要报告的事项")):
        assert f"\n{num}、{head}\n" in text
        text = text.replace(f"\n{num}、{head}\n", f"\n（{num}）{head}\n")
    rec = parse_text(text)
    assert all(rec["sections"][k] for k in ("overview", "problems", "other"))
    assert rec["sections"]["overview"].startswith("(一)主动公开方面")
    assert rec["table3"]["rows"]["new_received"]["total"] == 2 and rec["table4"] is not None
    assert rec["status"] == "inconsistent"


def test_sections_headed_di_n_bufen():
    text = SEED001
    for num, head in (("一", "总体情况"), ("二", "主动公开政府信息情况"), ("三", "收到和处理政府信息公开申请情况"),
                      ("四", "政府信息公开行政复议、行政诉讼情况"), ("五", "存在的主要问题及改进情况"), ("六", "其他需要报告的事项")):
        text = text.replace(f"\n{num}、{head}\n", f"\n第{num}部分 {head}\n")
    rec = parse_text(text)
    assert rec["sections"]["overview"].startswith("(一)主动公开方面")
    assert rec["sections"]["other"] == "无。"
    assert rec["table3"]["rows"]["new_received"]["total"] == 2 and rec["status"] == "inconsistent"
