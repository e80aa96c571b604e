"""Build real attachments from the seeds' content, as government offices produce them.

* `build_docx(seed)` writes a Word document: the seed's prose as paragraphs (verbatim, in order),
  and tables 2–4 rebuilt as real Word tables in the official layouts (report-format.md §2–§4)
  with merged cells (gridSpan / vMerge) and the values of the seed's truth file.
* `docx_to_pdf(docx_bytes)` converts with LibreOffice headless ("save as PDF"), CJK fonts from
  fonts-noto-cjk.

Options reproduce the PDF quirks the converters must survive: a page break forced inside table 3
(`break_before` a table-3 row key), the table-3 header repeated on the next page
(`repeat_header`), and `values` to print other numbers than the truth (to prove positional
mapping with distinct values).
"""
from __future__ import annotations

import functools

from .convert import docx_to_doc, docx_to_pdf, lo_convert, lo_convert_many, pdf_to_ofd, soffice  # noqa: F401
from .layouts import SEEDS, T3_COLS, distinct_values, load_seed, seed_paths, truth_with  # noqa: F401
from .word import build_docx  # noqa: F401

# ------------------------------------------------------------------ one build per test session
VARIANTS = {
    # name: (seed prefix, build options)
    "001": ("001", {}),
    "003": ("003", {}),
    "004": ("004", {}),  # natural page break cuts the row (六)1. in two
    "004_break": ("004", {"break_before": "denied_internal_affairs"}),
    "004_break_hdr": ("004", {"break_before": "denied_internal_affairs", "repeat_header": True}),
    "001_distinct": ("001", {"values": "distinct2021"}),
    "003_distinct": ("003", {"values": "distinct2019"}),
    "004_unruled": ("004", {"borders": False}),  # tables without ruling lines
    "001_unruled_distinct": ("001", {"borders": False, "values": "distinct2021"}),
    "003_autonum": ("003", {"autonum": True}),  # section headings numbered by Word, not typed
}


def variant_truth(name: str) -> dict:
    prefix, opts = VARIANTS[name]
    truth = load_seed(prefix)[1]
    if opts.get("values"):
        truth = truth_with(truth, distinct_values(opts["values"][-4:]))
    return truth


@functools.lru_cache(maxsize=None)
def built() -> dict[str, dict[str, bytes]]:
    """Every variant as DOCX and PDF, two as DOC, one as RTF, two as OFD; LibreOffice runs 3 times."""
    docx = {}
    for name, (prefix, opts) in VARIANTS.items():
        o = dict(opts)
        if o.get("values"):
            o["values"] = distinct_values(o["values"][-4:])
        docx[name] = build_docx(prefix, **o)
    pdf = lo_convert_many({f"{n}.docx": d for n, d in docx.items()}, "pdf")
    doc = lo_convert_many({f"{n}.docx": docx[n] for n in ("003", "004_break")}, "doc:MS Word 97")
    rtf = lo_convert_many({"001.docx": docx["001"]}, "rtf")
    ofd = {n: pdf_to_ofd(pdf[n]) for n in ("001", "004_break_hdr")}
    return {"docx": docx, "pdf": pdf, "doc": doc, "rtf": rtf, "ofd": ofd}

