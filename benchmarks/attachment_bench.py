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


def _best(cases: list[tuple[str, object, list]], repeat: int) -> list[tuple[str, float]]:
    """Best-of-`repeat` wall time of each (name, fn, items), rounds interleaved so that load from
    other processes hits every case alike."""
    best = {name: float("inf") for name, _, _ in cases}
    for _ in range(repeat):
        for name, fn, items in cases:
            t = time.perf_counter()
            for it in items:
                fn(it)
            best[name] = min(best[name], time.perf_counter() - t)
    return [(name, best[name]) for name, _, _ in cases]


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

    rows = _best([
        ("pdfminer.six extract_text (baseline)", lambda d: extract_text(io.BytesIO(d)), pdfs),
        ("PDF converter (pdf.to_document)", lambda d: pdf_format.to_document(d, "b.pdf"), pdfs),
        ("PDF end to end (parse_document)", lambda d: parse_document(d, "http://b/x.pdf"), pdfs),
        ("DOCX converter (docx.to_document)", lambda d: docx_format.to_document(d, "b.docx"), docxs),
        ("DOCX end to end (parse_document)", lambda d: parse_document(d, "http://b/x.docx"), docxs),
    ], args.repeat)
    base = rows[0][1]
    print(f"# {len(names)} documents, {pages} pages; Python {platform.python_version()}, "
          f"pdfplumber {pdfplumber.__version__}; best of {args.repeat} interleaved rounds; build (LibreOffice) {build_s:.1f} s")
    print(f"{'what':40} {'seconds':>8} {'pages/s':>8} {'time vs pdfminer':>17}")
    for what, secs in rows:
        print(f"{what:40} {secs:8.2f} {pages / secs:8.1f} {secs / base:16.2f}x")


if __name__ == "__main__":
    main()
