"""Distributed mode (crawler/distributed.py, crawler/state_redis.py) against a real redis-server.

Starts its own ``redis-server`` (127.0.0.1, random port, no persistence); the fixture farm is
served over HTTP on 127.0.0.1; workers are ``python -m tests.farm.runner`` processes (the real
spider and pipelines); a single-process crawl of the same farm is the reference.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from crawler.samples_server import FarmServer
from tests.farm.build import build
from tests.farm.harness import FAST, REPO, portals_csv, resolve
from tests.test_distributed_units import REDIS_SERVER, _client, redis_url  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None,
    reason="redis-server is not installed (apt-get install redis-server; scripts/setup.sh --test does it)")

ADDONS = 'ADDONS={"crawler.exporters.FeedsAddon": 100, "crawler.distributed.DistributedAddon": 50}'


# ---------------------------------------------------------------------- crawling the farm
@pytest.fixture(scope="module")
def farm_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("farm")
    return root, build(root)


class Farm:
    def __init__(self, root: Path, answer: dict, work: Path):
        self.srv = FarmServer(root, ports=2).start()
        self.answer = answer
        work.mkdir(parents=True, exist_ok=True)
        self.csv = portals_csv(root, self.srv.origins, work / "portals.csv")

    def r(self, u: str) -> str:
        return resolve(u, self.srv.origins)

    def hits(self) -> Counter:
        out = Counter()
        for k, n in self.srv.farm.hits.items():
            for i, o in enumerate(self.srv.origins):
                k = k.replace(o.split("//", 1)[1], f"O{i}")
            out[k] += n
        return out


def start(workdir: Path, portals: Path, *settings: str, worker: str | None = None) -> subprocess.Popen:
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / f"result-{worker or 'single'}-{len(list(workdir.glob('result-*.json')))}.json"
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawler.settings",
               PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
               GOVREPORTS_OUTPUT_DIR=str(workdir / "output"), GOVREPORTS_STATE_DIR=str(workdir / "state"))
    env.pop("GOVREPORTS_REDIS_URL", None)
    if worker:
        env["GOVREPORTS_WORKER_ID"] = worker
    cmd = [sys.executable, "-m", "tests.farm.runner", "--out", str(out), "--portals", str(portals)]
    for s in list(FAST) + list(settings):
        cmd += ["-s", s]
    proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    proc.out = out
    return proc


def finish(proc: subprocess.Popen, timeout: float = 120) -> dict:
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0 and proc.out.exists(), err[-3000:]
    res = json.loads(proc.out.read_text("utf-8"))
    res["stderr"] = err
    return res


def records(output: Path, kind: str) -> list[dict]:
    recs = []
    for f in sorted(output.rglob(f"{kind}-*.jsonl")):
        if "merged" in f.relative_to(output).parts[:-1]:
            continue  # the merged copy of the workers' feeds (check_merged_output reads it)
        recs += [json.loads(line) for line in f.read_text("utf-8").splitlines() if line.strip()]
    return recs


def documents(recs: list[dict]) -> Counter:
    """How many records cover each document URL (its own URL or one merged into also_at)."""
    c = Counter()
    for rec in recs:
        for u in {rec["document_url"], *rec.get("also_at", [])}:
            c[u] += 1
    return c


@pytest.fixture(scope="module")
def reference(farm_root, tmp_path_factory):
    """A single-process crawl (SQLite store) of its own farm server, run alongside the first test:
    what must be fetched and exported. Call it to wait for the result."""
    root, answer = farm_root
    work = tmp_path_factory.mktemp("reference")
    farm, out = Farm(root, answer, work), {}
    proc = start(work, farm.csv)

    def result() -> dict:
        if not out:
            try:
                finish(proc)
                out.update(hits=farm.hits(), reports=records(work / "output", "reports"),
                           summary=json.loads(next((work / "output").glob("run-summary-*.json")).read_text("utf-8")))
            finally:
                farm.srv.stop()
        return out
    yield result
    if not out:  # the tests did not get that far
        proc.kill()
        proc.communicate()
        farm.srv.stop()


def worker_settings(url: str, *extra: str) -> list[str]:
    return [ADDONS, f"GOVREPORTS_REDIS_URL={url}", "TELNETCONSOLE_ENABLED=False", *extra]


def check_distributed_run(farm: Farm, work: Path, reference, results: list[dict], url: str, n_workers: int):
    reference = reference()
    want = {farm.r(u) for u in farm.answer["reports"]}
    reports, rejects = records(work / "output", "reports"), records(work / "output", "rejects")
    # every answer-key document in exactly one record of the workers' feeds (reports or rejects)
    covered = documents(reports + rejects)
    assert want - set(covered) == set(), "answer-key documents missing from the feeds"
    assert [u for u in want if covered[u] > 1] == [], "a document exported twice"
    # each report once: as many as the single-process run, no record id twice
    ids = [r["record_id"] for r in reports]
    assert len(ids) == len(set(ids)) == len(reference["reports"])
    assert sorted(documents(reports).values()) == sorted(documents(reference["reports"]).values())
    # nothing fetched more often than by one process (robots.txt: once per worker and host)
    hits, ref = farm.hits(), reference["hits"]
    more = {k: (n, ref.get(k, 0)) for k, n in hits.items()
            if n > ref.get(k, 0) * (n_workers if k.endswith("/robots.txt") else 1)}
    assert more == {}, "fetched more often than in a single process"
    assert sum(n for k, n in hits.items() if not k.endswith("/robots.txt")) == \
        sum(n for k, n in ref.items() if not k.endswith("/robots.txt"))
    # the Redis scheduler did the work, without deprecated scrapy-redis calls
    assert sum(r["stats"].get("scheduler/dequeued/redis", 0) for r in results) > 0
    for r in results:
        warned = [ln for ln in r["stderr"].splitlines() if "DeprecationWarning" in ln and "install_root_handler" not in ln]
        assert warned == []
    # the run's frontier and fingerprints are gone; the shared state stays
    r = _client(url)
    assert not r.exists("reports:requests") and not r.exists("reports:dupefilter") and not r.smembers("reports:workers")
    assert r.hlen("govreports:state:exported") == len(ids) and r.hlen("govreports:state:buffer") == 0


def check_merged_output(output: Path, reference: dict, results: list[dict]):
    """The last worker merged the run: one feed of each kind, equal to the single-process run's
    reports, and one run summary whose per-portal figures and alerts are the single process's."""
    merged = output / "merged"
    assert sum(1 for r in results if r["stats"].get("govreports/distributed/merged_output")) == 1
    workers = records(output / "w1", "reports") + records(output / "w2", "reports")
    got = records(merged, "reports")
    assert sorted(r["record_id"] for r in got) == sorted(r["record_id"] for r in workers) == \
        sorted(r["record_id"] for r in reference["reports"])
    assert len(list(merged.glob("reports-*.csv"))) == len(list(merged.glob("rejects-*.jsonl"))) == 1
    assert len(records(merged, "rejects")) == len(records(output / "w1", "rejects") + records(output / "w2", "rejects"))
    summary = json.loads(next(merged.glob("run-summary-*.json")).read_text("utf-8"))
    ref = reference["summary"]
    assert summary["alerts"] == ref["alerts"]
    path = lambda portal: portal.split("/", 3)[3]  # the two runs' farms listen on other ports
    for key in ("report_documents_seen", "blocked", "soft_404", "http_errors", "records"):
        assert {path(p): v[key] for p, v in summary["portals"].items()} == \
            {path(p): v[key] for p, v in ref["portals"].items()}, key
    assert next(merged.glob("coverage-*.csv")) and next(merged.glob("run-report-*.html"))


