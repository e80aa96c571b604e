"""Check a feed against an archive: every record's evidence is present, with the digest recorded.

The digest is recomputed from the stored payload bytes (never read from the WARC headers), so a
payload edited in place, a swapped record or a missing file is caught. One line per problem.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Iterable, Iterator

from warcio.exceptions import ArchiveLoadFailed

from crawler.archive.warc import evidence_refs, iter_records, sha256_hex, truncated, warc_files


def archived_digests(archive: Path, unreadable: list[str] | None = None) -> dict[tuple[str, str], str]:
    """(warc_file, record id) → sha256 of the payload, for every response/resource/conversion record;
    a file warcio cannot read is named in `unreadable` (its records count as missing)."""
    root = Path(archive)
    out: dict[tuple[str, str], str] = {}
    for path in warc_files(root):
        try:
            if truncated(path) and unreadable is not None:
                unreadable.append(f"{path}: truncated WARC file (a crawl killed while writing?): "
                                  "records after the last complete one are missing")
            for rec in iter_records(path):
                if rec.rec_type in ("response", "resource", "conversion"):
                    out[(rec.warc_file, rec.record_id)] = sha256_hex(rec.payload)
        except (ArchiveLoadFailed, OSError, EOFError, zlib.error) as exc:
            if unreadable is not None:
                unreadable.append(f"{path}: unreadable WARC file: {type(exc).__name__}: {' '.join(str(exc).split())[:120]}")
    return out


def feed_records(paths: Iterable[Path]) -> Iterator[tuple[str, int, dict]]:
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    yield str(path), n, json.loads(line)


def mismatches(archive: Path, feeds: Iterable[Path]) -> tuple[int, list[str]]:
    """(pieces of evidence checked, problem lines)."""
    problems: list[str] = []
    digests = archived_digests(archive, problems)
    checked = 0
    for path, n, record in feed_records(feeds):
        where = f"{path}:{n} {record.get('record_id') or record.get('url')}"
        evidence = record.get("evidence")
        if evidence is None:
            problems.append(f"{where}: no evidence field (was the archive on, GOVREPORTS_ARCHIVE?)")
            continue
        refs = evidence_refs(evidence)
        if not refs:
            if record.get("http_status") is not None:  # a response was received: it must be archived
                problems.append(f"{where}: no evidence for a fetched document (HTTP {record.get('http_status')})")
            continue  # nothing was received (unreachable, timeout, robots): nothing to keep
        for role, ev in refs:
            checked += 1
            stored = digests.get((ev.get("warc"), ev.get("record_id")))
            if stored is None:
                problems.append(f"{where}: {role} {ev.get('url')} missing from the archive "
                                f"({ev.get('warc')} {ev.get('record_id')})")
            elif stored != ev.get("sha256"):
                problems.append(f"{where}: {role} {ev.get('url')} digest mismatch: "
                                f"feed {ev.get('sha256')} archive {stored}")
    return checked, problems
