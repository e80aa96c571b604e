"""Scrapy side of the archive: a downloader middleware that writes every fetched response to WARC,
and two item pipelines that give each record its `evidence`.

- `ArchiveMiddleware` (downloader, 580: after HttpCompression 590 and Redirect 600 handled the
  response, so it sees the final, decoded bytes the spider reads) writes request + response +
  request-meta records for every response whose `doc_kind` is in GOVREPORTS_ARCHIVE_KINDS, and
  keeps an in-process index url → `Ref` (file, record id, sha256).
- `EvidenceCapture` (item pipeline 90, before ParsePipeline 100) sees the `DocumentItem`: it finds
  the stored bytes the parser will read (a WARC `conversion` record when the spider rebuilt the
  body), writes a document-metadata record (every item field but the body: what a re-parse needs)
  and notes the evidence list.
- `EvidencePipeline` (150, after ParsePipeline) sets ``record["evidence"]`` from that note, in
  record.md's shape (`warc.record_evidence`): {"page": {warc, record_id, sha256, url}, "document": …,
  "list": …}.

All three share one `Archive` per crawler; `GOVREPORTS_ARCHIVE = False` turns them off (NotConfigured).
"""
from __future__ import annotations

import logging
import os
import weakref
from collections import defaultdict, deque
from http import HTTPStatus

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.archive.warc import ArchiveWriter, Ref, http_header_list, record_evidence, sha256_hex

logger = logging.getLogger(__name__)

_ARCHIVES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
META_KEYS = ("portal", "doc_kind", "found_on", "link_text", "page_url", "unit", "list_context", "hops")


class Archive:
    """One WARC writer and the url → Ref index of the current run."""

    def __init__(self, settings, stats):
        self.kinds = set(settings.getlist("GOVREPORTS_ARCHIVE_KINDS"))
        self.writer = ArchiveWriter(archive_dir(settings),
                                    int(settings.getfloat("GOVREPORTS_ARCHIVE_MAX_MB") * 1024 * 1024))
        self.stats = stats
        self.index: dict[str, Ref] = {}
        self.notes: dict[tuple, deque] = defaultdict(deque)

    @classmethod
    def of(cls, crawler) -> "Archive":
        if not crawler.settings.getbool("GOVREPORTS_ARCHIVE"):
            raise NotConfigured()  # silent: off is a choice, not a fault
        archive = _ARCHIVES.get(crawler)
        if archive is None:
            archive = _ARCHIVES[crawler] = cls(crawler.settings, crawler.stats)
            crawler.signals.connect(archive.close, signal=signals.engine_stopped)
        return archive

    def close(self) -> None:
        self.writer.close()

    # ------------------------------------------------------------------ responses
    def store_response(self, request, response) -> Ref:
        meta = {k: request.meta.get(k) for k in META_KEYS if request.meta.get(k) not in (None, "")}
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        ref = self.writer.write_exchange(
            response.url, method=request.method, request_headers=http_header_list(request.headers),
            request_body=request.body or b"", status=response.status, reason=reason,
            protocol=getattr(response, "protocol", None) or "HTTP/1.1",
            response_headers=http_header_list(response.headers), body=response.body, meta=meta)
        self.index[response.url] = ref
        if request.url != response.url:
            self.index.setdefault(request.url, ref)
        self.stats.inc_value("govreports/archive/responses")
        self.stats.inc_value("govreports/archive/bytes", len(response.body))
        return ref

    # ------------------------------------------------------------------ documents
    def store_document(self, item) -> list[dict]:
        """The document's payload reference (stored again as a conversion when the spider changed the
        bytes) and the metadata record for a re-parse; returns the evidence list."""
        document_url = item.get("document_url") or item.get("url")
        body = item.get("body") or b""
        ref = self.index.get(document_url)
        if not item.get("fetch_problem") and body and (ref is None or ref.payload_sha256 != sha256_hex(body)):
            ref = self.writer.write_conversion(document_url, body, ref.warc_record_id if ref else None,
                                               item.get("content_type"))
            self.stats.inc_value("govreports/archive/conversions")
        evidence = [ref.evidence("document")] if ref else []
        for role, url in (("page", item.get("url")), ("list", item.get("found_on"))):
            other = self.index.get(url) if url and url != document_url else None
            if other is not None and all(e["warc_record_id"] != other.warc_record_id for e in evidence):
                evidence.append(other.evidence(role))
        fields = {k: v for k, v in item.items() if k != "body"}  # every field, today's and tomorrow's
        fields["payload_record_id"] = ref.warc_record_id if ref else None
        fields["evidence"] = evidence  # what crawler.reparse gives the re-parsed record
        self.writer.write_document(document_url, fields, ref.warc_record_id if ref else None)
        return evidence


def archive_dir(settings) -> str:
    """GOVREPORTS_ARCHIVE_DIR, or archive/ inside the output directory (a distributed worker's own
    output dir: one archive per worker; test runs stay in their tmp dir)."""
    configured = settings.get("GOVREPORTS_ARCHIVE_DIR")
    if configured:
        return str(configured)
    return os.path.join(settings.get("GOVREPORTS_OUTPUT_DIR") or "output", "archive")


def note_key(url, document_url, fetched_at) -> tuple:
    return (url or document_url, document_url or url, fetched_at)


class ArchiveMiddleware:
    def __init__(self, crawler):
        self.archive = Archive.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if request.meta.get("doc_kind") in self.archive.kinds:
            self.archive.store_response(request, response)
        return response


class EvidenceCapture:
    def __init__(self, crawler):
        self.archive = Archive.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        from crawler.items import DocumentItem
        if isinstance(item, DocumentItem):
            evidence = self.archive.store_document(item)
            self.archive.notes[note_key(item.get("url"), item.get("document_url"), item.get("fetched_at"))].append(evidence)
        return item


class EvidencePipeline:
    def __init__(self, crawler):
        self.archive = Archive.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, record):
        if isinstance(record, dict) and "status" in record:
            key = note_key(record.get("url"), record.get("document_url"), record.get("fetched_at"))
            queue = self.archive.notes.get(key)
            refs = []
            if queue:
                refs = queue.popleft()
                if not queue:
                    del self.archive.notes[key]
            record["evidence"] = record_evidence(refs, record.get("url"), record.get("document_url"))
        return record
