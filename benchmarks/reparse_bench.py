"""Offline re-parse throughput: documents/s and PDF pages/s, 1 parse process vs every core.

    python benchmarks/reparse_bench.py [--copies 3] [--workers N]

Builds two WARC archives with the project's own writer (crawler/archive/warc.py) — the realistic
report pages tests/fixtures/html/*_report.html and the PDFs of samples/portals — each document
stored `--copies` times under distinct URLs, as a crawl would archive them; then runs
`python -m crawler.reparse` on each archive with --workers 1 (the baseline) and --workers N
(default: every core), in child processes. Prints wall time, CPU time of the children, throughput,
the speed-up over 1 process and peak RSS of the largest child. No network.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.archive.warc import ArchiveWriter  # noqa: E402


def build_archive(directory: Path, files: list[Path], copies: int, content_type: str) -> int:
    writer = ArchiveWriter(directory, 1 << 30, prefix="bench")
    portal = "http://bench.invalid/"
    n = 0
    for copy in range(copies):
        for i, path in enumerate(files):
            url = f"{portal}doc/{copy}/{i}/{path.name}"
            body = path.read_bytes()
            ref = writer.write_exchange(url, method="GET", request_headers=[("User-Agent", "bench")],
                                        request_body=b"", status=200, reason="OK", protocol="HTTP/1.1",
                                        response_headers=[("Content-Type", content_type)], body=body,
                                        meta={"portal": portal, "doc_kind": "detail"})
            fields = {"url": url, "document_url": url, "portal": portal, "found_on": f"{portal}list.html",
                      "link_text": None, "content_type": content_type, "http_status": 200,
                      "fetched_at": "2026-01-01T00:00:00+00:00", "fetch_problem": None, "portal_meta": {},
                      "unit_hint": None, "list_context": None, "payload_record_id": ref.warc_record_id,
                      "evidence": [ref.evidence("document")]}
            writer.write_document(url, fields, ref.warc_record_id)
            n += 1
    writer.close()
    return n


def archive_write_rate(files: list[Path], directory: Path, rounds: int = 20) -> tuple[float, float, float]:
    """(MB/s of payload, responses/s, compressed/raw ratio) of ArchiveWriter.write_exchange: the cost
    the crawl's ArchiveMiddleware adds on the reactor thread per response (CPU time of this process)."""
    bodies = [f.read_bytes() for f in files]
    writer = ArchiveWriter(directory, 1 << 30, prefix="rate")
    t0 = time.process_time()
    for r in range(rounds):
        for i, body in enumerate(bodies):
            writer.write_exchange(f"http://bench.invalid/{r}/{i}", method="GET", request_headers=[("User-Agent", "b")],
                                  request_body=b"", status=200, reason="OK", protocol="HTTP/1.1",
                                  response_headers=[("Content-Type", "text/html")], body=body, meta={"doc_kind": "detail"})
    cpu = time.process_time() - t0
    writer.close()
    raw = sum(map(len, bodies)) * rounds
    packed = sum(p.stat().st_size for p in directory.glob("*.warc.gz"))
    return raw / cpu / 1e6, len(bodies) * rounds / cpu, packed / raw


def text_pdfs(files: list[Path]) -> list[Path]:
    """The PDFs with a text layer, one per distinct content (scanned ones fail fast: not the PDF path)."""
    import hashlib

    import pdfplumber
    out, seen = [], set()
    for f in files:
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        with pdfplumber.open(BytesIO(f.read_bytes())) as pdf:
            if digest not in seen and (pdf.pages[0].extract_text() or "").strip():
                seen.add(digest)
                out.append(f)
    return out


def pdf_pages(files: list[Path]) -> int:
    import pdfplumber
    total = 0
    for f in files:
        with pdfplumber.open(BytesIO(f.read_bytes())) as pdf:
            total += len(pdf.pages)
    return total


def reparse(archive: Path, out: Path, workers: int) -> tuple[float, float, float]:
    """(wall s, children CPU s, peak child RSS MB) of one `python -m crawler.reparse` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "crawler.reparse", str(archive), "-o", str(out),
                           "--workers", str(workers), "-L", "WARNING"], cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"reparse failed: {proc.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    html = sorted((REPO / "tests/fixtures/html").glob("*_report.html"))
    pdfs = text_pdfs(sorted({p.resolve() for p in [*(REPO / "samples/portals").rglob("*.pdf"),
                                                   *(REPO / "tests/farm/assets").glob("*.pdf")]}))
    pages = pdf_pages(pdfs) * args.copies
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}; workers 1 vs {args.workers}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, files in (("html", html), ("pdf", pdfs)):
            mbs, rate, ratio = archive_write_rate(files, tmp / f"rate-{name}")
            print(f"archive write ({name}): {mbs:.1f} MB/s, {rate:.0f} responses/s per CPU-s, "
                  f"WARC size {ratio:.0%} of the payload")
        for name, files, ctype in (("html", html, "text/html; charset=utf-8"), ("pdf", pdfs, "application/pdf")):
            docs = build_archive(tmp / name, files, args.copies, ctype)
            build_archive(tmp / f"{name}-one", files[:1], 1, ctype)
            base = None
            for workers in sorted({1, args.workers}):
                fixed, _cpu, _rss = reparse(tmp / f"{name}-one", tmp / f"out-{name}-one-{workers}", workers)
                wall, cpu, rss = reparse(tmp / name, tmp / f"out-{name}-{workers}", workers)
                net = max(wall - fixed, 1e-6)  # start-up (Scrapy, parse children) measured on a 1-document archive
                base = base or net
                extra = f", {pages / net:.1f} PDF pages/s ({pages} pages)" if name == "pdf" else ""
                print(f"{name:4s} {docs:4d} docs, workers {workers}: wall {wall:6.1f} s (start-up {fixed:.1f} s), "
                      f"{docs / net:6.1f} docs/s after start-up{extra}; speed-up {base / net:.2f}x; "
                      f"CPU {cpu:.1f} s (reaped children only); peak child RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
