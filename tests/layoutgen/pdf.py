"""A Report printed as a government office prints it: a Word document (real merged-cell tables,
page-number footer) converted to PDF by LibreOffice; then read back by the parser's PDF reader
or by pdfplumber's `extract_text` (the text a crawler that saved PDF text would hand over)."""
from __future__ import annotations

import io

from docx import Document as DocxDocument
from docx.shared import Pt

from tests.attachment_builders.convert import lo_convert_many
from tests.attachment_builders.word import _add_table, _footer_page_number, _place, _save, _style

from .model import SECTION_HEADINGS, TABLE_OF_SECTION, Report
from .render import head_lines, tail_lines

_WIDTHS = {"table2": [5, 4, 4, 4], "table3": [1.8, 2.0, 4.2] + [1.3] * 7, "table4": [1.13] * 15}


def report_docx(rep: Report, split_title: bool = False) -> bytes:
    doc = DocxDocument()
    _style(doc)
    _footer_page_number(doc.sections[0])
    for line in head_lines(rep, split_title):
        doc.add_paragraph(line)
    for key, heading in SECTION_HEADINGS:
        doc.add_paragraph().add_run(heading).bold = True
        for para in (rep.sections.get(key) or "").split("\n"):
            if para:
                doc.add_paragraph(para)
        t = rep.tables.get(TABLE_OF_SECTION.get(key, ""))
        if t is not None:
            layout = [[(c.text, c.colspan, c.rowspan) for c in row] for row in t.rows]
            _add_table(doc, t.ncols, _place(layout), lambda x: x, size=9.0 if t.name != "table2" else 10.5,
                       header_rows=t.header_rows, widths_cm=_WIDTHS[t.name])
    for line in tail_lines(rep):
        doc.add_paragraph(line).runs[0].font.size = Pt(12)
    return _save(doc)


def print_pdfs(reps: list[Report]) -> list[bytes]:
    """All reports through one LibreOffice run."""
    out = lo_convert_many({f"r{i}.docx": report_docx(r) for i, r in enumerate(reps)}, "pdf")
    return [out[f"r{i}"] for i in range(len(reps))]


def pdfplumber_text(pdf: bytes) -> str:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)
