"""State updates that wait for the feeds, and the bookkeeping of rejects.

The store records reports as exported only after the feed exporter has stored every feed without
error; until then the updates wait here, so a feed that fails (or a crash before it is stored)
leaves the reports pending for the next run: state and files agree.
"""
from __future__ import annotations

import logging

from crawler.dedup.held import now_iso

logger = logging.getLogger(__name__)


class PendingWrites:
    def __init__(self):
        self.ops: list[tuple[str, str, object]] = []

    def put(self, ns: str, key: str, value) -> None:
        self.ops.append((ns, key, value))

    def delete(self, ns: str, key: str) -> None:
        self.ops.append((ns, key, None))

    def apply(self, store, failed_feeds: dict) -> bool:
        """Write everything (and commit) unless a feed failed; either way the list is emptied."""
        ops, self.ops = self.ops, []
        if failed_feeds:
            logger.error("A feed could not be stored (%s): the exported reports stay pending in the "
                         "state store and are exported again by the next run", failed_feeds)
            return False
        for ns, key, value in ops:
            if value is None:
                store.delete(ns, key)
            else:
                store.put(ns, key, value)
        store.commit()
        return True


class RejectLog:
    """Rejected documents of this run: `not_a_report` URLs are remembered (not fetched again by the
    next run, unless a newer parser may judge them otherwise); a page whose attachment failed is
    forgotten, so the next run fetches it (and the attachment) again."""

    def __init__(self):
        self.rejected: list[tuple[str, str, str | None]] = []
        self.retry_pages: list[str] = []

    def add(self, record: dict, urls: list[str]) -> None:
        for url in urls:
            self.rejected.append((url, record["status"], record.get("parser_version")))
        page = record.get("url")
        if record["status"] == "failed" and page and page != record.get("document_url"):
            self.retry_pages.append(page)

    def flush(self, pending: PendingWrites) -> None:
        at = now_iso()
        for url, status, version in self.rejected:
            if status == "not_a_report":  # failed documents are tried again next run
                pending.put("url", url, {"kind": "rejected", "record_id": None, "seen_at": at,
                                         "parser_version": version})
        for page in self.retry_pages:  # after the report marks: the page is fetched again next run
            pending.delete("url", page)
        self.rejected.clear()
        self.retry_pages.clear()
