"""State updates that wait for the feeds, and the bookkeeping of rejects.

The store records reports as exported only after the feed exporter has stored every feed without
error; until then the updates wait here, so a feed that fails (or a crash before it is stored)
leaves the reports pending for the next run: state and files agree.
"""
from __future__ import annotations

import logging
import pickle
import tempfile

from crawler.dedup.held import now_iso

logger = logging.getLogger(__name__)


class PendingWrites:
    """The updates, in order. Past `IN_MEMORY` of them they go to an anonymous temporary file
    (pickled), so exporting 40,000 reports, each with every table cell in its ``exported`` entry,
    does not hold them all in memory until the feeds are stored (issue 15: flat memory). A crash
    loses the file with the process, as it would the list: the store was not written either."""

    IN_MEMORY = 500

    def __init__(self):
        self.ops: list[tuple[str, str, object]] = []
        self._spill = None   # temporary file of pickled ops written before `ops`
        self._spilled = 0

    def __len__(self) -> int:
        return self._spilled + len(self.ops)

    def put(self, ns: str, key: str, value) -> None:
        self._add((ns, key, value))

    def delete(self, ns: str, key: str) -> None:
        self._add((ns, key, None))

    def _add(self, op) -> None:
        self.ops.append(op)
        if len(self.ops) >= self.IN_MEMORY:
            if self._spill is None:
                self._spill = tempfile.TemporaryFile(prefix="govreports-pending-")
            for item in self.ops:
                pickle.dump(item, self._spill, protocol=pickle.HIGHEST_PROTOCOL)
            self._spilled += len(self.ops)
            self.ops = []

    def apply(self, store, failed_feeds: dict) -> bool:
        """Write everything (and commit) unless a feed failed; either way the list is emptied."""
        spill, n, ops = self._spill, self._spilled, self.ops
        self._spill, self._spilled, self.ops = None, 0, []
        if failed_feeds:
            if spill is not None:
                spill.close()  # the file was unlinked when made: closing frees it
            logger.error("A feed could not be stored (%s): the exported reports stay pending in the "
                         "state store and are exported again by the next run", failed_feeds)
            return False
        for ns, key, value in _replay(spill, n, ops):
            if value is None:
                store.delete(ns, key)
            else:
                store.put(ns, key, value)
        store.commit()
        return True


def _replay(spill, n: int, ops: list):
    try:
        if spill is not None:
            spill.seek(0)
            for _ in range(n):
                yield pickle.load(spill)
        yield from ops
    finally:
        if spill is not None:
            spill.close()


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
