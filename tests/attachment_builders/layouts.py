"""The seeds and the official table layouts (report-format.md §2–§4) as cell grids."""
from __future__ import annotations

import copy
import glob
import json
import os
import re
from pathlib import Path

# The seeds as committed with the tests (tests/fixtures/seeds).
SEEDS = Path(os.environ.get("SEEDS_DIR", Path(__file__).resolve().parents[1] / "fixtures" / "seeds"))
FONT = "Noto Serif CJK SC"


def seed_paths(prefix: str) -> tuple[Path, Path]:
    txt = next(iter(sorted(glob.glob(str(SEEDS / f"{prefix}_*.txt")))))
    return Path(txt), Path(txt[:-4] + ".truth.json")


def load_seed(prefix: str) -> tuple[str, dict]:
    txt, truth = seed_paths(prefix)
    return txt.read_text(encoding="utf-8"), json.loads(truth.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ official table layouts
# Each layout is a list of rows; a row is a list of (text, colspan, rowspan) with rowspan>1 for a
# vertically merged cell (continuations are implied). Values are "{row.col}" placeholders.
def _t2_2021() -> tuple[int, list]:
    r = []
    r.append([("第二十条第（一）项", 4, 1)])
    r.append([("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)])
    for key, label in (("rules", "规章"), ("normative_docs", "行政规范性文件")):
        r.append([(label, 1, 1)] + [(f"{{{key}.{c}}}", 1, 1) for c in ("issued", "repealed", "in_force")])
    for item, rows in (("五", [("licensing", "行政许可")]),
                       ("六", [("penalty", "行政处罚"), ("coercion", "行政强制")])):
        r.append([(f"第二十条第（{item}）项", 4, 1)])
        r.append([("信息内容", 1, 1), ("本年处理决定数量", 3, 1)])
        for key, label in rows:
            r.append([(label, 1, 1), (f"{{{key}.decisions}}", 3, 1)])
    r.append([("第二十条第（八）项", 4, 1)])
    r.append([("信息内容", 1, 1), ("本年收费金额（单位：万元）", 3, 1)])
    r.append([("行政事业性收费", 1, 1), ("{admin_fees.amount_wan_yuan}", 3, 1)])
    return 4, r


def _t2_2019() -> tuple[int, list]:
    r = [[("第二十条第（一）项", 4, 1)],
         [("信息内容", 1, 1), ("本年新制作数量", 1, 1), ("本年新公开数量", 1, 1), ("对外公开总数量", 1, 1)]]
    for key, label in (("rules", "规章"), ("normative_docs", "规范性文件")):
        r.append([(label, 1, 1)] + [(f"{{{key}.{c}}}", 1, 1) for c in ("newly_made", "newly_published", "published_total")])
    for item, rows in (("五", [("licensing", "行政许可"), ("other_admin_services", "其他对外管理服务事项")]),
                       ("六", [("penalty", "行政处罚"), ("coercion", "行政强制")])):
        r.append([(f"第二十条第（{item}）项", 4, 1)])
        r.append([("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 1), ("处理决定数量", 1, 1)])
        for key, label in rows:
            r.append([(label, 1, 1)] + [(f"{{{key}.{c}}}", 1, 1) for c in ("items_prev_year", "items_change", "decisions")])
    r.append([("第二十条第（八）项", 4, 1)])
    r.append([("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 2, 1)])
    r.append([("行政事业性收费", 1, 1), ("{admin_fees.items_prev_year}", 1, 1), ("{admin_fees.items_change}", 2, 1)])
    r.append([("第二十条第（九）项", 4, 1)])
    r.append([("信息内容", 1, 1), ("采购项目数量", 1, 1), ("采购总金额", 2, 1)])
    r.append([("政府集中采购", 1, 1), ("{central_procurement.projects}", 1, 1), ("{central_procurement.amount}", 2, 1)])
    return 4, r


T3_COLS = ("natural_person", "commercial_enterprise", "research_institution",
           "public_interest_org", "legal_service_org", "other_org", "total")
_T3_GROUPS = [
    ("（三）不予公开", [("denied_state_secret", "1.属于国家秘密"), ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
                  ("denied_security_stability", "3.危及“三安全一稳定”"), ("denied_third_party_rights", "4.保护第三方合法权益"),
                  ("denied_internal_affairs", "5.属于三类内部事务信息"), ("denied_process_info", "6.属于四类过程性信息"),
                  ("denied_enforcement_file", "7.属于行政执法案卷"), ("denied_admin_query", "8.属于行政查询事项")]),
    ("（四）无法提供", [("unavailable_not_held", "1.本机关不掌握相关政府信息"),
                  ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
                  ("unavailable_unclear", "3.补正后申请内容仍不明确")]),
    ("（五）不予处理", [("not_processed_complaint", "1.信访举报投诉类申请"), ("not_processed_duplicate", "2.重复申请"),
                  ("not_processed_publication", "3.要求提供公开出版物"), ("not_processed_excessive", "4.无正当理由大量反复申请"),
                  ("not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息")]),
]
_T3_OTHER_2021 = ("（六）其他处理", [
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "3.其他")])


def _vals(key: str) -> list:
    return [(f"{{{key}.{c}}}", 1, 1) for c in T3_COLS]


def _t3(version: str) -> tuple[int, list]:
    r = [[("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 7, 1)],
         [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
         [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)]]
    r.append([("一、本年新收政府信息公开申请数量", 3, 1)] + _vals("new_received"))
    r.append([("二、上年结转政府信息公开申请数量", 3, 1)] + _vals("carried_over"))
    groups = _T3_GROUPS + ([_T3_OTHER_2021] if version == "2021" else [])
    n_result = 3 + sum(len(g[1]) for g in groups) + (0 if version == "2021" else 1)
    first = [("三、本年度办理结果", 1, n_result)]
    r.append(first + [("（一）予以公开", 2, 1)] + _vals("granted"))
    r.append([("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2, 1)] + _vals("partially_granted"))
    for glabel, items in groups:
        for i, (key, label) in enumerate(items):
            lead = [(glabel, 1, len(items))] if i == 0 else []
            r.append(lead + [(label, 1, 1)] + _vals(key))
    if version == "2019":
        r.append([("（六）其他处理", 2, 1)] + _vals("other_handling"))
    r.append([("（七）总计", 2, 1)] + _vals("total_processed"))
    r.append([("四、结转下年度继续办理", 3, 1)] + _vals("carried_forward"))
    return 10, r


def _t4() -> tuple[int, list]:
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    r = [[("行政复议", 5, 1), ("行政诉讼", 10, 1)],
         [(t, 1, 2) for t in five] + [("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)],
         [(t, 1, 1) for t in five * 2]]
    cols = ("upheld", "corrected", "other", "pending", "total")
    r.append([(f"{{{row}.{c}}}", 1, 1) for row in ("review", "litigation_direct", "litigation_after_review") for c in cols])
    return 15, r



def distinct_values(version: str = "2021") -> dict:
    """Distinct non-zero numbers in every table-3 and table-4 cell (to prove positional mapping)."""
    rows = _t3(version)[1]
    keys = [re.fullmatch(r"\{(\w+)\.total\}", c[0]).group(1) for r in rows for c in r
            if re.fullmatch(r"\{\w+\.total\}", c[0])]
    t3 = {k: {c: 100 + i * 10 + j for j, c in enumerate(T3_COLS)} for i, k in enumerate(keys)}
    t4 = {row: {c: 1 + i * 5 + j for j, c in enumerate(("upheld", "corrected", "other", "pending", "total"))}
          for i, row in enumerate(("review", "litigation_direct", "litigation_after_review"))}
    return {"table3": t3, "table4": t4}


def truth_with(truth: dict, values: dict) -> dict:
    out = copy.deepcopy(truth)
    for table, rows in values.items():
        out[table]["rows"].update(copy.deepcopy(rows))
    return out

