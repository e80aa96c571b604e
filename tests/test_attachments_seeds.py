"""The seeds' truth comes out exactly through the attachment paths (DOCX, PDF, DOC, WPS, OFD).

The documents are built from the seeds' own content: prose verbatim, tables 2–4 as real Word
tables in the official layouts with merged cells, then "saved as PDF" by LibreOffice headless
(tests/attachment_builders.py). Variants force a page break inside table 3 with and without a
repeated header, let a natural page break cut a row in two, and print distinct numbers in every
table-3/table-4 cell so positional mapping is proven on more than zeros.
"""
import io

import pytest

from crawler.parsing import parse_document
from tests.attachment_builders import VARIANTS, built, soffice, variant_truth

pytestmark = pytest.mark.skipif(not soffice(), reason="LibreOffice (soffice) is needed to build the PDFs")

SCALARS = ("title", "report_year", "organ", "organ_level", "index_no", "publisher", "written_date", "published_date")


def assert_tables(rec, truth):
    for table in ("table2", "table3", "table4"):
        expected, got = truth[table], rec[table]
        assert got is not None, f"{table} missing: {rec['problems']}"
        if "format_version" in expected:
            assert got["format_version"] == expected["format_version"], table
        assert set(got["rows"]) == set(expected["rows"]), table
        for row, cols in expected["rows"].items():
            for col, value in cols.items():
                assert got["rows"][row][col] == value, f"{table}.rows.{row}.{col}"
                assert type(got["rows"][row][col]) is type(value) or value is None, f"{table}.rows.{row}.{col} type"


def assert_truth(rec, truth):
    for key in SCALARS:
        if key in truth:
            assert rec[key] == truth[key], key
    assert_tables(rec, truth)
    assert rec["status"] == truth["status"], rec["problems"]
    failed = sorted({c["id"] for c in rec["checks"] if c["status"] == "failed" and c.get("severity", "error") == "error"})
    assert failed == sorted(truth.get("failed_checks", []))


SEED_VARIANTS = [n for n in VARIANTS if "distinct" not in n]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("name", SEED_VARIANTS)
def test_seed_truth_through_attachment(name, kind):
    rec = parse_document(built()[kind][name], f"http://example.gov.cn/att/{name}.{kind}")
    assert rec["document_type"] == kind
    assert_truth(rec, variant_truth(name))


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("name", [n for n in VARIANTS if "distinct" in n])
def test_distinct_values_map_to_their_cells(name, kind):
    rec = parse_document(built()[kind][name], f"http://example.gov.cn/att/{name}.{kind}")
    assert_tables(rec, variant_truth(name))


@pytest.mark.parametrize("name,ext,kind", [("004_break", "doc", "doc"), ("004_break", "wps", "wps"), ("003", "doc", "doc"),
                                           ("001", "rtf", "doc")])
def test_legacy_word_via_libreoffice(name, ext, kind):
    rec = parse_document(built()["rtf" if ext == "rtf" else "doc"][name], f"http://example.gov.cn/att/{name}.{ext}")
    assert rec["document_type"] == kind
    assert_truth(rec, variant_truth(name))


@pytest.mark.parametrize("name", ["001", "004_break_hdr"])
def test_ofd_from_the_same_layout(name):
    rec = parse_document(built()["ofd"][name], f"http://example.gov.cn/att/{name}.ofd")
    assert rec["document_type"] == "ofd"
    assert_truth(rec, variant_truth(name))


def test_forced_break_really_splits_table_3_across_pages():
    import pdfplumber
    for name in ("004_break", "004_break_hdr"):
        with pdfplumber.open(io.BytesIO(built()["pdf"][name])) as pdf:
            pages = [p.extract_text() or "" for p in pdf.pages]
        before = next(i for i, t in enumerate(pages) if "4.保护第三方合法权益" in t)
        after = next(i for i, t in enumerate(pages) if "5.属于三类内部事务信息" in t)
        assert after == before + 1
        assert ("申请人情况" in pages[after]) == name.endswith("hdr")  # header repeated or not


def _pdf_lines(name):
    from crawler.parsing.formats import pdf
    return pdf.to_document(built()["pdf"][name], f"http://example.gov.cn/{name}.pdf").lines


def test_row_cut_by_a_page_break_is_joined_back():
    rows = [ln.cells for ln in _pdf_lines("004") if ln.is_row]
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    hit = [r for r in rows if label in r]
    assert len(hit) == 1 and hit[0][-7:] == ["0"] * 7, hit
    assert not any(any("补正、行政机关不再处理其" in c and c != label for c in r) for r in rows)


def test_repeated_header_dropped_and_page_numbers_gone():
    lines = _pdf_lines("004_break_hdr")
    assert sum(1 for ln in lines if ln.is_row and "申请人情况" in ln.cells) == 1
    assert not any("—" in ln.text and ln.text.strip("— 0123456789") == "" for ln in lines)
    # the continuation after the forced break keeps the empty merged cells in front of the label
    row = next(ln.cells for ln in lines if ln.is_row and "5.属于三类内部事务信息" in ln.cells)
    assert row == ["", "", "5.属于三类内部事务信息"] + ["0"] * 7


def test_merged_cells_appear_once_in_docx_and_pdf():
    from crawler.parsing.formats import docx
    for lines in (_pdf_lines("004_break"), docx.to_document(built()["docx"]["004_break"], "x.docx").lines):
        rows = [ln.cells for ln in lines if ln.is_row]
        assert ["行政许可", "0"] in rows  # value cell spans 3 grid columns: one cell
        assert ["（三）不予公开", "1.属于国家秘密"] + ["0"] * 7 in rows  # group label (rowspan) once
        assert ["2.其他法律行政法规禁止公开"] + ["0"] * 7 in rows  # continuation rows carry no copy
        header = next(i for i, r in enumerate(rows) if "行政复议" in r)
        assert rows[header] == ["行政复议", "行政诉讼"]
        # narrow header cells print one or two characters per line: joined without separators
        assert rows[header + 2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
