"""Layout benchmark: how the parser reads documents damaged the way real extractors damage them.

    python benchmarks/layout_bench.py [--draws 6] [--pdf] [--family flat] [--show-wrong 5]

Reports come from the five real seeds (tests/fixtures/seeds) via tests/layoutgen: the seeds' own
table values plus `--draws` identity-consistent random draws per seed. TRAIN = the training
damage variants (tests/layoutgen/variants.py) on draws 0..n-1; HELD-OUT = the held-out variants
(tests/layoutgen/heldout.py, never tuned on) on other draws (1000..). HTML-FX = every variant on the
17 report pages of tests/fixtures/html (other table markup and prose; truth = the clean page's
record, whose numbers tests/test_parse_html.py states by hand). Per layout family and split:
cells right / null with a problem / null with no problem / WRONG, records exporting a wrong number under `complete` (must be 0), and metadata
fields right (title, report_year, organ, index_no, publisher, written_date).
`--pdf` adds the family `pdf_real`: the report as a Word document (merged-cell tables) printed to
PDF by LibreOffice, read by the parser's PDF reader, and `pdfplumber_text`: that PDF's pdfplumber
`extract_text` handed to the parser as text (one LibreOffice run; needs soffice).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import resource
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.parsing import parse_document  # noqa: E402
from tests.layoutgen import TRAIN, cases, html_cases, report_from_seed, score  # noqa: E402
from tests.layoutgen.heldout import HELDOUT  # noqa: E402
from tests.layoutgen.model import META_FIELDS, SEED_PREFIXES  # noqa: E402

KINDS = ("right", "null_problem", "null_silent", "wrong")


def pdf_cases(draws):
    """Reports printed to PDF (Word document → LibreOffice), read as PDF and as pdfplumber text."""
    from tests.layoutgen.pdf import pdfplumber_text, print_pdfs
    reps = [report_from_seed(p, d) for p in SEED_PREFIXES for d in draws]
    for i, (rep, pdf) in enumerate(zip(reps, print_pdfs(reps))):
        yield "pdf_real", rep.name, pdf, f"file:///r{i}.pdf", rep.truth, None
        yield "pdfplumber_text", rep.name, pdfplumber_text(pdf).encode("utf-8"), f"file:///r{i}.txt", rep.truth, None


def run(split, items, agg, meta, wrongs):
    n = 0
    for family, report, data, url, truth, link_text in items:
        rec = parse_document(data, url, link_text=link_text)
        s = score(rec, truth)
        a = agg[(family, split)]
        a.update(s["cells"])
        a["records"] += 1
        a["wrong_complete"] += s["wrong_under_complete"]
        for f, ok in s["meta"].items():
            meta[(family, split)][f] += ok
        if s["wrong"]:
            wrongs.append((split, family, report, url, rec["status"], s["wrong"][:3]))
        n += 1
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=6, help="random value draws per seed and split (default 6)")
    ap.add_argument("--pdf", action="store_true", help="add the LibreOffice PDF families (slow, needs soffice)")
    ap.add_argument("--family", help="only this family")
    ap.add_argument("--show-wrong", type=int, default=5, help="print this many records with a wrong cell")
    args = ap.parse_args(argv)
    if args.draws < 1:
        print("layout_bench: --draws must be ≥ 1", file=sys.stderr)
        return 2

    def pick(vs):
        return [v for v in vs if not args.family or v.family == args.family]

    agg, meta, wrongs = defaultdict(Counter), defaultdict(Counter), []
    t0 = time.perf_counter()
    train_draws = (None, *range(args.draws))
    held_draws = tuple(range(1000, 1000 + args.draws))
    n = run("train", ((c.family, c.report, c.data, c.url, c.truth, c.link_text) for c in cases(pick(TRAIN), draws=train_draws)),
            agg, meta, wrongs)
    n += run("held-out", ((c.family, c.report, c.data, c.url, c.truth, c.link_text)
                          for c in cases(pick(HELDOUT), draws=held_draws, salt="heldout")), agg, meta, wrongs)
    n += run("html-fx", ((c.family, c.report, c.data, c.url, c.truth, c.link_text)
                         for c in html_cases(pick(TRAIN + HELDOUT), salt="html")), agg, meta, wrongs)
    if args.pdf:
        n += run("pdf", pdf_cases((None, 0, 1)), agg, meta, wrongs)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    print(f"{'family':<16}{'split':<10}{'docs':>5}{'cells':>7}{'right':>8}{'null+pb':>8}"
          f"{'silent':>7}{'WRONG':>6}{'wrong@complete':>15}{'meta':>8}")
    for (family, split), a in sorted(agg.items()):
        cells = sum(a[k] for k in KINDS)
        m = meta[(family, split)]
        meta_ok = sum(m[f] for f in META_FIELDS) / (len(META_FIELDS) * a["records"])
        print(f"{family:<16}{split:<10}{a['records']:>5}{cells:>7}{100 * a['right'] / max(cells, 1):>7.1f}%"
              f"{100 * a['null_problem'] / max(cells, 1):>7.1f}%{a['null_silent']:>7}"
              f"{a['wrong']:>6}{a['wrong_complete']:>15}{100 * meta_ok:>7.1f}%")
    for split in ("train", "held-out", "html-fx", "pdf"):
        fields = Counter()
        recs = sum(a["records"] for (f, s), a in agg.items() if s == split)
        for (f, s), m in meta.items():
            if s == split:
                fields.update(m)
        if recs:
            print(f"metadata {split}: " + "  ".join(f"{f} {100 * fields[f] / recs:.1f}%" for f in META_FIELDS))
    print(f"{n} documents in {dt:.1f} s ({n / dt:.1f} docs/s, generation included); peak RSS "
          f"{peak / 2**20:.1f} MiB; python {sys.version.split()[0]}")
    for w in wrongs[:args.show_wrong]:
        print("WRONG:", *w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
