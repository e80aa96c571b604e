"""The merge buffer: reports held until the export, one entry per record id (namespace ``buffer``).

An entry is ``{"record": best copy so far, "urls": every URL of every copy, "notes": problems
explaining why other reports were kept apart}``. Documents that name nothing of their own wait in
``deferred`` until the spider closes (binding.IdentityBinder.weak). Both are durable once the
store commits, so an interrupted run's reports are exported by the next one.
"""
from __future__ import annotations

from datetime import datetime, timezone

from crawler.identity import quality
from crawler.regions.resolve import adopt_better_region

# Metadata a better-parsed copy lacks is taken from the other copies.
_FILLABLE = ("title", "report_year", "organ", "organ_level", "index_no", "publisher",
             "written_date", "published_date")


def now_iso() -> str:
    return datetime.now(tz=timezone.utc).replace(microsecond=0).isoformat()


def record_urls(record: dict) -> list[str]:
    return [u for u in (record.get("document_url"), record.get("url")) if u]


def _url_order(record: dict) -> tuple[bool, str, str]:
    """Between copies of equal quality: a page read itself before an attachment of it (the page
    names what the file leaves out), then the URLs' order."""
    doc, page = str(record.get("document_url") or ""), str(record.get("url") or "")
    return bool(page) and doc != page, doc, page


def merge(entry: dict, record: dict, urls: list[str] | None = None) -> bool:
    """Merge `record` (found at `urls`, by default its own) into a buffer entry; True when the new
    record became the kept one."""
    kept = entry["record"]
    new_q, kept_q = quality(record), quality(kept)
    # equal quality: decided by the URLs, not by which copy arrived first (parse children finish in
    # any order; the same run, its re-parse and next week's run must keep the same copy)
    better = new_q > kept_q or (new_q == kept_q and _url_order(record) < _url_order(kept))
    winner, loser = (record, kept) if better else (kept, record)
    for f in _FILLABLE:
        if winner.get(f) in (None, "") and loser.get(f) not in (None, ""):
            winner[f] = loser[f]
    adopt_better_region(winner, loser)
    winner["record_id"] = kept["record_id"]
    entry["record"] = winner
    entry["urls"] = sorted(set(entry["urls"]) | set(record_urls(record) if urls is None else urls))
    return better


class HeldReports:
    def __init__(self, store):
        self.store = store

    def hold(self, rid: str, record: dict, urls: list[str], notes: list[dict]) -> bool:
        """Hold `record` under `rid`; True when it was merged into an earlier copy."""
        record["record_id"] = rid
        urls = [u for u in urls if u == record.get("document_url") or not self._other_report(u, rid)]
        entry = self.store.get("buffer", rid)
        merged = entry is not None
        if entry is None:
            entry = {"record": record, "urls": [], "notes": []}
        else:
            merge(entry, record, urls)
        entry["urls"] = sorted(set(entry["urls"]) | set(urls))
        entry["notes"] = list(entry.get("notes") or []) + [n for n in notes if n not in (entry.get("notes") or [])]
        self.store.put("buffer", rid, entry)
        at = now_iso()
        for url in urls:
            self.store.put("url", url, {"kind": "buffered", "record_id": rid, "seen_at": at})
        return merged

    def fold(self, into: str, rid: str) -> None:
        """Move the held report `rid` (the same report, shown by a later copy) into `into`."""
        entry = self.store.get("buffer", rid)
        target = self.store.get("buffer", into)
        if entry is None or target is None:
            return
        merge(target, entry["record"], entry["urls"])
        target["notes"] = list(target.get("notes") or []) + [
            n for n in entry.get("notes") or [] if n not in (target.get("notes") or [])]
        self.store.put("buffer", into, target)
        self.store.delete("buffer", rid)
        at = now_iso()
        for url in entry["urls"]:
            self.store.put("url", url, {"kind": "buffered", "record_id": into, "seen_at": at})

    def note_on_page(self, page_url: str, note: dict) -> bool:
        """Add `note` to the held report whose document is `page_url` (an attachment of that page
        failed: crawler/dedup/pipeline.py); False when no report is held for the page."""
        known = self.store.get("url", page_url)
        entry = self.store.get("buffer", known["record_id"]) if known and known.get("record_id") else None
        if entry is None:
            return False
        if note not in (entry.get("notes") or []):
            entry["notes"] = list(entry.get("notes") or []) + [note]
            self.store.put("buffer", known["record_id"], entry)
        return True

    def _other_report(self, url: str, rid: str) -> bool:
        """The page an attachment was found on is another report's document: it stays that report's."""
        known = self.store.get("url", url)
        return bool(known and known.get("record_id") and known["record_id"] != rid)

    def defer(self, record: dict, urls: list[str]) -> None:
        """Keep a document that names nothing of its own until the others are held (namespace
        ``deferred``, durable like the buffer)."""
        self.store.put("deferred", record.get("document_url") or urls[0], {"record": record, "urls": urls})

    def take_deferred(self):
        """The deferred documents (record, urls), each removed from the store as it is taken."""
        for key, _ in list(self.store.items("deferred")):
            entry = self.store.get("deferred", key)
            self.store.delete("deferred", key)
            yield entry["record"], entry["urls"]

    def count(self) -> int:
        return self.store.count("buffer") + self.store.count("deferred")
