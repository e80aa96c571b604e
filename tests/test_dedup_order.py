"""Which copy of a report is kept must not depend on arrival order: parse children finish in any
order, and a crawl, its offline re-parse and next week's run must export the same copy."""
from __future__ import annotations

import copy
import itertools

from crawler.dedup.held import merge


def _record(url: str, document_url: str, status: str = "complete", found_on: str = "") -> dict:
    return {"record_id": "r1", "url": url, "document_url": document_url, "status": status,
            "title": "某某镇2023年政府信息公开工作年度报告", "organ": "某某县某某镇人民政府",
            "report_year": 2023, "table2": {"rows": {"rules": {"made": 1}}},
            "table3": {"rows": {"new_received": {"total": 2}}}, "table4": {"rows": {"review": {"total": 0}}},
            "found_on": found_on}


COPIES = [
    _record("http://a.gov.cn/xxgk/ndbg/t1.html", "http://a.gov.cn/xxgk/ndbg/t1.html", found_on="county"),
    _record("http://a.gov.cn/xxgk/ndbg/t1.html", "http://a.gov.cn/xxgk/ndbg/P01.docx", found_on="county"),
    _record("http://a.gov.cn/towns/x/t9.html", "http://a.gov.cn/towns/x/t9.html", found_on="town"),
]


def _kept(order) -> dict:
    first, *rest = [copy.deepcopy(COPIES[i]) for i in order]
    entry = {"record": first, "urls": [first["document_url"]], "notes": []}
    for rec in rest:
        merge(entry, rec)
    return entry


def test_equal_copies_keep_the_same_one_in_every_arrival_order():
    kept = {(e["record"]["document_url"], e["record"]["found_on"], tuple(e["urls"]))
            for e in map(_kept, itertools.permutations(range(len(COPIES))))}
    # one answer for all 6 orders: a page read itself (not the attachment), the first such URL
    assert kept == {("http://a.gov.cn/towns/x/t9.html", "town",
                     ("http://a.gov.cn/towns/x/t9.html", "http://a.gov.cn/xxgk/ndbg/P01.docx",
                      "http://a.gov.cn/xxgk/ndbg/t1.html"))}


def test_a_better_copy_still_wins_whatever_its_url():
    worse = _record("http://a.gov.cn/a.html", "http://a.gov.cn/a.html", status="partial")
    worse["table4"] = None
    for first, second in ((worse, COPIES[1]), (COPIES[1], worse)):
        entry = {"record": copy.deepcopy(first), "urls": [], "notes": []}
        merge(entry, copy.deepcopy(second))
        assert entry["record"]["document_url"] == "http://a.gov.cn/xxgk/ndbg/P01.docx"


# ---------------------------------------------------------------------- pending writes past memory
class _Store:
    def __init__(self):
        self.data, self.log, self.commits = {}, [], 0

    def put(self, ns, key, value):
        self.data[(ns, key)] = value
        self.log.append(("put", ns, key))

    def delete(self, ns, key):
        self.data.pop((ns, key), None)
        self.log.append(("del", ns, key))

    def commit(self):
        self.commits += 1


def test_pending_writes_past_the_memory_limit_go_to_a_file_and_come_back_in_order():
    from crawler.dedup.pending import PendingWrites
    pending = PendingWrites()
    n = 3 * PendingWrites.IN_MEMORY + 7
    for i in range(n):
        pending.put("exported", f"r{i}", {"values": {"cell": i}})
        if i % 3 == 0:
            pending.delete("buffer", f"r{i}")
    assert len(pending.ops) < PendingWrites.IN_MEMORY and pending._spill is not None  # spilled, not held
    want = len(pending)
    store = _Store()
    assert pending.apply(store, {}) is True
    assert len(store.log) == want and store.commits == 1
    assert store.data[("exported", f"r{n - 1}")] == {"values": {"cell": n - 1}}
    order = [k for op, ns, k in store.log if ns == "exported"]
    assert order == [f"r{i}" for i in range(n)]
    assert len(pending) == 0 and pending._spill is None


def test_pending_writes_are_dropped_when_a_feed_failed():
    from crawler.dedup.pending import PendingWrites
    pending = PendingWrites()
    for i in range(2 * PendingWrites.IN_MEMORY):
        pending.put("exported", f"r{i}", {"i": i})
    spill = pending._spill
    store = _Store()
    assert pending.apply(store, {"feedexport/failed_count/FileFeedStorage": 1}) is False
    assert store.log == [] and store.commits == 0 and spill.closed and len(pending) == 0


# ---------------------------------------------------------------------- binding in parse-entry order
def test_records_are_released_in_entry_order_whatever_order_parsing_ends():
    from crawler.dedup.arrival import ArrivalOrder
    order = ArrivalOrder(cap=10)
    recs = {i: {"n": i} for i in range(6)}
    assert order.add(2, recs[2]) == [] and order.add(1, None) == []       # 0 is still parsing
    assert [r["n"] for r in order.add(0, recs[0])] == [0, 2]             # 1 was a reject: passed through
    assert order.add(5, recs[5]) == [] and [r["n"] for r in order.add(3, recs[3])] == [3]
    assert [r["n"] for r in order.add(4, recs[4])] == [4, 5]
    assert len(order) == 0 and order.drain() == []


def test_a_slow_document_does_not_hold_more_than_cap_records():
    from crawler.dedup.arrival import ArrivalOrder
    order = ArrivalOrder(cap=3)
    released = []
    for i in range(1, 8):      # entry 0 (a slow PDF) has not finished
        released += [r["n"] for r in order.add(i, {"n": i})]
        assert len(order) <= 3
        if i <= 3:
            assert released == []              # waiting for entry 0
    assert released == [1, 2, 3, 4, 5, 6, 7]   # past the cap the gap is given up, in order
    assert order.drain() == []
    assert [r["n"] for r in order.add(0, {"n": 0})] == [0]   # late: bound at once, never lost


def test_without_a_cap_records_bind_as_they_come():
    from crawler.dedup.arrival import ArrivalOrder
    order = ArrivalOrder(cap=0)
    assert [r["n"] for r in order.add(3, {"n": 3})] == [3] and order.add(None, None) == []
