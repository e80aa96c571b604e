"""The merge buffer: reports held until the export, one entry per record id (namespace ``buffer``).

An entry is ``{"record": best copy so far, "urls": every URL of every copy, "notes": problems
explaining why other reports were kept apart}``. Held entries are durable once the store commits,
so an interrupted run's reports are exported by the next one.
"""
from __future__ import annotations

from datetime import datetime, timezone

from crawler.identity import quality

# Metadata a better-parsed copy lacks is taken from the other copies.
_FILLABLE = ("title", "report_year", "organ", "organ_level", "index_no", "publisher",
             "written_date", "published_date")


def now_iso() -> str:
    return datetime.now(tz=timezone.utc).replace(microsecond=0).isoformat()


def record_urls(record: dict) -> list[str]:
    return [u for u in (record.get("document_url"), record.get("url")) if u]


def merge(entry: dict, record: dict, urls: list[str] | None = None) -> bool:
    """Merge `record` (found at `urls`, by default its own) into a buffer entry; True when the new
    record became the kept one."""
    kept = entry["record"]
    better = quality(record) > quality(kept)
    winner, loser = (record, kept) if better else (kept, record)
    for f in _FILLABLE:
        if winner.get(f) in (None, "") and loser.get(f) not in (None, ""):
            winner[f] = loser[f]
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

    def _other_report(self, url: str, rid: str) -> bool:
        """The page an attachment was found on is another report's document: it stays that report's."""
        known = self.store.get("url", url)
        return bool(known and known.get("record_id") and known["record_id"] != rid)

    def count(self) -> int:
        return self.store.count("buffer")
