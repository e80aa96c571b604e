"""Attachment parsing speed: pages per second for PDF and DOCX, against bare pdfminer.six text
extraction (`pdfminer.high_level.extract_text`) on the same files in the same run.

    python benchmarks/attachment_bench.py [--repeat 3]

The documents are the seed reports rebuilt by tests/attachment_builders.py (DOCX with real Word
tables, PDF saved by LibreOffice headless), so LibreOffice must be installed. A DOCX counts the
pages of the PDF made from it. Figures: benchmarks/README.md, section "Attachment benchmark".
"""
from __future__ import annotations

import argparse
import io
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _best(fn, items, repeat: int) -> float:
    """Best-of-`repeat` wall time for running `fn` over all items."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for it in items:
            fn(it)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import pdfplumber
    from pdfminer.high_level import extract_text

    from crawler.parsing import parse_document
    from crawler.parsing.formats import docx as docx_format
    from crawler.parsing.formats import pdf as pdf_format
    from tests.attachment_builders import built

    t = time.perf_counter()
    files = built()
    build_s = time.perf_counter() - t
    names = sorted(files["pdf"])
    pdfs = [files["pdf"][n] for n in names]
    docxs = [files["docx"][n] for n in names]
    pages = 0
    for data in pdfs:
        with pdfplumber.open(io.BytesIO(data)) as p:
            pages += len(p.pages)

    rows = [
        ("pdfminer.six extract_text (baseline)", _best(lambda d: extract_text(io.BytesIO(d)), pdfs, args.repeat)),
        ("PDF converter (pdf.to_document)", _best(lambda d: pdf_format.to_document(d, "b.pdf"), pdfs, args.repeat)),
        ("PDF end to end (parse_document)", _best(lambda d: parse_document(d, "http://b/x.pdf"), pdfs, args.repeat)),
        ("DOCX converter (docx.to_document)", _best(lambda d: docx_format.to_document(d, "b.docx"), docxs, args.repeat)),
        ("DOCX end to end (parse_document)", _best(lambda d: parse_document(d, "http://b/x.docx"), docxs, args.repeat)),
    ]
    base = rows[0][1]
    print(f"# {len(names)} documents, {pages} pages; Python {platform.python_version()}, "
          f"pdfplumber {pdfplumber.__version__}; best of {args.repeat}; build (LibreOffice) {build_s:.1f} s")
    print(f"{'what':40} {'seconds':>8} {'pages/s':>8} {'time vs pdfminer':>17}")
    for what, secs in rows:
        print(f"{what:40} {secs:8.2f} {pages / secs:8.1f} {secs / base:16.2f}x")


if __name__ == "__main__":
    main()
