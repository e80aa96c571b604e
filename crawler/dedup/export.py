"""Which merged reports go to the feeds: new or changed since the last export (all with a full export).

Namespace ``exported``: record id → {data_hash, content_sha1, quality, urls, exported_at}.
"""
from __future__ import annotations

from crawler.dedup.held import now_iso
from crawler.dedup.pending import PendingWrites
from crawler.identity import data_hash, quality


class ExportSelector:
    def __init__(self, store, stats, full: bool = False):
        self.store = store
        self.stats = stats
        self.full = full

    def select(self, pending: PendingWrites):
        """Yield the merged reports to export in a stable order (portal, organ, year), one at a
        time (the buffer may be large). The state updates (exported, URLs known, buffer emptied)
        go to `pending`, applied once every feed is stored."""
        order = []
        for rid, entry in self.store.items("buffer"):
            r = entry["record"]
            order.append((str(r.get("portal") or ""), str(r.get("organ") or ""), r.get("report_year") or 0, rid))
        order.sort()
        at = now_iso()
        for *_, rid in order:
            entry = self.store.get("buffer", rid)
            rec = entry["record"]
            rec["also_at"] = [u for u in entry["urls"] if u not in (rec.get("document_url"), rec.get("url"))]
            notes = [n for n in entry.get("notes") or [] if n not in (rec.get("problems") or [])]
            if notes:
                rec["problems"] = list(rec.get("problems") or []) + notes
            dh = data_hash(rec)
            prev = self.store.get("exported", rid)
            change = self.change(prev, rec, dh)
            urls = sorted(set(entry["urls"]) | set((prev or {}).get("urls", [])))
            for url in urls:
                pending.put("url", url, {"kind": "report", "record_id": rid, "seen_at": at})
            pending.delete("buffer", rid)
            if change is None:
                self.stats.inc_value("govreports/incremental/unchanged")
                pending.put("exported", rid, {**prev, "urls": urls})
                continue
            rec["change"] = change
            pending.put("exported", rid, {"data_hash": dh, "content_sha1": rec.get("content_sha1"),
                                          "quality": list(quality(rec)), "urls": urls, "exported_at": at})
            self.stats.inc_value(f"govreports/exported/{change}")
            if rec.get("portal"):
                self.stats.inc_value(f"govreports/portal/{rec['portal']}/exported")
            yield rec

    def change(self, prev: dict | None, rec: dict, dh: str) -> str | None:
        if prev is None:
            return "new"
        # Different data counts as a change unless this copy was read less fully (fewer tables or
        # cells: a scan, a truncated PDF); its status may be worse (a correction that breaks a sum).
        if dh != prev.get("data_hash") and list(quality(rec))[1:3] >= list(prev.get("quality") or [])[1:3]:
            return "changed"
        return "full" if self.full else None
