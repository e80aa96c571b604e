"""Generate a farm, serve it on 127.0.0.1, crawl it with the real spider and its pipelines (in a
subprocess, tests.farm.harness), score the exported records against the answer key."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from crawler.samples_server import FarmServer
from tests.farm.harness import portals_csv, resolve, run_spider

from .build import generate
from .score import record_urls, records, score


def crawl_farm(workdir: Path, seed: int, heldout: bool, portals: int = 6, settings=(), **gen) -> dict:
    """gen: generate()'s keyword options (small, pin, drop, families)."""
    workdir = Path(workdir)
    root = workdir / "farm"
    for old in (root, workdir / "crawl"):   # a reused workdir must not mix two crawls' feeds
        shutil.rmtree(old, ignore_errors=True)
    answer = generate(root, seed, heldout, portals, **gen)
    with FarmServer(root, ports=2) as srv:   # the second port plays a sibling xxgk host
        csv = portals_csv(root, srv.origins, workdir / "portals.csv")
        res = run_spider(workdir / "crawl", csv, list(settings), timeout=600)
        hits = dict(srv.farm.hits)
        origins = srv.origins
    reports, rejects = records(workdir / "crawl" / "output")
    sc = score(answer, origins, reports)
    decoys = {resolve(u, origins).split("//", 1)[1] for u in answer["decoys"]}
    requested = {k.split(" ", 1)[1] for k in hits}
    rejected = {u: r for r in rejects for u in record_urls(r)}
    for row in sc["missed"]:
        row["why"] = why_missed(row, requested, rejected)
    sc.update(seed=seed, heldout=heldout, requests=sum(hits.values()), decoys_requested=sorted(requested & decoys),
              rejects=rejects, reports=reports, answer=answer, origins=origins, hits=hits, stats=res["stats"],
              elapsed=res["elapsed"], maxrss_kb=res.get("maxrss_kb"), farm_files=answer["pages"], stderr=res["stderr"])
    return sc


def why_missed(row: dict, requested: set, rejected: dict) -> str:
    """Where a missed report was lost: never requested, fetched but no record, or rejected (why)."""
    for u in row["urls"]:
        if u in rejected:
            r = rejected[u]
            codes = ",".join(p.get("code", "") for p in r.get("problems") or [])
            return f"rejected as {r.get('status')} ({codes}; title {r.get('title')!r})"
    if any(u.split("//", 1)[1] in requested for u in row["urls"]):
        return "fetched, no record at all (dropped silently)"
    return "never requested"


def summary(sc: dict) -> str:
    return (f"seed={sc['seed']} heldout={sc['heldout']} rows={sc['rows']} found={sc['found']} missed={len(sc['missed'])} "
            f"dup={len(sc['duplicated'])} false_merges={len(sc['false_merges'])} extra={len(sc['extra'])} "
            f"requests={sc['requests']} elapsed={sc['elapsed']:.1f}s")


if __name__ == "__main__":
    import argparse
    import tempfile
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--heldout", action="store_true")
    ap.add_argument("--workdir")
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--pdf", action="store_true", help="some attachments as PDF (LibreOffice)")
    a = ap.parse_args()
    wd = Path(a.workdir or tempfile.mkdtemp(prefix="farmgen-"))
    s = crawl_farm(wd, a.seed, a.heldout, small=a.small, pdf=a.pdf)
    print(summary(s))
    for m in s["missed"]:
        print("  missed", m["kind"], m["title"], m["urls"][0], "--", m["why"])
    for m in s["duplicated"]:
        print("  duplicated", m["kind"], m["title"])
    for m in s["false_merges"]:
        print("  false merge", m)
    for m in s["extra"]:
        print("  extra", m)
    slim = {k: v for k, v in s.items() if k not in ("answer", "hits", "stderr", "rejects", "reports")}
    slim["rejects"] = [{k: r.get(k) for k in ("document_url", "status", "title", "problems")} for r in s["rejects"]]
    (wd / "score.json").write_text(json.dumps(slim, ensure_ascii=False, indent=1, default=str), "utf-8")
    print(wd)