def test_two_workers_share_one_frontier(farm_root, reference, tmp_path, redis_url):
    root, answer = farm_root
    url = f"{redis_url}/1"
    _client(url).flushdb()
    farm = Farm(root, answer, tmp_path)
    try:
        paced = worker_settings(url, "DOWNLOAD_DELAY=0.05", "DOWNLOAD_DELAY_JITTER=0")  # both get work
        procs = [start(tmp_path, farm.csv, *paced, worker=w) for w in ("w1", "w2")]
        results = [finish(p) for p in procs]
        for res in results:
            assert res["stats"]["finish_reason"] == "finished"
            assert res["stats"]["govreports/distributed/run_finished"] is True
        # both took requests from the shared frontier; the start URLs entered it once
        assert all(res["stats"].get("scheduler/dequeued/redis", 0) > 0 for res in results), \
            [res["stats"].get("scheduler/dequeued/redis") for res in results]
        assert sum(res["stats"].get("scheduler/filtered/redis", 0) for res in results) >= len(answer["portals"])
        assert {p.name for p in (tmp_path / "output").iterdir() if p.is_dir()} == {"w1", "w2", "merged"}
        check_distributed_run(farm, tmp_path, reference, results, url, 2)
        check_merged_output(tmp_path / "output", reference(), results)
    finally:
        farm.srv.stop()


def test_sigterm_one_worker_and_restart_loses_nothing(farm_root, reference, tmp_path, redis_url):
    root, answer = farm_root
    url = f"{redis_url}/2"
    r = _client(url)
    r.flushdb()
    farm = Farm(root, answer, tmp_path)
    slow = worker_settings(url, "DOWNLOAD_DELAY=0.12", "DOWNLOAD_DELAY_JITTER=0")
    try:
        w1 = start(tmp_path, farm.csv, *slow, worker="w1")
        w2 = start(tmp_path, farm.csv, *slow, worker="w2")
        deadline = time.time() + 60
        while sum(farm.srv.farm.hits.values()) < 40 and time.time() < deadline:
            time.sleep(0.05)
        w1.send_signal(signal.SIGTERM)            # one SIGTERM: graceful shutdown
        first = finish(w1)
        assert first["stats"]["finish_reason"] == "shutdown"
        assert first["stats"]["govreports/distributed/run_finished"] is False
        assert first["stats"].get("scheduler/dequeued/redis", 0) > 0
        assert w2.poll() is None, "w2 finished before w1 could rejoin; the test needs a slower crawl"
        assert r.exists("reports:requests") and r.exists("reports:dupefilter")  # persisted in Redis
        w1b = start(tmp_path, farm.csv, *slow, worker="w1")
        results = [first, finish(w2), finish(w1b)]
        assert results[1]["stats"]["finish_reason"] == results[2]["stats"]["finish_reason"] == "finished"
        assert results[2]["stats"].get("scheduler/dequeued/redis", 0) > 0      # the restart took work
        check_distributed_run(farm, tmp_path, reference, results, url, 3)
    finally:
        farm.srv.stop()


