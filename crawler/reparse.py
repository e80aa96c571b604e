"""Re-parse an archive offline: ``python -m crawler.reparse ARCHIVE_DIR -o OUTPUT_DIR [--since DATE]``.

Runs the current parser over the documents a crawl archived (crawler/archive: one document-metadata
record per fetched document, pointing at the payload the parser read) and writes the same feeds a
crawl writes (reports CSV/JSONL, rejects, run summary) through the crawl's own pipelines: the same
ParsePipeline (one resource-limited child process per worker thread: all cores by default),
RegionPipeline and DedupPipeline (same record_ids, same merge rules), the same exporters. No request
is made: a replay spider yields the archived documents as items. The newest copy of each document
URL wins (an archive holding several runs). Records keep their original `evidence` and `fetched_at`;
`parser_version` is the current parser's. The incremental state starts empty unless --state is given
(so every report is exported).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.archive.warc import DOCUMENT_META_TYPE, cut_at, record_evidence, warc_files


@dataclass
class ArchivedDocument:
    fields: dict           # DocumentItem fields but the body, + payload_record_id and evidence
    payload_at: tuple | None  # (path, offset) of the payload record, None for a document never fetched


def run_of(path: Path) -> str:
    """The run a WARC file belongs to: its name without the rotation number (<prefix>-<n>.warc.gz)."""
    return path.name.split(".warc")[0].rsplit("-", 1)[0]


def scan(archive: Path, since: str | None = None) -> list[ArchivedDocument]:
    """Every archived document, the newest copy per document URL; the newest run first, each run in
    its own archive order (so on a tie in quality the merge keeps the newer run's copy, as the crawl's
    later run replaced the earlier export)."""
    offsets: dict[str, tuple[Path, int]] = {}
    documents: dict[str, dict] = {}
    for path in warc_files(archive):
        entries = list(_entries(path))
        cut = cut_at(path)
        if cut is not None:  # the record the file ends inside is incomplete, whether warcio yields it or not
            entries = [e for e in entries if e[3] < cut]
            print(f"warning: {path} is truncated (a crawl killed while writing?); "
                  "documents after its last complete record are not re-parsed", file=sys.stderr)
        for rid, at, meta, _offset in entries:
            if meta is None:
                offsets[rid] = at
                continue
            fields = json.loads(meta.decode("utf-8"))
            if since and (fields.get("fetched_at") or "") < since:
                continue
            key = fields.get("document_url") or fields.get("url")
            documents.pop(key, None)  # the newest copy replaces an older one
            documents[key] = {**fields, "_run": run_of(path)}
    by_run: dict[str, list[dict]] = {}
    for f in documents.values():
        by_run.setdefault(f["_run"], []).append(f)
    ordered = [f for run in sorted(by_run, reverse=True) for f in by_run[run]]  # run names start with their time
    return [ArchivedDocument(f, offsets.get(f.get("payload_record_id"))) for f in ordered]


def _entries(path: Path):
    """(record id, (path, offset), None, offset) per payload record, (record id, None, JSON bytes,
    offset) per document record, in file order."""
    with open(path, "rb") as f:
        records = ArchiveIterator(f)
        for rec in records:
            rid = rec.rec_headers.get_header("WARC-Record-ID")
            if rec.rec_type in ("response", "conversion", "resource"):
                offset = records.get_record_offset()
                yield rid, (path, offset), None, offset
            elif rec.rec_type == "metadata" and rec.rec_headers.get_header("Content-Type") == DOCUMENT_META_TYPE:
                meta = rec.content_stream().read()  # before get_record_offset, which reads the record to its end
                yield rid, None, meta, records.get_record_offset()


def read_payload(at: tuple[Path, int]) -> bytes:
    path, offset = at
    with open(path, "rb") as f:
        f.seek(offset)
        rec = next(iter(ArchiveIterator(f)))
        return rec.content_stream().read()


def _spider_class():
    import asyncio
    from collections import deque

    import scrapy

    from crawler.items import DocumentItem
    from crawler.pipelines import ParsePipeline, parse_workers, record_from_item

    class ReplaySpider(scrapy.Spider):
        """Parses the archived documents (in parallel, the crawl's ParsePipeline parser and limits) and
        yields the records in archive order, so the merge (first copy wins a tie) is deterministic.
        Fetches nothing; ParsePipeline passes the finished records through."""
        name = "reports"

        def __init__(self, documents: list[ArchivedDocument], **kw):
            super().__init__(**kw)
            self.documents = documents
            self.portal_meta = {}
            for doc in documents:
                portal = doc.fields.get("portal")
                if portal and portal not in self.portal_meta:
                    self.portal_meta[portal] = doc.fields.get("portal_meta") or {}

        def item_of(self, doc: ArchivedDocument) -> DocumentItem:
            f = doc.fields
            body = read_payload(doc.payload_at) if doc.payload_at and not f.get("fetch_problem") else b""
            if not body and not f.get("fetch_problem"):
                self.crawler.stats.inc_value("govreports/reparse/payload_missing")
                f = {**f, "fetch_problem": {"code": "archive_payload_missing",
                                            "detail": f"payload record {f.get('payload_record_id')} not in the archive"}}
            return DocumentItem(body=body, **{k: f.get(k) for k in DocumentItem.fields if k != "body"})

        async def start(self):
            parser = ParsePipeline.from_crawler(self.crawler)  # its thread pool drives one child per thread
            window = max(2, 2 * parse_workers(self.settings))
            pending: deque = deque()
            try:
                for doc in self.documents:
                    item = self.item_of(doc)
                    pending.append((doc, parser.executor.submit(record_from_item, item, parser.parse)))
                    if len(pending) >= window:
                        yield await self.finished(*pending.popleft())
                while pending:
                    yield await self.finished(*pending.popleft())
            finally:
                parser.close_spider()

        async def finished(self, doc: ArchivedDocument, future) -> dict:
            record = await asyncio.wrap_future(future)
            record["evidence"] = record_evidence(doc.fields.get("evidence") or [], record.get("url"),
                                                 record.get("document_url"))  # as archived
            stats = self.crawler.stats
            stats.inc_value("govreports/reparse/documents")
            stats.inc_value(f"govreports/records/{record.get('status')}")
            if record.get("portal"):
                stats.inc_value(f"govreports/portal/{record['portal']}/candidates_yielded")
                stats.inc_value(f"govreports/portal/{record['portal']}/records/{record.get('status')}")
            return record

    return ReplaySpider


def settings_for(output: Path, state: Path, workers: int, log_level: str):
    from scrapy.utils.project import get_project_settings
    settings = get_project_settings()
    settings.setdict({
        "GOVREPORTS_ARCHIVE": False,  # no new archive: nothing is fetched
        "GOVREPORTS_OUTPUT_DIR": str(output), "GOVREPORTS_STATE_DIR": str(state),
        "GOVREPORTS_PARSE_THREADS": workers, "CONCURRENT_ITEMS": max(100, 4 * workers),
        "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": log_level,
        "GOVREPORTS_SITE_SEARCH": False,
    }, priority="cmdline")
    return settings


def run(archive: Path, output: Path, *, since: str | None = None, state: Path | None = None,
        workers: int | None = None, log_level: str = "INFO") -> dict:
    """Re-parse `archive` into `output`; returns the crawl's stats."""
    from scrapy.crawler import CrawlerProcess
    documents = scan(archive, since)
    from crawler.pipelines import usable_cores
    workers = workers or usable_cores()
    with tempfile.TemporaryDirectory(prefix="reparse-state-") as tmp:
        process = CrawlerProcess(settings_for(output, state or Path(tmp), workers, log_level))
        crawler = process.create_crawler(_spider_class())
        process.crawl(crawler, documents=documents)
        process.start()
        return dict(crawler.stats.get_stats())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.reparse", description=__doc__.split("\n\n")[0])
    ap.add_argument("archive", type=Path, help="directory of WARC files written by a crawl (crawler/archive)")
    ap.add_argument("-o", "--output", type=Path, required=True, help="directory for the new feeds")
    ap.add_argument("--since", help="only documents fetched on or after this ISO date/time (e.g. 2026-01-01)")
    ap.add_argument("--state", type=Path, help="incremental state dir to use (default: a fresh one)")
    ap.add_argument("--workers", type=int, help="parse processes (default: every core)")
    ap.add_argument("--compare", type=Path, metavar="FEED.jsonl",
                    help="the reports feed being replaced: writes reparse-changes-<time>.jsonl (which records' "
                         "cells changed, old → new)")
    ap.add_argument("-L", "--log-level", default="INFO")
    args = ap.parse_args(argv)
    if not args.archive.exists() or not warc_files(args.archive):
        print(f"error: no WARC files in {args.archive}", file=sys.stderr)
        return 2
    if args.compare is not None and not args.compare.is_file():
        print(f"error: feed to compare with not found: {args.compare}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    stats = run(args.archive, args.output, since=args.since, state=args.state, workers=args.workers,
                log_level=args.log_level)
    n = stats.get("govreports/reparse/documents", 0)
    print(f"reparse: {n} document(s) re-parsed into {args.output}", file=sys.stderr)
    if not n:
        what = f"fetched since {args.since}" if args.since else "(was it written with GOVREPORTS_ARCHIVE on?)"
        print(f"error: the archive holds no document records {what}", file=sys.stderr)
        return 1
    if args.compare is not None:
        compare_feeds(args.compare, args.output, stats.get("govreports/run_time"))
    return 0 if stats.get("finish_reason") == "finished" else 1


def compare_feeds(old_feed: Path, output: Path, run_time: str | None) -> None:
    from crawler.archive import diff
    new_feed = output / f"reports-{run_time}.jsonl"
    if not run_time or not new_feed.is_file():
        print(f"warning: no reports feed {new_feed} to compare (custom FEEDS?)", file=sys.stderr)
        return
    target = output / f"reparse-changes-{run_time}.jsonl"
    counts = diff.write(target, diff.compare(diff.load(old_feed), diff.load(new_feed)))
    print("reparse: vs {}: {changed} changed, {unchanged} unchanged, {new} new, {gone} gone; {}".format(
        old_feed, target, **counts), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
