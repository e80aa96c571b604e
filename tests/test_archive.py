"""Evidence (crawler/archive): a real crawl of the fixture portal over HTTP on 127.0.0.1 writes WARC
files that warcio reads back; every record's evidence names a stored payload whose sha256 is the one
recorded; `python -m crawler.archive verify` passes on the archive and catches a tampered one."""
from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.warc import evidence_refs
from crawler.parsing import parse_document
from tests.fixtures.pipeline_site.site import EXPECTED_REPORTS, Site, build_site
from tests.test_feeds_e2e import REPO, crawl, jsonl, runs


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    work = tmp_path_factory.mktemp("archive")
    with Site(build_site(work / "site")) as site:
        crawl(site.url, work)
    (run,) = runs(work / "out")
    records = jsonl(run["jsonl"]) + jsonl(run["rejects"])
    return {"work": work, "run": run, "records": records, "archive": work / "out" / "archive"}


def stored_payloads(archive: Path) -> dict[tuple[str, str], tuple[str, bytes]]:
    """(file, record id) → (record type, payload), read with warcio alone."""
    out = {}
    for path in sorted(archive.glob("*.warc*")):
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f):
                out[(path.name, rec.rec_headers.get_header("WARC-Record-ID"))] = (rec.rec_type, rec.content_stream().read())
    return out


def verify(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.archive", "verify", *map(str, args)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


NOTHING = {"page": None, "document": None, "list": None}


def parsed_ref(evidence: dict) -> dict:
    """The reference of the bytes the record was parsed from: the attachment, else the page."""
    return evidence["document"] or evidence["page"]


def test_every_record_has_evidence_whose_digest_matches_the_archived_bytes(archived):
    payloads = stored_payloads(archived["archive"])
    assert archived["records"]
    for rec in archived["records"]:
        ev = rec["evidence"]
        assert set(ev) == {"page", "document", "list"}  # docs/record.md's shape
        assert (ev["document"] is None) == (rec["document_url"] == rec["url"]), rec["url"]
        assert parsed_ref(ev)["url"] == rec["document_url"]
        for _role, ref in evidence_refs(ev):
            rec_type, payload = payloads[(ref["warc"], ref["record_id"])]
            assert rec_type in ("response", "conversion", "resource")
            assert hashlib.sha256(payload).hexdigest() == ref["sha256"]
        if rec.get("found_on"):
            assert ev["list"] is not None, rec["url"]


def test_the_archived_document_is_the_bytes_the_record_was_parsed_from(archived):
    payloads = stored_payloads(archived["archive"])
    reports = jsonl(archived["run"]["jsonl"])
    assert len(reports) == EXPECTED_REPORTS
    for rec in reports:
        ev = parsed_ref(rec["evidence"])
        _type, payload = payloads[(ev["warc"], ev["record_id"])]
        again = parse_document(payload, rec["document_url"])
        assert again["content_sha1"] == rec["content_sha1"]
        assert (again["table2"], again["table3"], again["table4"]) == (rec["table2"], rec["table3"], rec["table4"])


def test_warcio_check_validates_every_digest(archived):
    files = sorted(map(str, archived["archive"].glob("*.warc.gz")))
    res = subprocess.run([sys.executable, "-c", "import sys; from warcio.cli import main; sys.exit(main())",
                          "check", "-v", *files], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert res.stdout.count("digest pass") > 0 and "digest fail" not in res.stdout


def test_responses_carry_request_records_and_the_request_meta(archived):
    kinds = {}
    for path in archived["archive"].glob("*.warc.gz"):
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f):
                kinds.setdefault(rec.rec_type, 0)
                kinds[rec.rec_type] += 1
                if rec.rec_type == "response":
                    digest = rec.rec_headers.get_header("WARC-Payload-Digest")
                    assert digest.startswith("sha256:")
    (portal,) = json.loads(archived["run"]["summary"].read_text("utf-8"))["portals"].values()
    assert kinds["response"] == kinds["request"] == portal["pages_fetched"]  # every page the spider read
    # one request-meta record per response, one document record per fetched document (the run
    # summary's report documents, before merging, + rejects)
    totals = json.loads(archived["run"]["summary"].read_text("utf-8"))["totals"]
    assert kinds["metadata"] == kinds["response"] + totals["report_documents"] + totals["rejects"]


def test_verify_passes_on_the_archive_and_names_each_tampered_payload(archived, tmp_path):
    feeds = [archived["run"]["jsonl"], archived["run"]["rejects"]]
    ok = verify(archived["archive"], *feeds)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # a parent directory holding several archives (distributed workers: output/<worker>/archive) works too
    assert verify(archived["work"], *feeds).returncode == 0

    # edit one byte of one report page's payload in an uncompressed copy of the archive
    target = parsed_ref(jsonl(archived["run"]["jsonl"])[0]["evidence"])
    _type, payload = stored_payloads(archived["archive"])[(target["warc"], target["record_id"])]
    raw = gzip.decompress((archived["archive"] / target["warc"]).read_bytes())
    window = payload[len(payload) // 2: len(payload) // 2 + 24]
    assert raw.count(window) == 1
    tampered = window[:-1] + bytes([window[-1] ^ 1])
    bad = tmp_path / "bad"
    bad.mkdir()
    for path in archived["archive"].glob("*.warc.gz"):
        if path.name != target["warc"]:
            (bad / path.name).write_bytes(path.read_bytes())
    (bad / target["warc"]).write_bytes(raw.replace(window, tampered))  # warcio reads it uncompressed
    res = verify(bad, *feeds)
    assert res.returncode == 1
    lines = res.stdout.splitlines()
    assert len(lines) == 1 and "digest mismatch" in lines[0] and target["url"] in lines[0]

    (bad / target["warc"]).unlink()
    (bad / "broken.warc.gz").write_bytes(gzip.compress(raw))  # one gzip member for the whole file
    cut = archived["archive"] / target["warc"]
    (bad / "killed.warc.gz").write_bytes(cut.read_bytes()[:-500])  # a crawl killed while writing
    missing = verify(bad, *feeds)
    n_refs = sum(len(evidence_refs(r["evidence"])) for feed in feeds for r in jsonl(feed))
    assert missing.returncode == (1 if n_refs else 0)
    lines = missing.stdout.splitlines()
    # one file holds this small run: all gone (the killed copy has another name), the unreadable
    # and the truncated file named
    assert len(lines) == n_refs + 2
    assert "broken.warc.gz: unreadable WARC file" in lines[0] and "killed.warc.gz: truncated WARC file" in lines[1]
    assert all("missing from the archive" in line for line in lines[2:])


def test_verify_accepts_no_evidence_only_where_nothing_was_received(archived, tmp_path):
    reject = dict(jsonl(archived["run"]["rejects"])[0], http_status=None, evidence=NOTHING)  # e.g. a timeout
    report = dict(jsonl(archived["run"]["jsonl"])[0], evidence=NOTHING)
    unarchived = {k: v for k, v in jsonl(archived["run"]["jsonl"])[1].items() if k != "evidence"}
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(reject, ensure_ascii=False) + "\n", "utf-8")
    assert verify(archived["archive"], feed).returncode == 0
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (reject, report, unarchived)) + "\n", "utf-8")
    res = verify(archived["archive"], feed)
    assert res.returncode == 1
    lines = res.stdout.splitlines()
    assert len(lines) == 2 and "no evidence for a fetched document" in lines[0] and "no evidence field" in lines[1]


