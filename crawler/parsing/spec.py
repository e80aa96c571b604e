"""The official report format as data: sections, table rows and columns, version markers.

Everything the table reader, the checks, the CSV exporter and the data dictionary know about
the 政府信息公开工作年度报告 format comes from this module (docs/report-format.md §1–§5).
Row keywords are regexes applied to a *normalised label* (see normalize.label_key: NFKC,
simplified characters, no whitespace, ASCII brackets, no quotes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PARSER_VERSION = "0.3.0"


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # official Chinese label (for the data dictionary)
    pattern: str  # regex on the normalised label
    columns: tuple[str, ...] = ()
    versions: tuple[str, ...] = ("2019", "2021")

    @property
    def regex(self) -> re.Pattern:
        return _compiled(self.pattern)


_CACHE: dict[str, re.Pattern] = {}


def _compiled(p: str) -> re.Pattern:
    r = _CACHE.get(p)
    if r is None:
        r = _CACHE[p] = re.compile(p)
    return r


# ---------------------------------------------------------------- sections (§1)
@dataclass(frozen=True)
class Section:
    key: str
    numeral: str
    label: str
    pattern: str  # regex on compact text (no whitespace), anchored at the numeral


_NUM_SEP = r"[、.,:：\)]?"
SECTIONS: tuple[Section, ...] = (
    Section("overview", "一", "总体情况",
            rf"(?:第一部分|一|1){_NUM_SEP}(?:政府信息公开(?:工作)?)?(?:总体情况|概述|基本情况)"),
    Section("proactive", "二", "主动公开政府信息情况",
            rf"(?:第二部分|二|2){_NUM_SEP}(?:行政机关)?(?:主动公开(?:政府)?信息(?:的)?情况|政府信息主动公开(?:工作)?情况|主动公开情况)"),
    Section("requests", "三", "收到和处理政府信息公开申请情况",
            rf"(?:第三部分|三|3){_NUM_SEP}(?:行政机关)?收到和处理.{{0,12}}?申请(?:的)?情况"),
    Section("review_litigation", "四", "政府信息公开行政复议、行政诉讼情况",
            rf"(?:第四部分|四|4){_NUM_SEP}(?:因)?(?:政府信息公开)?(?:工作|申请)?(?:被申请|申请)?行政复议[、和及与,]?(?:提起)?行政诉讼(?:的)?情况"),
    Section("problems", "五", "存在的主要问题及改进情况",
            rf"(?:第五部分|五|5){_NUM_SEP}(?:政府信息公开(?:工作)?)?(?:存在(?:的)?)?(?:主要)?(?:问题|不足)(?:(?:及|和|与)?(?:其)?(?:改进|整改)(?:的)?(?:情况|措施|方向|计划)?)?"),
    Section("other", "六", "其他需要报告的事项",
            rf"(?:第六部分|六|6){_NUM_SEP}其他(?:需要|需)?(?:报告|汇报)?(?:的)?事项"),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)

# ---------------------------------------------------------------- table 2 (§2)
T2_COLUMNS_2021 = {
    "rules": ("issued", "repealed", "in_force"),
    "normative_docs": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "penalty": ("decisions",),
    "coercion": ("decisions",),
    "admin_fees": ("amount_wan_yuan",),
}
T2_COLUMNS_2019 = {
    "rules": ("newly_made", "newly_published", "published_total"),
    "normative_docs": ("newly_made", "newly_published", "published_total"),
    "licensing": ("items_prev_year", "items_change", "decisions"),
    "other_admin_services": ("items_prev_year", "items_change", "decisions"),
    "penalty": ("items_prev_year", "items_change", "decisions"),
    "coercion": ("items_prev_year", "items_change", "decisions"),
    "admin_fees": ("items_prev_year", "items_change"),
    "central_procurement": ("projects", "amount", "amount_unit"),
}
# Printed value cells per row (amount_unit is derived, never a printed cell).
T2_PRINTED = {
    "2021": {k: v for k, v in T2_COLUMNS_2021.items()},
    "2019": {k: tuple(c for c in v if c != "amount_unit") for k, v in T2_COLUMNS_2019.items()},
}
T2_COLUMNS = {"2021": T2_COLUMNS_2021, "2019": T2_COLUMNS_2019}

T2_ROWS: tuple[Row, ...] = (
    Row("rules", "规章", r"规章(?!和|及|、)"),
    Row("normative_docs", "(行政)规范性文件", r"规范性文件"),
    Row("licensing", "行政许可", r"行政许可(?!和)"),
    Row("other_admin_services", "其他对外管理服务事项", r"其他对外管理服务", versions=("2019",)),
    Row("penalty", "行政处罚", r"行政处罚(?!、|和)"),
    Row("coercion", "行政强制", r"行政强制"),
    Row("admin_fees", "行政事业性收费", r"事业性收费"),
    Row("central_procurement", "政府集中采购", r"集中采购", versions=("2019",)),
)

T2_MARKERS = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "本年增减",
             "其他对外管理服务事项", "第二十条第(九)项", "政府集中采购", "采购总金额", "新制作数量"),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
             "本年度止件数", "制发件数", "废止件数"),
}

T2_COLUMN_LABELS = {
    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
    "decisions": "(本年)处理决定数量", "amount_wan_yuan": "本年收费金额(万元)",
    "newly_made": "本年新制作数量", "newly_published": "本年新公开数量", "published_total": "对外公开总数量",
    "items_prev_year": "上一年项目数量", "items_change": "本年增/减", "projects": "采购项目数量",
    "amount": "采购总金额(单位见 amount_unit)", "amount_unit": "采购总金额的单位(元/万元/未注明)",
}

# ---------------------------------------------------------------- table 3 (§3)
T3_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution",
              "public_interest_org", "legal_service_org", "other_org", "total")
T3_APPLICANT_COLUMNS = T3_COLUMNS[:-1]
T3_COLUMN_LABELS = {
    "natural_person": "自然人", "commercial_enterprise": "商业企业", "research_institution": "科研机构",
    "public_interest_org": "社会公益组织", "legal_service_org": "法律服务机构", "other_org": "其他(组织)",
    "total": "总计",
}

T3_ROWS: tuple[Row, ...] = (
    Row("new_received", "一、本年新收政府信息公开申请数量", r"本年新收|新收.{0,6}申请"),
    Row("carried_over", "二、上年结转政府信息公开申请数量", r"上一?年度?结转"),
    Row("granted", "(一)予以公开", r"予以公开"),
    Row("partially_granted", "(二)部分公开", r"部分公开"),
    Row("denied_state_secret", "(三)1.属于国家秘密", r"国家秘密"),
    Row("denied_prohibited_by_law", "(三)2.其他法律行政法规禁止公开", r"禁止公开"),
    Row("denied_security_stability", "(三)3.危及“三安全一稳定”", r"三安全一稳定|危及"),
    Row("denied_third_party_rights", "(三)4.保护第三方合法权益", r"第三方"),
    Row("denied_internal_affairs", "(三)5.属于三类内部事务信息", r"内部事务|内容事务|三类内"),
    Row("denied_process_info", "(三)6.属于四类过程性信息", r"过程性"),
    Row("denied_enforcement_file", "(三)7.属于行政执法案卷", r"执法案卷"),
    Row("denied_admin_query", "(三)8.属于行政查询事项", r"行政查询|查询事项"),
    Row("unavailable_not_held", "(四)1.本机关不掌握相关政府信息", r"不掌握"),
    Row("unavailable_needs_creation", "(四)2.没有现成信息需要另行制作", r"另行制作|没有现成"),
    Row("unavailable_unclear", "(四)3.补正后申请内容仍不明确", r"补正后|内容仍?不明确"),
    Row("not_processed_complaint", "(五)1.信访举报投诉类申请", r"信访|举报投诉"),
    Row("not_processed_duplicate", "(五)2.重复申请", r"重复申请"),
    Row("not_processed_publication", "(五)3.要求提供公开出版物", r"出版物"),
    Row("not_processed_excessive", "(五)4.无正当理由大量反复申请", r"大量反复"),
    Row("not_processed_confirm_reissue", "(五)5.要求行政机关确认或重新出具已获取信息", r"重新出具|确认或重新"),
    Row("other_handling", "(六)其他处理(单行)", r"其他处理$", versions=("2019",)),
    Row("other_no_correction", "(六)1.申请人无正当理由逾期不补正…", r"逾期不补正|不补正", versions=("2021",)),
    Row("other_fee_unpaid", "(六)2.申请人逾期未按收费通知要求缴纳费用…", r"缴纳费用|收费通知", versions=("2021",)),
    Row("other_other", "(六)3.其他", r"(?:^|[^\u4e00-\u9fff])其他$", versions=("2021",)),
    Row("total_processed", "(七)总计", r"(?:总计|合计)$"),
    Row("carried_forward", "四、结转下年度继续办理", r"结转(?:至|到)?下一?年|下一?年度继续"),
)
T3_ROW_KEYS = tuple(r.key for r in T3_ROWS)

# The official wording of every row without its numbering: what a garbled printed label is compared
# with when no keyword matches (align.py). Short rows are compared with their whole label.
OFFICIAL_TEXT = {
    "rules": "规章", "normative_docs": "行政规范性文件", "licensing": "行政许可",
    "other_admin_services": "其他对外管理服务事项", "penalty": "行政处罚", "coercion": "行政强制",
    "admin_fees": "行政事业性收费", "central_procurement": "政府集中采购",
    "new_received": "本年新收政府信息公开申请数量", "carried_over": "上年结转政府信息公开申请数量",
    "granted": "予以公开", "partially_granted": "部分公开(区分处理的,只计这一情形,不计其他情形)",
    "denied_state_secret": "属于国家秘密", "denied_prohibited_by_law": "其他法律行政法规禁止公开",
    "denied_security_stability": "危及三安全一稳定", "denied_third_party_rights": "保护第三方合法权益",
    "denied_internal_affairs": "属于三类内部事务信息", "denied_process_info": "属于四类过程性信息",
    "denied_enforcement_file": "属于行政执法案卷", "denied_admin_query": "属于行政查询事项",
    "unavailable_not_held": "本机关不掌握相关政府信息", "unavailable_needs_creation": "没有现成信息需要另行制作",
    "unavailable_unclear": "补正后申请内容仍不明确", "not_processed_complaint": "信访举报投诉类申请",
    "not_processed_duplicate": "重复申请", "not_processed_publication": "要求提供公开出版物",
    "not_processed_excessive": "无正当理由大量反复申请",
    "not_processed_confirm_reissue": "要求行政机关确认或重新出具已获取信息",
    "other_handling": "其他处理",
    "other_no_correction": "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_fee_unpaid": "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "其他", "total_processed": "总计", "carried_forward": "结转下年度继续办理",
}
T3_ROWS_2019 = tuple(r.key for r in T3_ROWS if "2019" in r.versions)
T3_ROWS_2021 = tuple(r.key for r in T3_ROWS if "2021" in r.versions)
# Result rows R of §5 (granted … the (六) rows).
T3_RESULT_ROWS_2019 = T3_ROWS_2019[2:-2]
T3_RESULT_ROWS_2021 = T3_ROWS_2021[2:-2]

# ---------------------------------------------------------------- table 4 (§4)
T4_ROWS = ("review", "litigation_direct", "litigation_after_review")
T4_ROW_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
                 "litigation_after_review": "行政诉讼·复议后起诉"}
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4_COLUMN_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                    "pending": "尚未审结", "total": "总计"}


def t3_rows_for(version: str) -> tuple[str, ...]:
    return T3_ROWS_2021 if version == "2021" else T3_ROWS_2019


def table_columns() -> list[tuple[str, str, str, str]]:
    """Every table cell of both versions as (table, row, col, versions) in a fixed order.

    This is the single source for the CSV column order (`t<N>_<row>__<col>`).
    """
    out: list[tuple[str, str, str, str]] = []
    seen = set()
    for version in ("2021", "2019"):
        for row in T2_ROWS:
            for col in T2_COLUMNS[version].get(row.key, ()):
                if (row.key, col) not in seen:
                    seen.add((row.key, col))
                    vers = "/".join(v for v in ("2019", "2021") if col in T2_COLUMNS[v].get(row.key, ()))
                    out.append(("t2", row.key, col, vers))
    for row in T3_ROWS:
        for col in T3_COLUMNS:
            out.append(("t3", row.key, col, "/".join(row.versions)))
    for row in T4_ROWS:
        for col in T4_COLUMNS:
            out.append(("t4", row, col, "2019/2021"))
    return out


@dataclass
class Labels:
    """Chinese labels for the data dictionary."""
    rows: dict = field(default_factory=lambda: {
        "t2": {r.key: r.label for r in T2_ROWS},
        "t3": {r.key: r.label for r in T3_ROWS},
        "t4": dict(T4_ROW_LABELS),
    })
    cols: dict = field(default_factory=lambda: {
        "t2": dict(T2_COLUMN_LABELS), "t3": dict(T3_COLUMN_LABELS), "t4": dict(T4_COLUMN_LABELS),
    })
