"""CSV columns of the reports feed, in their fixed documented order, and the data dictionary.

Order (record.md "CSV shape"): scalar fields, ``section_<key>``, every table cell
``t<N>_<row>__<col>`` for the union of both format versions (from crawler/parsing/spec.py
`table_columns()`), ``t2_format_version``, ``t3_format_version``, ``checks_failed``, ``problems``.

The data dictionary (docs/data-dictionary.csv) is generated from the same `COLUMNS`:

    python -m crawler.schema --write docs/data-dictionary.csv   # regenerate
    python -m crawler.schema --check docs/data-dictionary.csv   # exit 1 when out of date
"""
from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass

from crawler.parsing.spec import SECTIONS, Labels, table_columns


@dataclass(frozen=True)
class Column:
    name: str
    label_zh: str
    meaning: str
    versions: str = ""  # format versions a table cell exists in ("2019", "2021", "2019/2021")


SCALARS: tuple[Column, ...] = (
    Column("record_id", "记录编号", "Stable id of the report, derived from its dedup key (索引号+issuer, else organ+year, else content hash); same report => same id run after run"),
    Column("status", "解析状态", "complete | inconsistent | partial (reports feed); not_a_report | failed (rejects feed). See docs/record.md"),
    Column("change", "变更类型", "Why this run exported the record: new (never exported before), edited (the portal's document now says something else: see changed_fields), changed (the same document read differently than last exported, e.g. a better copy), full (full export forced), withdrawn (its page is gone: 404/410 or a soft 404 on a recheck; the last exported values)"),
    Column("previous_sha256", "上次导出内容哈希", "edited: SHA-256 of the bytes last exported (their evidence in the archive)"),
    Column("changed_fields", "变更字段", "edited: the fields and table cells whose value changed, ;-separated (old → new values in the JSON Lines feed)"),
    Column("title", "标题", "Title of the report as printed"),
    Column("report_year", "报告年度", "Year reported on (not the publication year)"),
    Column("organ", "发布机关", "Full issuing organ resolved from title/body, e.g. 景东彝族自治县漫湾镇人民政府"),
    Column("organ_level", "机关层级", "township | county_government | government_office | department, or empty"),
    Column("index_no", "索引号", "索引号 as printed (spaces removed), or empty"),
    Column("publisher", "发布机构", "发布机构/来源 as printed on the page, or empty (may differ from organ)"),
    Column("written_date", "成文日期", "YYYY-MM-DD or empty"),
    Column("published_date", "发布日期", "YYYY-MM-DD or empty"),
    Column("document_type", "文档类型", "html | pdf | docx | doc | wps | ofd | text: the type of the document parsed"),
    Column("url", "所在页面", "Page where the report was found (detail page, or the page linking the attachment)"),
    Column("document_url", "文档地址", "URL of the document actually parsed (the best-parsed copy)"),
    Column("also_at", "其他地址", "Other URLs where the same report was found (other columns, _wap twins, county copies, the HTML/PDF twin), ;-separated"),
    Column("found_on", "来源列表页", "List/column page that linked to the document"),
    Column("portal", "门户", "Start URL of the portal the report was discovered from"),
    Column("portal_name", "门户名称", "Portal name from the portals list"),
    Column("portal_region_code", "区划代码", "Administrative division code of the portal (from the portals list)"),
    Column("portal_province", "省", "Province of the portal (from the portals list)"),
    Column("portal_city", "市", "Prefecture/city of the portal (from the portals list)"),
    Column("portal_county", "县", "County of the portal (from the portals list)"),
    Column("county_code", "县级区划代码", "6-digit GB/T 2260 county code from the official division list (crawler/regions/), from the portal's region_code/county and the organ/title; empty when not resolved"),
    Column("county_name", "县级区划名称", "Name of that county in the division list (current name: a renamed county appears under its new name)"),
    Column("township_name", "乡镇街道", "Township-level unit (乡/镇/街道) of a township organ, as in the division list (as printed when the list lacks it)"),
    Column("township_code", "乡级统计代码", "9-digit statistical code of the township (12-digit form: append 000); empty when not in the list or not resolved"),
    Column("region_match", "区划匹配", "exact | by_name_in_county | ambiguous | none: how county/township were matched; never a guess across counties"),
    Column("region_note", "区划说明", "How the region was matched or why not (renamed units, candidates of an ambiguous name)"),
    Column("evidence_page_sha256", "页面存档哈希", "SHA-256 of the archived report page bytes (WARC payload digest; empty when archiving is off)"),
    Column("evidence_document_sha256", "附件存档哈希", "SHA-256 of the archived attachment bytes the record was parsed from (empty for an HTML report page)"),
    Column("evidence_warc", "存档文件", "WARC file (under the archive directory) holding the parsed bytes; evidence in the JSON Lines feed names each record id"),
    Column("content_sha1", "内容哈希", "SHA-1 of the normalised document text"),
    Column("parser_version", "解析器版本", "Version of the parser that produced the record"),
    Column("fetched_at", "抓取时间", "When the document was fetched, ISO 8601 with timezone"),
)

