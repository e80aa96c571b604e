"""What a re-parse changed: records compared cell by cell with the feed they replace.

`compare(old, new)` pairs records by `record_id` and compares their CSV cells (crawler/csvrow.py
`flatten`: every scalar, section and table cell, as exported), leaving out the columns that say
when/how a run happened, not what the report says. One entry per record:
``{record_id, change: changed|unchanged|new|gone, changed_fields: [{field, old, new}]}``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from crawler.csvrow import flatten

RUN_COLUMNS = frozenset({"change", "parser_version", "fetched_at"})


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def compare(old: Iterable[dict], new: Iterable[dict]) -> list[dict]:
    before = {r["record_id"]: flatten(r) for r in old if r.get("record_id")}
    out = []
    seen = set()
    for rec in new:
        rid = rec.get("record_id")
        if not rid:
            continue
        seen.add(rid)
        if rid not in before:
            out.append({"record_id": rid, "change": "new", "changed_fields": []})
            continue
        now = flatten(rec)
        fields = [{"field": k, "old": before[rid][k], "new": now[k]} for k in now
                  if k not in RUN_COLUMNS and before[rid].get(k) != now[k]]
        out.append({"record_id": rid, "change": "changed" if fields else "unchanged", "changed_fields": fields})
    out.extend({"record_id": rid, "change": "gone", "changed_fields": []} for rid in before if rid not in seen)
    return out


def write(path: Path, entries: list[dict]) -> dict[str, int]:
    counts = {"changed": 0, "unchanged": 0, "new": 0, "gone": 0}
    with open(path, "w", encoding="utf-8") as f:
        for entry in entries:
            counts[entry["change"]] += 1
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return counts
