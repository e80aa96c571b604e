"""Parse benchmark: reports per second for HTML pages and for text documents, and the cost of the
whole HTML parse relative to a bare `lxml.html.fromstring` of the same bytes, in the same run.

    python benchmarks/parse_bench.py [--rounds 15] [--profile] [--top 25]

Inputs: the realistic portal report pages of tests/fixtures/html/*_report.html (decoys excluded;
30–100 KB each, with site chrome) and the text documents tests/fixtures/seeds/*.txt + tests/fixtures/text/*.txt.
Each round parses every document once; timings are per round, and the median round is reported
(min and max are printed too). Target (issue 2): whole parse of an HTML report ≤ 3× its bare lxml parse.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lxml  # noqa: E402
import lxml.html  # noqa: E402

from crawler.parsing import parse_document  # noqa: E402
from crawler.parsing.spec import PARSER_VERSION  # noqa: E402

FIX = ROOT / "tests" / "fixtures"
TARGET_RATIO = 3.0


def load():
    html = [(p.name, p.read_bytes()) for p in sorted((FIX / "html").glob("*_report.html"))
            if not p.name.startswith(("decoy_", "fail_"))]
    text = [(p.name, p.read_bytes()) for p in sorted((FIX / "seeds").glob("*.txt"))]
    text += [(p.name, p.read_bytes()) for p in sorted((FIX / "text").glob("*.txt"))]
    return html, text


def _time(fn, docs) -> float:
    """CPU time of this process (the benchmark is single-threaded; CPU time is robust to a busy machine)."""
    t = time.process_time()
    for name, data in docs:
        fn(name, data)
    return time.process_time() - t


def parse_html(name, data):
    return parse_document(data, f"http://bench.example.gov.cn/{name}", "text/html")


def parse_text(name, data):
    return parse_document(data, f"http://bench.example.gov.cn/{name}", "text/plain")


def bare_lxml(_name, data):
    return lxml.html.fromstring(data)


_DECODED: dict[str, str] = {}


def decoded_lxml(name, data):
    """lxml on the correctly decoded page: on a GBK page under a gb2312 meta, or UTF-8 under a wrong
    gbk meta, lxml given the bytes stops early and builds a tree of a few elements (it does far less
    work than a real parse), so the ratio is also given against lxml on the decoded text."""
    text = _DECODED.get(name)
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        _DECODED[name] = text
    return lxml.html.fromstring(text)


def per_doc_ratios(docs, rounds):
    out = []
    for name, data in docs:
        p = min(_time(parse_html, [(name, data)]) for _ in range(rounds))
        b = min(_time(bare_lxml, [(name, data)]) for _ in range(rounds))
        d = min(_time(decoded_lxml, [(name, data)]) for _ in range(rounds))
        n = len(lxml.html.fromstring(data).xpath("//*"))
        out.append((name, len(data), p, b, d, n))
    return out


def stages(html, rounds):
    """Conversion vs record building (uses the parser's internal entry points; skipped if they moved)."""
    try:
        from crawler.parsing.convert import to_document
        from crawler.parsing.record import build_record
    except ImportError as exc:  # pragma: no cover
        print(f"stages: internal API not available ({exc})")
        return
    docs = {}

    def conv(name, data):
        docs[name] = to_document(data, f"http://bench.example.gov.cn/{name}", "text/html")

    def build(name, _data):
        build_record(docs[name], f"http://bench.example.gov.cn/{name}")

    conv_t = statistics.median(_time(conv, html) for _ in range(rounds))
    build_t = statistics.median(_time(build, html) for _ in range(rounds))
    lx = statistics.median(_time(decoded_lxml, html) for _ in range(rounds))
    n = len(html)
    print(f"stages (median of {rounds} rounds, per page): lxml on decoded text {lx / n * 1000:.2f} ms; "
          f"bytes -> Document (decode + lxml + walk) {conv_t / n * 1000:.2f} ms; "
          f"Document -> record (sections, tables, metadata, checks) {build_t / n * 1000:.2f} ms")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--profile", action="store_true", help="cProfile the HTML parses and print the hot spots")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--stages", action="store_true",
                    help="split the HTML parse into conversion (bytes -> Document) and record building, without a profiler")
    args = ap.parse_args(argv)
    html, text = load()
    if not html or not text:
        print("no fixtures found", file=sys.stderr)
        return 2
    # warm up (imports, regex compilation, OpenCC dictionary)
    _time(parse_html, html)
    _time(parse_text, text)
    _time(bare_lxml, html)
    _time(decoded_lxml, html)

    t_html, t_lxml, t_dec, t_text = [], [], [], []
    gc.collect()
    for _ in range(args.rounds):  # interleaved so that machine noise hits all three alike
        t_lxml.append(_time(bare_lxml, html))
        t_dec.append(_time(decoded_lxml, html))
        t_html.append(_time(parse_html, html))
        t_text.append(_time(parse_text, text))
    med = statistics.median
    html_kb = sum(len(d) for _, d in html) / 1024
    text_kb = sum(len(d) for _, d in text) / 1024
    ratio = med(t_html) / med(t_lxml)
    ratio_dec = med(t_html) / med(t_dec)
    print(f"parser {PARSER_VERSION}; Python {platform.python_version()}; lxml {lxml.__version__}; "
          f"{platform.machine()} {platform.processor() or ''}".rstrip())
    print(f"rounds: {args.rounds} (median round reported; min–max in brackets)")
    print(f"HTML  : {len(html)} report pages, {html_kb:.0f} KB/round: "
          f"{len(html) / med(t_html):7.1f} reports/s  ({med(t_html) / len(html) * 1000:.2f} ms/report "
          f"[{min(t_html) / len(html) * 1000:.2f}–{max(t_html) / len(html) * 1000:.2f}])")
    print(f"lxml  : bare lxml.html.fromstring on the same pages: {len(html) / med(t_lxml):7.1f} pages/s  "
          f"({med(t_lxml) / len(html) * 1000:.2f} ms/page [{min(t_lxml) / len(html) * 1000:.2f}–"
          f"{max(t_lxml) / len(html) * 1000:.2f}])")
    print(f"TEXT  : {len(text)} text documents, {text_kb:.0f} KB/round: "
          f"{len(text) / med(t_text):7.1f} reports/s  ({med(t_text) / len(text) * 1000:.2f} ms/report "
          f"[{min(t_text) / len(text) * 1000:.2f}–{max(t_text) / len(text) * 1000:.2f}])")
    print(f"lxml* : lxml.html.fromstring on the same pages decoded to str: {len(html) / med(t_dec):7.1f} pages/s  "
          f"({med(t_dec) / len(html) * 1000:.2f} ms/page)")
    verdict = "MET" if max(ratio, ratio_dec) <= TARGET_RATIO else "MISSED"
    print(f"RATIO : whole HTML parse / bare lxml.html.fromstring(bytes) = {ratio:.2f}x; "
          f"/ lxml on decoded text = {ratio_dec:.2f}x  (target <= {TARGET_RATIO:.0f}x: {verdict})")
    print("per page (best of rounds): ratio(bytes) ratio(decoded)  parse ms  lxml ms  lxml* ms  lxml elements  size")
    for name, size, p, b, d, n in per_doc_ratios(html, max(3, args.rounds // 3)):
        print(f"  {p / b:8.2f}x {p / d:8.2f}x  {p * 1000:8.2f}  {b * 1000:7.2f}  {d * 1000:7.2f}  {n:6d}  "
              f"{size / 1024:4.0f} KB  {name}")

    if args.stages:
        stages(html, args.rounds)

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            _time(parse_html, html)
        prof.disable()
        s = io.StringIO()
        st = pstats.Stats(prof, stream=s)
        st.sort_stats("cumulative").print_stats(args.top)
        st.sort_stats("tottime").print_stats(args.top)
        print(s.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