TRAILERS: tuple[Column, ...] = (
    Column("t2_format_version", "表二格式版本", "2019 | 2021: which official format table 2 follows (which t2_ columns apply)"),
    Column("t3_format_version", "表三格式版本", "2019 | 2021: which official format table 3 follows (which t3_ rows apply)"),
    Column("checks_failed", "未通过的校验", "Ids of failed arithmetic/consistency checks, ;-separated (details in the JSON Lines feed)"),
    Column("problems", "问题代码", "Problem codes (e.g. table2_missing, year_ambiguous), ;-separated (details in the JSON Lines feed)"),
)

_TABLE_NAMES = {"t2": "表二 主动公开政府信息情况", "t3": "表三 收到和处理政府信息公开申请情况",
                "t4": "表四 政府信息公开行政复议、行政诉讼情况"}


def cell_column(table: str, row: str, col: str) -> str:
    return f"{table}_{row}__{col}"


def _cell_columns() -> list[Column]:
    labels = Labels()
    out = []
    for table, row, col, versions in table_columns():
        rl = labels.rows[table].get(row, row)
        cl = labels.cols[table].get(col, col)
        unit = " (text: 元/万元)" if col == "amount_unit" else ""
        meaning = (f"{_TABLE_NAMES[table]}: row {row}, column {col}; number as printed, empty when blank "
                   f"or not in this format version{unit}")
        out.append(Column(cell_column(table, row, col), f"{rl} / {cl}", meaning, versions))
    return out


def _section_columns() -> list[Column]:
    return [Column(f"section_{s.key}", f"{s.numeral}、{s.label}", f"Text of section {s.numeral} ({s.key}), empty when absent")
            for s in SECTIONS]


COLUMNS: tuple[Column, ...] = tuple([*SCALARS, *_section_columns(), *_cell_columns(), *TRAILERS])
FIELDS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
CELL_COLUMNS: tuple[tuple[str, str, str, str], ...] = tuple(
    (cell_column(t, r, c), t, r, c) for t, r, c, _ in table_columns())


def data_dictionary_csv() -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["column", "label_zh", "meaning", "format_versions"])
    for c in COLUMNS:
        w.writerow([c.name, c.label_zh, c.meaning, c.versions])
    return buf.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("--write", "--check"):
        print("usage: python -m crawler.schema --write|--check docs/data-dictionary.csv", file=sys.stderr)
        return 2
    mode, path = argv
    text = data_dictionary_csv()
    if mode == "--write":
        import os
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel shows the Chinese
            f.write(text)
        print(f"wrote {path} ({len(COLUMNS)} columns)")
        return 0
    try:
        with open(path, encoding="utf-8", newline="") as f:
            current = f.read()
        if not current.startswith("\ufeff"):
            print(f"{path} has no UTF-8 BOM: run python -m crawler.schema --write {path}", file=sys.stderr)
            return 1
        current = current[1:]
    except FileNotFoundError:
        current = None
    if current != text:
        print(f"{path} is out of date: run python -m crawler.schema --write {path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
