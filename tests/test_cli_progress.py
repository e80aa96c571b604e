"""What the run prints (issue 11): the progress line, the run summary by portal name with totals that add
up, and the alerts (unreachable, failed share). Pure functions on stats, plus one real crawl of the demo."""
import json
import subprocess
import sys
from pathlib import Path

from crawler.extensions import _width, format_summary, summarise
from crawler.progress import Progress

REPO = Path(__file__).resolve().parents[1]
A, B, C = "http://a.gov.cn/", "http://b.gov.cn/", "http://c.gov.cn/"


def stats():
    return {
        f"govreports/portal/{A}/pages_fetched": 30, f"govreports/portal/{A}/records/complete": 4,
        f"govreports/portal/{A}/records/failed": 4, f"govreports/portal/{A}/exported": 4,
        f"govreports/portal/{B}/pages_fetched": 0, f"govreports/portal/{B}/unreachable": 2,
        f"govreports/portal/{B}/unreachable_detail": "ConnectionRefusedError: Connection was refused",
        f"govreports/portal/{C}/pages_fetched": 9, f"govreports/portal/{C}/records/partial": 3,
        f"govreports/portal/{C}/records/not_a_report": 1, f"govreports/portal/{C}/exported": 3,
        f"govreports/portal/{C}/unreachable": 1,
        "govreports/records/complete": 4, "govreports/records/partial": 3, "govreports/records/failed": 4,
        "govreports/records/not_a_report": 1,
    }


NAMES = {A: "甲县人民政府", B: "乙县人民政府", C: None}


def test_unreachable_portal_is_named_as_such_not_no_report():
    s = summarise(stats(), {}, names=NAMES)
    assert s["portals"][B]["alerts"] == ["unreachable (ConnectionRefusedError: Connection was refused)"]
    assert "乙县人民政府: unreachable (ConnectionRefusedError: Connection was refused)" in s["alerts"]
    # one request of C did not connect but its pages came: counted, not a portal alert
    assert s["portals"][C]["unreachable"] == 1 and s["portals"][C]["alerts"] == []
    assert s["totals"]["unreachable"] == 3 and s["totals"]["portals_unreachable"] == 1


def test_half_the_candidates_failed_is_an_alert():
    s = summarise(stats(), {}, names=NAMES)
    assert s["portals"][A]["alerts"] == ["4 of 8 report candidate(s) failed"]
    s = summarise(stats(), {}, names=NAMES, failed_ratio=0.6)
    assert s["portals"][A]["alerts"] == []


def test_totals_add_up_and_portals_have_names():
    s = summarise(stats(), {}, names=NAMES)
    t = s["totals"]
    assert t["documents"] == 12 == t["report_documents"] + t["rejects"]
    assert (t["report_documents"], t["rejects"]) == (7, 5)
    assert s["portals"][A]["name"] == "甲县人民政府" and s["portals"][C]["name"] == C  # no name: the URL
    text = format_summary({**s, "finish_reason": "finished"})
    assert "12 document(s) = 7 report(s) (complete 4, inconsistent 0, partial 3) + 5 reject(s) " \
           "(not_a_report 1, failed 4)" in text
    rows = text.splitlines()[1:]
    assert rows[0].split() == ["portal", "pages", "reports", "rejects", "failed", "exported", "unreach", "http",
                               "blocked", "alerts"]
    assert rows[1].split()[:9] == ["甲县人民政府", "30", "4", "4", "4", "4", "0", "0", "0"]
    assert rows[2].split()[:9] == ["乙县人民政府", "0", "0", "0", "0", "0", "2", "0", "0"]
    assert rows[2].endswith("<-- unreachable (ConnectionRefusedError: Connection was refused)")
    # columns line up on a terminal although names are CJK (two columns per character)
    assert _width(rows[0][:rows[0].index("pages") + 5]) == _width(rows[1][:rows[1].index(" 30 ") + 3])


class _Stats:
    def __init__(self, d):
        self.d = d

    def get_stats(self):
        return self.d


class _Crawler:
    def __init__(self, d):
        self.stats = _Stats(d)
        self.engine = None


def test_progress_line_counts_portals_done_and_candidates_by_status():
    p = Progress(_Crawler(stats()), 60)
    p.pending.update({A: 2, B: 0, C: 0})  # two requests of A still queued
    assert p.line() == ("Progress: portals 2/3 done, 1 active; pages 39; report documents 7 (complete 4, "
                        "inconsistent 0, partial 3); rejects 5 (not_a_report 1, failed 4); unreachable 3, blocked 0")


def test_demo_crawl_prints_a_final_progress_line_that_matches_the_summary(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports",
                           "-s", f"GOVREPORTS_OUTPUT_DIR={tmp_path / 'out'}",
                           "-s", f"GOVREPORTS_STATE_DIR={tmp_path / 'state'}"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (summary_file,) = (tmp_path / "out").glob("run-summary-*.json")
    summary = json.loads(summary_file.read_text("utf-8"))
    t = summary["totals"]
    final = [ln for ln in proc.stderr.splitlines() if "Progress (final):" in ln]
    assert len(final) == 1
    by = t["documents_by_status"]
    assert (f"portals {t['portals']}/{t['portals']} done, 0 active; pages {t['pages_fetched']}; report documents "
            f"{t['report_documents']} (complete {by['complete']}, inconsistent {by['inconsistent']}, partial "
            f"{by['partial']}); rejects {t['rejects']}") in final[0]
    # the summary table names every portal of samples/portals/portals.csv
    header = (REPO / "samples" / "portals" / "portals.csv").read_text("utf-8").splitlines()[0].split(",")
    col = header.index("name")
    names = [ln.split(",")[col] for ln in (REPO / "samples" / "portals" / "portals.csv").read_text("utf-8").splitlines()[1:]]
    assert sorted(p["name"] for p in summary["portals"].values()) == sorted(names)
    for name in names:
        assert f"  {name} " in proc.stderr
    # real attachments are parsed in the demo; the corrupt DOCX says so
    rejects = [json.loads(ln) for f in (tmp_path / "out").glob("rejects-*.jsonl") for ln in f.read_text("utf-8").splitlines()]
    reports = [json.loads(ln) for f in (tmp_path / "out").glob("reports-*.jsonl") for ln in f.read_text("utf-8").splitlines()]
    assert {r["document_type"] for r in reports} >= {"html", "pdf", "docx"}
    docx_codes = sorted(p["code"] for r in rejects if r["document_url"].endswith(".docx") for p in r["problems"])
    assert docx_codes == ["corrupt_file", "truncated_file"]  # tests/farm: the county office's and a cut-off DOCX
