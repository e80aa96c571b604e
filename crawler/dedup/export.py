"""Which merged reports go to the feeds: new or changed since the last export (all with a full export).

Namespace ``exported``: record id → {data_hash, content_sha1, sha256, values, quality, urls,
exported_at}; ``values`` are what an analyst reads (metadata and every table cell), so a report
that comes back with other content is exported as ``edited`` with ``previous_sha256`` (the
digest of the bytes last exported, from the evidence) and ``changed_fields`` (old → new).
``changed``: the same document read differently (a better copy, a parser upgrade).
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
        for rid, (portal, organ, year) in self.store.fields(
                "buffer", ("record", "portal"), ("record", "organ"), ("record", "report_year")):
            order.append((str(portal or ""), str(organ or ""), year or 0, rid))
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
            values = analyst_values(rec)
            if change == "changed" and prev.get("content_sha1") and prev["content_sha1"] != rec.get("content_sha1"):
                change = "edited"  # the document itself says something else now
                rec["previous_sha256"] = prev.get("sha256")
                rec["changed_fields"] = changed_fields(prev.get("values"), values)
            rec["change"] = change
            pending.put("exported", rid, {"data_hash": dh, "content_sha1": rec.get("content_sha1"),
                                          "sha256": parsed_sha256(rec), "values": values,
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


_VALUE_FIELDS = ("status", "title", "report_year", "organ", "index_no", "publisher", "written_date",
                 "published_date")


def analyst_values(rec: dict) -> dict:
    """{field path: value} of the metadata and every table cell (paths as in changed_fields)."""
    out = {f: rec.get(f) for f in _VALUE_FIELDS}
    for t in ("table2", "table3", "table4"):
        for row, cols in (((rec.get(t) or {}).get("rows")) or {}).items():
            for col, v in (cols or {}).items():
                out[f"{t}.rows.{row}.{col}"] = v
    return out


def changed_fields(old: dict | None, new: dict) -> list[dict] | None:
    """[{field, old, new}] for every value that differs; None when the last export kept no values."""
    if old is None:
        return None
    return [{"field": k, "old": old.get(k), "new": new.get(k)}
            for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]


def parsed_sha256(rec: dict) -> str | None:
    """SHA-256 of the bytes the record was parsed from (its evidence), when the archive is on."""
    evidence = rec.get("evidence") or {}
    return ((evidence.get("document") or evidence.get("page")) or {}).get("sha256")


def withdrawn_record(store, pending: PendingWrites, rid: str, reject: dict) -> dict | None:
    """The last exported values of report `rid`, as a record with ``change = withdrawn``: its page
    is gone (404/410, soft 404) and no copy of it came this run. None when already withdrawn or
    when the last export kept no values."""
    prev = store.get("exported", rid)
    if not prev or prev.get("withdrawn_at") or not prev.get("values"):
        return None
    values = prev["values"]
    rec = {f: values.get(f) for f in _VALUE_FIELDS}
    for path, v in values.items():
        if path.startswith("table"):
            table, _rows, row, col = path.split(".", 3)
            rec.setdefault(table, {"rows": {}})["rows"].setdefault(row, {})[col] = v
    why = "; ".join(f"{p.get('code')}: {p.get('detail') or ''}".strip() for p in reject.get("problems") or [])
    rec.update(record_id=rid, change="withdrawn", url=reject.get("url"), document_url=reject.get("document_url"),
               portal=reject.get("portal"), fetched_at=reject.get("fetched_at"), http_status=reject.get("http_status"),
               previous_sha256=prev.get("sha256"), also_at=[u for u in prev.get("urls") or []
                                                          if u not in (reject.get("url"), reject.get("document_url"))],
               problems=[{"code": "withdrawn", "severity": "warning",
                          "detail": f"gone since it was exported on {prev.get('exported_at')} ({why})"[:300]}],
               checks=[])
    pending.put("exported", rid, {**prev, "withdrawn_at": now_iso()})
    return rec
