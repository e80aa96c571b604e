"""End to end over the bundled sample farm (samples/portals, served on 127.0.0.1 by the spider):
the README's main job, `scrapy crawl reports`, through the pipelines into the feeds, checked
against the farm's answer key (samples/portals/_answer.json).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crawler import schema
from tests.test_feeds_e2e import check_record, crawl, csv_rows, jsonl, runs

REPO = Path(__file__).resolve().parents[1]
ANSWER = json.loads((REPO / "samples" / "portals" / "_answer.json").read_text("utf-8"))


def path(url: str) -> str:
    """Origin-free form: the farm serves on ephemeral ports ({{ORIGIN}}, {{ORIGIN1}})."""
    return re.sub(r"^(?:\{\{ORIGIN\d*\}\}|https?://[^/]+)", "", url)


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    work = tmp_path_factory.mktemp("farm")
    crawl(None, work)
    crawl(None, work)  # a second scheduled run with the same state
    first, second = runs(work / "out")
    return {"first": first, "second": second}


def test_csv_and_jsonl_shapes(farm):
    raw, header, rows = csv_rows(farm["first"]["csv"])
    assert raw.startswith(b"\xef\xbb\xbf") and header == list(schema.FIELDS)
    records = jsonl(farm["first"]["jsonl"])
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in records]
    assert len({r["record_id"] for r in records}) == len(records) > 0
    for rec in records + jsonl(farm["first"]["rejects"]):
        check_record(rec)


def test_every_report_of_the_answer_key_is_a_row_or_a_reject_exactly_once(farm):
    rows = jsonl(farm["first"]["jsonl"])
    rejects = jsonl(farm["first"]["rejects"])
    seen = [path(u) for r in rows for u in [r["document_url"], *r["also_at"]]]
    seen += [path(r["document_url"]) for r in rejects]
    assert len(seen) == len(set(seen)), "a document URL is in two places"
    missing = [u for u in ANSWER["reports"] if path(u) not in set(seen)]
    assert missing == []


def test_decoys_are_never_report_rows(farm):
    rows = jsonl(farm["first"]["jsonl"])
    in_rows = {path(u) for r in rows for u in [r["document_url"], r["url"], *r["also_at"]]}
    assert not in_rows & {path(u) for u in ANSWER["decoys"]}


def test_problem_pages_are_rejects_with_their_code(farm):
    rejects = {path(r["document_url"]): r for r in jsonl(farm["first"]["rejects"])}
    for code, urls in ANSWER["problems"].items():
        for u in urls:
            rec = rejects.get(path(u))
            assert rec is not None, (code, u)
            assert rec["status"] == "failed" and rec["problems"][0]["code"] == code, (code, rec["problems"])


def test_summary_covers_every_portal(farm):
    summary = json.loads(farm["first"]["summary"].read_text("utf-8"))
    assert {path(p) for p in summary["portals"]} == {path(p) for p in ANSWER["portals"]}
    t = summary["totals"]
    assert t["reports_exported"]["new"] == len(jsonl(farm["first"]["jsonl"]))
    # the spider counts every blocked/soft-404 page, list pages included
    assert t["blocked"] >= len(ANSWER["problems"].get("blocked", []))
    assert t["soft_404"] >= len(ANSWER["problems"].get("soft_404", []))
    assert t["rejects"] == len(jsonl(farm["first"]["rejects"]))


def test_second_run_exports_nothing(farm):
    assert jsonl(farm["second"]["jsonl"]) == []
    _, header, rows = csv_rows(farm["second"]["csv"])
    assert rows == [] and header == list(schema.FIELDS)
    summary = json.loads(farm["second"]["summary"].read_text("utf-8"))
    assert summary["totals"]["reports_unchanged"] == len(jsonl(farm["first"]["jsonl"]))
