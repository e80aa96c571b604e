"""PDF text layer: pypdfium2 vs pdfminer (pdfplumber), timed in one process, and what the parser reads from each.

    python benchmarks/pdf_textlayer_bench.py [--draws 2] [--repeat 3] [--show 8] [--also FILE.pdf ...]

The five real seeds (tests/fixtures/seeds) as tests/layoutgen builds them — each seed's own table
values plus `--draws` identity-consistent random draws — are written as Word documents with
merged-cell tables and printed to PDF by LibreOffice (tests/layoutgen/pdf.py; one soffice run).
On the same PDFs, in the same process, `--repeat` times each:

  parser PDF path      crawler.parsing.parse_document(pdf) — pdfplumber words + ruled tables
                       (find_tables) + record building: what the crawler does today
  pdfminer text        pdfplumber page.extract_text() for every page (pdfminer.six layout analysis)
  pypdfium2 text       PdfDocument → page.get_textpage().get_text_range() for every page

then parses each text layer with parse_document as text/plain and scores every table cell of each
record against the truth (right / null / WRONG; tests/layoutgen/score.py) and the metadata fields (title,
year, organ, index_no, publisher, written_date), and lists the cells where
the pypdfium2-text record differs from the normal PDF parse. No file under crawler/ is changed:
this is a measurement of whether a faster text layer could replace pdfminer "where tables allow".
`--also` adds PDFs without a truth (e.g. samples/portals, tests/farm/assets): their cells are
compared between the two records only (equal / different / null in one of them).
"""
from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.parsing import parse_document  # noqa: E402
from tests.layoutgen import report_from_seed  # noqa: E402
from tests.layoutgen.model import META_FIELDS, SEED_PREFIXES  # noqa: E402
from tests.layoutgen.score import cell_outcomes, meta_outcomes  # noqa: E402

KINDS = ("right", "null_problem", "null_silent", "wrong")


