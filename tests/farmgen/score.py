"""Compare a crawl's exported records with a generated farm's answer key.

A row of the key is found when exactly one exported report record carries one of its URLs (`url`,
`document_url`, `also_at`). Counted: missed rows, duplicated rows (two records for one report),
false merges (one record carrying URLs of two rows), extra records (no row: decoys or junk)."""
from __future__ import annotations

import json
from pathlib import Path

from tests.farm.harness import resolve

REPORT_STATUSES = ("complete", "inconsistent", "partial")


def records(output_dir: Path) -> tuple[list[dict], list[dict]]:
    reports, rejects = [], []
    for f in sorted(Path(output_dir).glob("*.jsonl")):
        for line in f.read_text("utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                (reports if r.get("status") in REPORT_STATUSES else rejects).append(r)
    return reports, rejects


def record_urls(r: dict) -> set[str]:
    also = r.get("also_at") or []
    if isinstance(also, str):
        also = [u for u in also.split(";") if u]
    return {u for u in [r.get("url"), r.get("document_url"), *also] if u}


def score(answer: dict, origins: list[str], reports: list[dict]) -> dict:
    rows = [{**row, "urls": [resolve(u, origins) for u in row["urls"]]} for row in answer["rows"]]
    owner = {u: i for i, row in enumerate(rows) for u in row["urls"]}
    decoys = {resolve(u, origins) for u in answer["decoys"] + answer.get("decoy_pages", [])}
    hits: dict[int, list[int]] = {}
    false_merges, extra = [], []
    for ri, r in enumerate(reports):
        ids = {owner[u] for u in record_urls(r) if u in owner}
        if len(ids) > 1:
            false_merges.append({"record": r.get("document_url"), "rows": sorted(rows[i]["title"] for i in ids)})
        if not ids:
            extra.append({"url": r.get("document_url"), "title": r.get("title"),
                          "decoy": bool(record_urls(r) & decoys)})
        for i in ids:
            hits.setdefault(i, []).append(ri)
    missed = [rows[i] for i in range(len(rows)) if i not in hits]
    duplicated = [rows[i] for i, rs in hits.items() if len(rs) > 1]
    return {"rows": len(rows), "found": len(rows) - len(missed), "missed": missed, "duplicated": duplicated,
            "false_merges": false_merges, "extra": extra, "records": len(reports)}
