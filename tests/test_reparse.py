"""Offline re-parse (crawler/reparse.py): a real crawl of the fixture portal over HTTP on 127.0.0.1
archives what it fetched; with the portal gone, `python -m crawler.reparse` rebuilds the same feeds
from the archive alone (same record_ids, same rows byte for byte), with 1 and 2 parse processes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.warc import DOCUMENT_META_TYPE

from tests.fixtures.pipeline_site.site import EXPECTED_REPORTS, Site, build_site
from tests.test_feeds_e2e import REPO, crawl, csv_rows, jsonl, runs


def reparse(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.reparse", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    work = tmp_path_factory.mktemp("reparse")
    with Site(build_site(work / "site")) as site:
        crawl(site.url, work)
    # the portal is gone (server stopped) before any re-parse runs
    (run,) = runs(work / "out")
    return {"work": work, "run": run}


@pytest.mark.parametrize("workers", [1, 2])
def test_reparse_rebuilds_the_same_feeds_from_the_archive_alone(crawled, tmp_path, workers):
    res = reparse(crawled["work"] / "out" / "archive", "-o", tmp_path / "out", "--workers", workers)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "Crawled (" not in res.stderr  # nothing was downloaded
    (again,) = runs(tmp_path / "out")
    raw_before, header, before = csv_rows(crawled["run"]["csv"])
    raw_after, _, after = csv_rows(again["csv"])
    assert [r["record_id"] for r in after] == [r["record_id"] for r in before] and len(before) == EXPECTED_REPORTS
    assert raw_after == raw_before  # fetched_at is the archived one, parser_version the same parser
    old, new = jsonl(crawled["run"]["jsonl"]), jsonl(again["jsonl"])
    assert [r["evidence"] for r in new] == [r["evidence"] for r in old]
    assert [(r["url"], r["status"], r["problems"]) for r in jsonl(again["rejects"])] == \
        [(r["url"], r["status"], r["problems"]) for r in jsonl(crawled["run"]["rejects"])]


def test_since_selects_documents_by_fetch_time(crawled, tmp_path):
    res = reparse(crawled["work"] / "out" / "archive", "-o", tmp_path / "out", "--since", "2999-01-01")
    assert res.returncode == 1 and "no document records" in res.stderr


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    res = reparse(tmp_path / "missing", "-o", tmp_path / "out")
    assert res.returncode == 2 and res.stderr.strip() == f"error: no WARC files in {tmp_path / 'missing'}"


def test_an_archive_of_two_runs_is_reparsed_as_one_feed(tmp_path):
    """Run 2 (incremental) fetches only the report the portal republished; the archive holds both
    runs; the re-parse merges every archived document once: the ids of both runs' exports, every
    URL either run fetched, in one feed."""
    root = build_site(tmp_path / "site")
    with Site(root) as site:
        crawl(site.url, tmp_path)
        build_site(root, "changed")  # the portal republishes 得石镇's report, corrected, at a new URL
        crawl(site.url, tmp_path)
    first, second = runs(tmp_path / "out")
    assert len(list((tmp_path / "out" / "archive").glob("*.warc.gz"))) == 2
    res = reparse(tmp_path / "out" / "archive", "-o", tmp_path / "re", "--workers", 2)
    assert res.returncode == 0, res.stderr[-3000:]
    (again,) = runs(tmp_path / "re")
    exported = jsonl(first["jsonl"]) + jsonl(second["jsonl"])
    merged = jsonl(again["jsonl"])
    assert sorted(r["record_id"] for r in merged) == sorted({r["record_id"] for r in exported})
    seen = {u for r in merged for u in [r["document_url"], *r["also_at"]]}
    for r in exported:
        assert r["document_url"] in seen
    rejected = {r["document_url"] for r in jsonl(first["rejects"]) + jsonl(second["rejects"])}
    assert {r["document_url"] for r in jsonl(again["rejects"])} == rejected


def test_a_truncated_archive_is_named_and_what_it_holds_is_reparsed(crawled, tmp_path):
    (src,) = (crawled["work"] / "out" / "archive").glob("*.warc.gz")
    cut = tmp_path / "archive" / src.name
    cut.parent.mkdir()
    with open(src, "rb") as f:  # where the last document record starts
        records = ArchiveIterator(f)
        last, lost = [(records.get_record_offset(), rec.rec_headers.get_header("WARC-Target-URI")) for rec in records
                      if rec.rec_headers.get_header("Content-Type") == DOCUMENT_META_TYPE][-1]
    cut.write_bytes(src.read_bytes()[:last + 40])  # the crawl was killed while writing that record
    res = reparse(cut.parent, "-o", tmp_path / "out", "--workers", 1)
    assert res.returncode == 0, res.stderr[-3000:]
    assert f"warning: {cut} is truncated" in res.stderr
    (again,) = runs(tmp_path / "out")

    def urls(run):
        return {u for r in jsonl(run["jsonl"]) + jsonl(run["rejects"]) for u in [r["document_url"], *r.get("also_at", [])]}
    assert lost in urls(crawled["run"])
    assert urls(again) == urls(crawled["run"]) - {lost}  # the cut document is gone; nothing else


def test_compare_names_the_cells_a_reparse_changed(crawled, tmp_path):
    """--compare FEED: the same parser changes nothing; against a feed whose cell differs (as an
    older parser's would), that record is `changed` with the cell's old and new value."""
    old = jsonl(crawled["run"]["jsonl"])
    target, row, col = next((r, row, col) for r in old for row, cells in ((r["table3"] or {}).get("rows") or {}).items()
                            for col, v in cells.items() if v is not None)
    right = target["table3"]["rows"][row][col]
    target["table3"]["rows"][row][col] = right + 1
    edited = tmp_path / "older.jsonl"
    edited.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in old), "utf-8")

    same = reparse(crawled["work"] / "out" / "archive", "-o", tmp_path / "same", "--workers", 1,
                   "--compare", crawled["run"]["jsonl"])
    assert same.returncode == 0, same.stderr[-3000:]
    (run,) = runs(tmp_path / "same")
    changes = jsonl(tmp_path / "same" / f"reparse-changes-{run['time']}.jsonl")
    assert sorted(c["record_id"] for c in changes) == sorted(r["record_id"] for r in old)
    assert {c["change"] for c in changes} == {"unchanged"}

    res = reparse(crawled["work"] / "out" / "archive", "-o", tmp_path / "edited", "--workers", 1, "--compare", edited)
    assert res.returncode == 0, res.stderr[-3000:]
    (run,) = runs(tmp_path / "edited")
    changes = {c["record_id"]: c for c in jsonl(tmp_path / "edited" / f"reparse-changes-{run['time']}.jsonl")}
    assert changes[target["record_id"]]["change"] == "changed"
    assert changes[target["record_id"]]["changed_fields"] == [
        {"field": f"t3_{row}__{col}", "old": right + 1, "new": right}]
    assert all(c["change"] == "unchanged" for rid, c in changes.items() if rid != target["record_id"])
    assert "1 changed" in res.stderr


@pytest.mark.parametrize("into", [10, 40, 0.5, -5])
def test_a_cut_anywhere_in_the_last_record_loses_that_record_only(crawled, tmp_path, into):
    """warcio either stops before a record the file ends inside or hands back its first part as if
    whole, depending on where the cut falls: neither may cost the complete record before it."""
    from crawler.archive.warc import cut_at
    from crawler.reparse import scan
    (src,) = (crawled["work"] / "out" / "archive").glob("*.warc.gz")
    data = src.read_bytes()
    with open(src, "rb") as f:
        records = ArchiveIterator(f)
        docs = [(records.get_record_offset(), records.get_record_length(), rec.rec_headers.get_header("WARC-Target-URI"))
                for rec in records if rec.rec_headers.get_header("Content-Type") == DOCUMENT_META_TYPE]
    (last, length, lost), whole = docs[-1], {u for _, _, u in docs[:-1]}
    at = last + (int(length * into) if isinstance(into, float) else into if into > 0 else length + into)
    cut = tmp_path / src.name
    cut.write_bytes(data[:at])
    assert cut_at(cut) == last and cut_at(src) is None
    got = {d.fields.get("document_url") or d.fields.get("url") for d in scan(tmp_path)}
    assert got == whole and lost not in got
    assert all(d.payload_at is not None for d in scan(tmp_path))   # every kept document has its bytes