def pdfminer_text(pdf: bytes) -> str:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def pdfium_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        return "\n".join(pages)
    finally:
        doc.close()


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def timed(fn, items, repeat):
    """Best-of-`repeat` wall time of fn over every item, and the last round's outputs."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = [fn(x) for x in items]
        best = min(best, time.perf_counter() - t0)
    return best, out


def _squeeze(s: str) -> str:
    return "".join(s.split())


def cells(rec: dict) -> dict:
    return {(t, row, col): v for t in ("table2", "table3", "table4")
            for row, cols in (((rec.get(t) or {}).get("rows")) or {}).items() for col, v in (cols or {}).items()}


def compare_untruthed(paths: list[str], show: int) -> None:
    """PDF parse vs pypdfium2 text parse on PDFs without a truth: cell by cell."""
    c, examples, seen = Counter(), [], set()
    for path in paths:
        data = Path(path).read_bytes()
        if data in seen:   # the samples repeat one PDF under several names: count it once
            continue
        seen.add(data)
        a = parse_document(data, Path(path).resolve().as_uri())
        b = parse_document(pdfium_text(data).encode("utf-8"), Path(path).resolve().as_uri() + ".txt", "text/plain")
        ca, cb = cells(a), cells(b)
        c["documents"] += 1
        c["pages"] += page_count(data)
        c["same status"] += a["status"] == b["status"]
        for key in sorted(set(ca) | set(cb)):
            va, vb = ca.get(key), cb.get(key)
            kind = ("equal" if va == vb else "null in PDF parse" if va is None
                    else "null in pypdfium2 text" if vb is None else "DIFFERENT")
            c[kind] += 1
            if kind != "equal" and len(examples) < show:
                examples.append(f"  {Path(path).name} {'.'.join(key)}: PDF parse {va!r}, pypdfium2 text {vb!r}")
    print("--also PDFs (no truth), PDF parse vs pypdfium2 text: "
          + ", ".join(f"{k} {c[k]}" for k in ("documents", "pages", "same status", "equal", "DIFFERENT",
                                              "null in PDF parse", "null in pypdfium2 text")))
    print("\n".join(examples))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=2, help="random value draws per seed besides its own values (default 2)")
    ap.add_argument("--repeat", type=int, default=3, help="timing rounds; the best is reported (default 3)")
    ap.add_argument("--show", type=int, default=8, help="print this many cells that differ between the two records")
    ap.add_argument("--also", nargs="*", default=[], metavar="PDF", help="PDFs without truth: compare the two records")
    args = ap.parse_args(argv)
    if args.draws < 0 or args.repeat < 1:
        print("pdf_textlayer_bench: --draws must be ≥ 0 and --repeat ≥ 1", file=sys.stderr)
        return 2
    try:
        from tests.layoutgen.pdf import print_pdfs
        reps = [report_from_seed(p, d) for p in SEED_PREFIXES for d in (None, *range(args.draws))]
        t0 = time.perf_counter()
        pdfs = print_pdfs(reps)
    except (RuntimeError, OSError) as exc:
        print(f"pdf_textlayer_bench: cannot print the PDFs with LibreOffice: {exc}", file=sys.stderr)
        return 2
    build_s = time.perf_counter() - t0
    pages = sum(page_count(p) for p in pdfs)
    urls = [f"file:///r{i}.pdf" for i in range(len(pdfs))]

    t_parse, pdf_recs = timed(lambda i: parse_document(pdfs[i], urls[i]), range(len(pdfs)), args.repeat)
    t_miner, miner_texts = timed(pdfminer_text, pdfs, args.repeat)
    t_pdfium, pdfium_texts = timed(pdfium_text, pdfs, args.repeat)
    t_ptext, pdfium_recs = timed(lambda i: parse_document(pdfium_texts[i].encode("utf-8"), f"file:///r{i}.txt",
                                                          "text/plain"), range(len(pdfs)), args.repeat)
    miner_recs = [parse_document(t.encode("utf-8"), f"file:///r{i}.txt", "text/plain") for i, t in enumerate(miner_texts)]

    print(f"{len(pdfs)} PDFs, {pages} pages (5 seeds x {1 + args.draws} value sets; LibreOffice print {build_s:.1f} s); "
          f"best of {args.repeat}")
    print(f"{'layer':<34}{'seconds':>9}{'pages/s':>10}{'x pdfminer':>11}")
    for name, t in (("parser PDF path (parse_document)", t_parse), ("pdfminer text (extract_text)", t_miner),
                    ("pypdfium2 text (get_text_range)", t_pdfium),
                    ("pypdfium2 text + parse as text", t_pdfium + t_ptext)):
        print(f"{name:<34}{t:>9.2f}{pages / t:>10.1f}{t_miner / t:>10.1f}x")

    # same characters (as a multiset) vs same order: pdfium emits a table cell's wrapped lines in
    # content order, pdfminer interleaves the lines of a table row by height
    same_set = sum(Counter(_squeeze(a)) == Counter(_squeeze(b)) for a, b in zip(miner_texts, pdfium_texts))
    same_seq = sum(_squeeze(a) == _squeeze(b) for a, b in zip(miner_texts, pdfium_texts))
    ratio = sum(SequenceMatcher(None, _squeeze(a), _squeeze(b), autojunk=False).ratio()
                for a, b in zip(miner_texts, pdfium_texts)) / len(pdfs)
    print(f"characters, whitespace removed, pdfminer vs pypdfium2: same characters in {same_set}/{len(pdfs)} documents, "
          f"same order in {same_seq}/{len(pdfs)} (mean sequence similarity {ratio:.4f})")

    print(f"{'record source':<34}{'cells':>6}{'right':>7}{'null+pb':>8}{'silent':>7}{'WRONG':>6}{'meta':>6}  statuses")
    for name, recs in (("PDF parse (tables from geometry)", pdf_recs), ("pdfminer text as text/plain", miner_recs),
                       ("pypdfium2 text as text/plain", pdfium_recs)):
        c, st, meta = Counter(), Counter(), Counter()
        for rec, rep in zip(recs, reps):
            c.update(o[-1] for o in cell_outcomes(rec, rep.truth))
            meta.update(f for f, ok in meta_outcomes(rec, rep.truth).items() if ok)
            st[rec["status"]] += 1
        meta_ok = sum(meta.values()) / (len(META_FIELDS) * len(recs))
        print(f"{name:<34}{sum(c.values()):>6}" + "".join(f"{c[k]:>{w}}" for k, w in zip(KINDS, (7, 8, 7, 6)))
              + f"{100 * meta_ok:>5.0f}%  " + " ".join(f"{k}={v}" for k, v in sorted(st.items())))
        if meta_ok < 1:
            print("    metadata fields wrong: " + ", ".join(f"{f} {len(recs) - meta[f]}/{len(recs)}"
                                                         for f in META_FIELDS if meta[f] < len(recs)))

    diffs = []
    for i, (a, b, rep) in enumerate(zip(pdf_recs, pdfium_recs, reps)):
        got_b = {o[:3]: o for o in cell_outcomes(b, rep.truth)}
        for o in cell_outcomes(a, rep.truth):
            ob = got_b.get(o[:3])
            if ob and ob[4] != o[4]:
                diffs.append((rep.name, *o[:4], o[4], ob[4], ob[5]))
    print(f"cells where the pypdfium2-text record differs from the PDF parse: {len(diffs)}")
    for d in diffs[:args.show]:
        name, t, row, col, exp, got_pdf, got_pdfium, kind = d
        print(f"  {name} {t}.{row}.{col}: truth {exp!r}, PDF parse {got_pdf!r}, pypdfium2 text {got_pdfium!r} ({kind})")
    if args.also:
        compare_untruthed(args.also, args.show)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"peak RSS {peak / 2**20:.1f} MiB; python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