def test_sigkill_one_worker_never_restarted_loses_nothing(farm_root, reference, tmp_path, redis_url):
    """A worker killed while it holds leased requests: the survivor takes them back from the dead
    worker's lease hash once its heartbeat key expires, and every report is exported once."""
    root, answer = farm_root
    url = f"{redis_url}/3"
    r = _client(url)
    r.flushdb()
    farm = Farm(root, answer, tmp_path)
    slow = worker_settings(url, "DOWNLOAD_DELAY=0.12", "DOWNLOAD_DELAY_JITTER=0", "GOVREPORTS_WORKER_TTL=4")
    try:
        w1 = start(tmp_path, farm.csv, *slow, worker="w1")
        w2 = start(tmp_path, farm.csv, *slow, worker="w2")
        deadline = time.time() + 60
        while sum(farm.srv.farm.hits.values()) < 40 and time.time() < deadline:
            time.sleep(0.01)
        while time.time() < deadline:               # freeze w1 at a moment it holds leases
            w1.send_signal(signal.SIGSTOP)
            if r.hlen("reports:leases:w1"):
                break
            w1.send_signal(signal.SIGCONT)
            time.sleep(0.02)
        w1.kill()                                   # SIGKILL: no shutdown, no acknowledgement
        w1.communicate()
        held = r.hlen("reports:leases:w1")
        assert held > 0, "the killed worker held no lease; the test needs a slower crawl"
        assert w2.poll() is None, ("w2 finished before w1 was killed; the test needs a slower crawl",
                                   w2.communicate()[1][-2000:])
        survivor = finish(w2, timeout=180)
        assert survivor["stats"]["finish_reason"] == "finished"
        assert survivor["stats"]["govreports/distributed/run_finished"] is True
        assert survivor["stats"]["govreports/distributed/leases_acknowledged"] > 0
        assert not r.exists("reports:leases:w1") and not r.exists("reports:leases:w2")
        ref = reference()
        reports = records(tmp_path / "output", "reports")
        ids = [rec["record_id"] for rec in reports]
        assert len(ids) == len(set(ids)) == len(ref["reports"])
        assert sorted(documents(reports).values()) == sorted(documents(ref["reports"]).values())
        want = {farm.r(u) for u in farm.answer["reports"]}
        covered = documents(reports + records(tmp_path / "output", "rejects"))
        assert want - set(covered) == set(), "answer-key documents lost with the killed worker"
        assert r.hlen("govreports:state:exported") == len(ids) and r.hlen("govreports:state:buffer") == 0
    finally:
        farm.srv.stop()


def test_two_workers_keep_one_sites_delay(farm_root, tmp_path, redis_url):
    """Two workers crawling one site (the farm's two ports share the host 127.0.0.1, one download
    slot) together stay within the single-process rate: DOWNLOAD_DELAY=0.25 s means at most
    W/0.25 + 2 requests in any W-second window, where two independent workers would send twice that."""
    root, answer = farm_root
    url = f"{redis_url}/4"
    _client(url).flushdb()
    farm = Farm(root, answer, tmp_path)
    seen, count = [], farm.srv.farm.count
    farm.srv.farm.count = lambda key: (seen.append(time.monotonic()), count(key))
    delay, window = 0.25, 3.0
    paced = worker_settings(url, f"DOWNLOAD_DELAY={delay}", "DOWNLOAD_DELAY_JITTER=0")
    try:
        procs = [start(tmp_path, farm.csv, *paced, worker=w) for w in ("w1", "w2")]
        deadline = time.time() + 90
        while (not seen or time.monotonic() - seen[0] < 15) and time.time() < deadline \
                and all(p.poll() is None for p in procs):
            time.sleep(0.1)
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        results = [finish(p) for p in procs]
        assert all(r["stats"].get("downloader/request_count", 0) > 0 for r in results), "a worker fetched nothing"
        assert len(seen) > 2 * window / delay, "too few requests to measure a rate"
        busiest = max(sum(1 for t in seen[i:] if t - s < window) for i, s in enumerate(seen))
        assert busiest <= window / delay + 2, f"{busiest} requests in {window} s"
        assert sum(r["stats"].get("govreports/distributed/polite_waits", 0) for r in results) > 0
    finally:
        farm.srv.stop()
