"""Deduplication over the state store, as plain objects (no Scrapy), one job each:

- `IdentityBinder` (binding.py): which record id a report gets — its own, or that of a held or
  exported report it may merge with (identity keys + the conflict rule of crawler/identity.py);
- `HeldReports` (held.py): the merge buffer — the best-parsed copy wins, the other URLs are kept;
- `ExportSelector` (export.py): which merged reports are new or changed since the last export;
- `PendingWrites` (pending.py): state updates applied only after every feed is stored; plus the
  bookkeeping of rejects (`RejectLog`).

`DedupPipeline` (pipeline.py) is the thin Scrapy-facing part: it wires these to the item flow and
the signals, and exposes the hooks a subclass overrides (`hold_reason`, `begin_export`, `end_export`).
"""
from crawler.dedup.binding import Binding, IdentityBinder
from crawler.dedup.export import ExportSelector
from crawler.dedup.held import HeldReports, merge
from crawler.dedup.pending import PendingWrites, RejectLog

__all__ = ["Binding", "ExportSelector", "HeldReports", "IdentityBinder", "PendingWrites", "RejectLog", "merge"]
