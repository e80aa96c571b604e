"""Reports bound in the order their documents entered the parse pool, not the order parsing ended.

Several parse children finish in any order (a page may take longer than its DOCX). Which copy of
a report names its record id and which copy is kept (on equal quality) must not depend on that:
the same crawl, its offline re-parse (crawler/reparse.py, archive order = parse-entry order) and a
scrapyd job of it must export the same rows. `ParsePipeline` stamps each record with its entry
number (`ARRIVAL`); `ArrivalOrder` releases records to the binder in that order. A record whose
predecessors are still being parsed waits here, so at most `cap` records wait: past that (a slow
PDF holding everything behind it) the oldest waiting one is released without waiting further.
"""
from __future__ import annotations

ARRIVAL = "_parse_entry"   # a private record field: popped by the dedup pipeline, never exported


class ArrivalOrder:
    def __init__(self, cap: int = 256):
        self.cap = cap
        self.next = 0
        self.waiting: dict[int, dict | None] = {}   # entry number → record (None: passed through)

    def __len__(self) -> int:
        return sum(1 for r in self.waiting.values() if r is not None)

    def add(self, seq: int | None, record: dict | None) -> list[dict]:
        """Records ready to bind, in entry order. `record` None: the entry passed through (a
        reject) and only releases the ones after it."""
        if seq is None or seq < self.next or self.cap <= 0:
            return [record] if record is not None else []
        self.waiting[seq] = record
        return self._release()

    def _release(self) -> list[dict]:
        out = []
        while True:
            while self.next in self.waiting:
                record = self.waiting.pop(self.next)
                self.next += 1
                if record is not None:
                    out.append(record)
            if len(self.waiting) <= self.cap:
                return out
            self.next = min(self.waiting)   # stop waiting for the gap: bounded memory first

    def drain(self) -> list[dict]:
        """Everything still waiting, in entry order (the spider closes)."""
        out = [r for _, r in sorted(self.waiting.items()) if r is not None]
        self.waiting.clear()
        return out
