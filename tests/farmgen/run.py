"""Generate a farm, serve it on 127.0.0.1, crawl it with the real spider and its pipelines (in a
subprocess, tests.farm.harness), score the exported records against the answer key."""
from __future__ import annotations

import json
from pathlib import Path

from crawler.samples_server import FarmServer
from tests.farm.harness import portals_csv, resolve, run_spider

from .build import generate
from .score import records, score


def crawl_farm(workdir: Path, seed: int, heldout: bool, portals: int = 6, settings=()) -> dict:
    workdir = Path(workdir)
    root = workdir / "farm"
    answer = generate(root, seed, heldout, portals)
    with FarmServer(root, ports=1) as srv:
        csv = portals_csv(root, srv.origins, workdir / "portals.csv")
        res = run_spider(workdir / "crawl", csv, list(settings), timeout=600)
        hits = dict(srv.farm.hits)
        origins = srv.origins
    reports, rejects = records(workdir / "crawl" / "output")
    sc = score(answer, origins, reports)
    decoys = {resolve(u, origins).split("//", 1)[1] for u in answer["decoys"]}
    requested = {k.split(" ", 1)[1] for k in hits}
    sc.update(seed=seed, heldout=heldout, requests=sum(hits.values()), decoys_requested=sorted(requested & decoys),
              rejects=rejects, answer=answer, origins=origins, hits=hits, stats=res["stats"], elapsed=res["elapsed"],
              stderr=res["stderr"])
    return sc


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
    a = ap.parse_args()
    wd = Path(a.workdir or tempfile.mkdtemp(prefix="farmgen-"))
    s = crawl_farm(wd, a.seed, a.heldout)
    print(summary(s))
    slim = {k: v for k, v in s.items() if k not in ("answer", "hits", "stderr", "rejects")}
    slim["rejects"] = [{k: r.get(k) for k in ("document_url", "status", "title", "problems")} for r in s["rejects"]]
    (wd / "score.json").write_text(json.dumps(slim, ensure_ascii=False, indent=1, default=str), "utf-8")
    print(wd)