def test_verify_bad_input_is_one_line_and_exit_2(tmp_path):
    res = verify(tmp_path / "nowhere", tmp_path / "feed.jsonl")
    assert res.returncode == 2 and res.stderr.strip().count("\n") == 0 and "no WARC files" in res.stderr


def test_archive_off_and_rotation(tmp_path):
    with Site(build_site(tmp_path / "site")) as site:
        crawl(site.url, tmp_path / "off", "-s", "GOVREPORTS_ARCHIVE=0")
        crawl(site.url, tmp_path / "small", "-s", "GOVREPORTS_ARCHIVE_MAX_MB=0.01")
    assert not (tmp_path / "off" / "out" / "archive").exists()
    (off,) = runs(tmp_path / "off" / "out")
    assert all(r["evidence"] is None for r in jsonl(off["jsonl"]))  # null: archiving off (docs/record.md)
    files = sorted((tmp_path / "small" / "out" / "archive").glob("*.warc.gz"))
    assert len(files) > 1
    assert all(f.stat().st_size < 0.01 * 1024 * 1024 + 64 * 1024 for f in files[:-1])
    (small,) = runs(tmp_path / "small" / "out")
    assert verify(tmp_path / "small" / "out" / "archive", small["jsonl"], small["rejects"]).returncode == 0
    used = {ref["warc"] for r in jsonl(small["jsonl"]) for _role, ref in evidence_refs(r["evidence"])}
    assert len(used) > 1


def test_a_page_the_spider_rebuilt_is_kept_as_a_conversion_of_the_response(tmp_path):
    """A JSON-only detail page is parsed as the HTML the spider rebuilt from it: the evidence is
    those bytes, stored as a WARC conversion record referring to the archived JSON response."""
    from scrapy import Request
    from scrapy.http import TextResponse
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from crawler import settings as project_settings
    from crawler.archive.capture import Archive
    from crawler.items import DocumentItem

    settings = Settings()
    settings.setmodule(project_settings)
    settings.set("GOVREPORTS_ARCHIVE_DIR", str(tmp_path / "a"))
    archive = Archive(settings, MemoryStatsCollector(crawler=type("C", (), {"settings": settings})()))
    url = "http://127.0.0.1/api/detail?id=7"
    request = Request(url, meta={"portal": "http://127.0.0.1/", "doc_kind": "detail"})
    raw = '{"title": "2023年政府信息公开工作年度报告", "content": "<p>正文</p>"}'.encode("utf-8")
    archive.store_response(request, TextResponse(url, body=raw, headers={"Content-Type": "application/json"},
                                                 request=request))
    rebuilt = "<html><h1>2023年政府信息公开工作年度报告</h1><p>正文</p></html>".encode("utf-8")
    evidence = archive.store_document(DocumentItem(url=url, document_url=url, portal="http://127.0.0.1/",
                                                   body=rebuilt, fetched_at="2026-01-01T00:00:00+00:00"))
    archive.close()
    (doc,) = evidence
    assert doc["payload_sha256"] == hashlib.sha256(rebuilt).hexdigest()
    records = {}
    for path in (tmp_path / "a").glob("*.warc.gz"):
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f):
                records[rec.rec_headers.get_header("WARC-Record-ID")] = (rec, rec.content_stream().read())
    conv, payload = records[doc["warc_record_id"]]
    assert conv.rec_type == "conversion" and payload == rebuilt
    original, body = records[conv.rec_headers.get_header("WARC-Refers-To")]
    assert original.rec_type == "response" and body == raw
