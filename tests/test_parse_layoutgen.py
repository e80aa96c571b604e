"""Documents damaged the way real extractors damage them (tests/layoutgen) read the numbers of
the document or null + a problem — never a different number under status `complete`.

The reports come from the five real seeds (their titles, organs, years, metadata, prose) with
the seeds' own table values and with values drawn under fixed RNG seeds that satisfy every
identity of the format; each is rendered in every training and held-out damage variant.
"""
import pytest

from crawler.parsing import parse_document
from tests.layoutgen import TRAIN, cases, html_cases, report_from_seed, score
from tests.attachment_builders import soffice
from tests.layoutgen.heldout import HELDOUT
from tests.layoutgen.pdf import pdfplumber_text, print_pdfs
from tests.layoutgen.model import T3_COLS, T4_COLS

DRAWS = (None, 0, 1)


@pytest.mark.parametrize("variant", TRAIN + HELDOUT, ids=lambda v: v.name)
def test_no_number_that_differs_from_the_document_is_ever_complete(variant):
    for case in cases([variant], draws=DRAWS):
        rec = parse_document(case.data, case.url, link_text=case.link_text)
        s = score(rec, case.truth)
        assert not s["wrong_under_complete"], (case.report, case.variant, s["wrong"][:5])
        assert s["cells"]["null_silent"] == 0, (case.report, case.variant)


def test_damaged_portal_pages_never_read_a_different_number_as_complete():
    """The same invariant on the table markup and prose of the realistic portal pages (tests/fixtures/html);
    each page in one variant of every family, the variants taken in turn (the benchmark runs them all)."""
    for case in html_cases(TRAIN + HELDOUT, rotate=True):
        rec = parse_document(case.data, case.url, link_text=case.link_text)
        s = score(rec, case.truth)
        assert not s["wrong_under_complete"], (case.report, case.variant, s["wrong"][:5])
        assert s["cells"]["null_silent"] == 0, (case.report, case.variant)


def test_the_undamaged_html_rendering_reads_every_cell():
    """The control family: if the clean page does not read 100 %, the generator is wrong, not the parser."""
    html = [v for v in TRAIN if v.family == "html"]
    for case in cases(html, draws=DRAWS):
        rec = parse_document(case.data, case.url, link_text=case.link_text)
        s = score(rec, case.truth)
        assert set(s["cells"]) == {"right"}, (case.report, dict(s["cells"]), s["wrong"][:3])
        assert all(s["meta"].values()), (case.report, s["meta"])


@pytest.mark.parametrize("draw", [0, 1, 2, 3])
@pytest.mark.parametrize("prefix", ["001", "003"])
def test_drawn_values_satisfy_the_identities_of_the_format(prefix, draw):
    t = report_from_seed(prefix, draw).truth
    t3 = t["table3"]["rows"]
    outcome = [k for k in t3 if k not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    for c in T3_COLS:
        assert t3["total_processed"][c] == sum(t3[k][c] for k in outcome)
        assert t3["new_received"][c] + t3["carried_over"][c] == t3["total_processed"][c] + t3["carried_forward"][c]
        assert min(t3[k][c] for k in t3) >= 0
    for row in t3.values():
        assert row["total"] == sum(row[c] for c in T3_COLS[:-1])
    for row in t["table4"]["rows"].values():
        assert row["total"] == sum(row[c] for c in T4_COLS[:-1])


def test_flat_rendering_really_loses_the_cell_separators():
    v = next(v for v in HELDOUT if v.name == "flat_glued_all")
    case = next(cases([v], prefixes=("004",), draws=(None,)))
    text = case.data.decode("utf-8")
    # seed 004's own values (all zero): 本年新收 row printed as one digit run, 4.保护… glued to row 3's digits
    assert "一、本年新收政府信息公开申请数量0000000\n" in text
    assert "00000004.保护第三方合法权益" in text


@pytest.mark.skipif(not soffice(), reason="LibreOffice (soffice) is needed to print the PDFs")
def test_reports_printed_to_pdf_read_the_same_numbers_directly_and_as_pdfplumber_text():
    """Two generated reports printed by LibreOffice (one run): the PDF reader and the text of
    pdfplumber's extract_text (wrapped labels, vertical group labels, page footers) read every
    cell and every metadata field."""
    reps = [report_from_seed("001", 0), report_from_seed("003", 1)]
    for rep, pdf in zip(reps, print_pdfs(reps)):
        text = pdfplumber_text(pdf)
        assert rep.title[:8] in text
        for data, url in ((pdf, "file:///r.pdf"), (text.encode("utf-8"), "file:///r.txt")):
            rec = parse_document(data, url)
            s = score(rec, rep.truth)
            assert set(s["cells"]) == {"right"}, (rep.name, url, dict(s["cells"]), s["wrong"][:3])
            assert all(s["meta"].values()), (rep.name, url, s["meta"])
