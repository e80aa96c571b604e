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
