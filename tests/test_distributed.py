"""Distributed mode (crawler/distributed.py, crawler/state_redis.py) against a real redis-server.

Starts its own ``redis-server`` (127.0.0.1, random port, no persistence); the fixture farm is
served over HTTP on 127.0.0.1; workers are ``python -m tests.farm.runner`` processes (the real
spider and pipelines); a single-process crawl of the same farm is the reference.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import Settings

from crawler.samples_server import FarmServer
from crawler.state import SqliteStateStore
from tests.farm.build import build
from tests.farm.harness import FAST, REPO, portals_csv, resolve

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None,
    reason="redis-server is not installed (apt-get install redis-server; scripts/setup.sh --test does it)")

redis = pytest.importorskip("redis")
ADDONS = 'ADDONS={"crawler.exporters.FeedsAddon": 100, "crawler.distributed.DistributedAddon": 50}'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = _free_port()
    d = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(d)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}"
    client.close()
    proc.terminate()
    proc.wait(10)


def _client(url: str):
    return redis.Redis.from_url(url)


# ---------------------------------------------------------------------- the state store
@pytest.fixture(params=["sqlite", "redis"])
def store_factory(request, tmp_path, redis_url):
    """A factory of store instances sharing one backing state (a second 'connection')."""
    if request.param == "sqlite":
        path = str(tmp_path / "s.sqlite3")
        yield lambda: SqliteStateStore(path)
    else:
        from crawler.state_redis import RedisStateStore
        url = f"{redis_url}/9"
        _client(url).flushdb()
        yield lambda: RedisStateStore(url, prefix="t:state")


def test_store_commit_and_rollback(store_factory):
    store = store_factory()
    store.put("exported", "r1", {"urls": ["a"], "n": 1})
    store.commit()
    store.put("exported", "r2", {"urls": []})
    store.delete("exported", "r1")
    assert store.get("exported", "r1") is None and store.count("exported") == 1  # own writes visible
    store.rollback()
    assert dict(store.items("exported")) == {"r1": {"urls": ["a"], "n": 1}}
    store.put("buffer", "x", 1)
    store.close()  # close commits
    again = store_factory()
    assert again.get("buffer", "x") == 1 and again.count("exported") == 1
    again.clear("buffer")
    assert again.count("buffer") == 0 and again.get("buffer", "x") is None
    again.close()


def test_store_semantics(store_factory):
    a = store_factory()
    a.put("url", "http://x/2", {"kind": "report", "record_id": "r", "seen_at": "t"})
    a.put("url", "http://x/1", {"kind": "rejected"})
    a.put("key", "中文键", "值")
    assert [k for k, _ in a.items("url")] == ["http://x/1", "http://x/2"]  # ordered by key
    a.commit()
    a.put("url", "http://x/1", {"kind": "report"})  # overwrite
    a.delete("url", "http://x/2")
    a.delete("url", "http://nope")                  # deleting a missing key is fine
    assert dict(a.items("url")) == {"http://x/1": {"kind": "report"}} and a.count("url") == 1
    a.commit()
    a.clear("url")
    a.put("url", "http://x/3", [1, 2])              # a put after a clear survives the commit
    assert dict(a.items("url")) == {"http://x/3": [1, 2]} and a.count("url") == 1
    a.rollback()                                    # ... and a rollback undoes the clear
    assert a.count("url") == 1 and a.get("url", "http://x/1") == {"kind": "report"}
    a.clear("url")
    a.put("url", "http://x/3", [1, 2])
    a.commit()
    assert a.get("missing-ns", "k") is None and list(a.items("missing-ns")) == [] and a.count("missing-ns") == 0
    a.put("buffer", "d", {"when": time.gmtime(0)})  # not JSON: stored through str() like the SQLite store
    assert a.get("buffer", "d") is not None
    a.rollback()
    many = {f"k{i:04d}": {"i": i} for i in range(450)}  # more than one read batch
    for k, v in many.items():
        a.put("buffer", k, v)
    a.commit()
    a.delete("buffer", "k0001")
    assert len(list(a.items("buffer"))) == a.count("buffer") == 449
    a.close()
    b = store_factory()
    assert dict(b.items("url")) == {"http://x/3": [1, 2]} and b.get("key", "中文键") == "值"
    assert b.count("buffer") == 449 and b.get("buffer", "d") is None  # close() committed the delete
    b.close()


def test_redis_store_workers_see_committed_writes_only(redis_url):
    from crawler.state_redis import RedisStateStore
    url = f"{redis_url}/9"
    _client(url).flushdb()
    a, b = RedisStateStore(url, prefix="t:state"), RedisStateStore(url, prefix="t:state")
    a.put("exported", "r1", {"n": 1})
    assert b.get("exported", "r1") is None and b.count("exported") == 0
    a.commit()
    assert b.get("exported", "r1") == {"n": 1} and dict(b.items("exported")) == {"r1": {"n": 1}}
    b.delete("exported", "r1")
    assert a.get("exported", "r1") == {"n": 1}
    b.rollback()
    assert b.get("exported", "r1") == {"n": 1}
    a.close()
    b.close()


def test_redis_store_commit_is_one_transaction(redis_url):
    from crawler.state_redis import RedisStateStore
    url = f"{redis_url}/9"
    r = _client(url)
    r.flushdb()
    store = RedisStateStore(url, prefix="t:state")
    for i in range(50):
        store.put("buffer", f"k{i}", i)
    store.delete("buffer", "k0")
    execs = r.info("commandstats").get("cmdstat_exec", {}).get("calls", 0)
    store.commit()
    assert r.info("commandstats")["cmdstat_exec"]["calls"] == execs + 1  # one MULTI/EXEC
    assert r.hlen("t:state:buffer") == 49 and r.hget("t:state:buffer", "k1") == b"1"
    store.close()


# ---------------------------------------------------------------------- the add-on
def _addon_settings(**values) -> Settings:
    from scrapy.utils.project import get_project_settings
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    s = get_project_settings()
    for k, v in values.items():
        s.set(k, v, priority="cmdline")
    return s


def test_addon_does_nothing_without_a_redis_url(monkeypatch):
    from crawler.distributed import DistributedAddon
    monkeypatch.delenv("GOVREPORTS_REDIS_URL", raising=False)
    s = _addon_settings()
    before = {k: s.get(k) for k in ("SCHEDULER", "GOVREPORTS_STATE_CLASS", "GOVREPORTS_OUTPUT_DIR")}
    DistributedAddon().update_settings(s)
    assert {k: s.get(k) for k in before} == before
    assert "crawler.pipelines.DedupPipeline" in s.getdict("ITEM_PIPELINES")


def test_addon_switches_to_redis(monkeypatch):
    from crawler.distributed import DistributedAddon
    monkeypatch.delenv("GOVREPORTS_REDIS_URL", raising=False)
    s = _addon_settings(GOVREPORTS_REDIS_URL="redis://127.0.0.1:1/0", GOVREPORTS_WORKER_ID="w7",
                        GOVREPORTS_OUTPUT_DIR="out", FEEDS={"all.csv": {"format": "csv"}})
    DistributedAddon().update_settings(s)
    assert s.get("SCHEDULER") == "crawler.distributed.RedisScheduler"
    assert s.getbool("SCHEDULER_PERSIST") and s.get("REDIS_URL") == "redis://127.0.0.1:1/0"
    assert s.get("GOVREPORTS_STATE_CLASS") == "crawler.state_redis.RedisStateStore"
    assert s.get("GOVREPORTS_OUTPUT_DIR") == os.path.join("out", "w7")
    assert list(s.getdict("FEEDS")) == ["all-w7.csv"]
    pipes = s.getdict("ITEM_PIPELINES")
    assert "crawler.pipelines.DedupPipeline" not in pipes and pipes["crawler.distributed.DistributedDedupPipeline"] == 900
    assert "crawler.distributed.Coordinator" in s.getdict("EXTENSIONS")


def test_an_idle_worker_waits_for_busy_and_forgets_dead_ones(redis_url):
    from scrapy.utils.test import get_crawler
    from crawler.distributed import Coordinator, coordinator_for
    url = f"{redis_url}/8"
    r = _client(url)
    r.flushdb()
    crawler = get_crawler(settings_dict={"GOVREPORTS_REDIS_URL": url, "GOVREPORTS_WORKER_ID": "me",
                                         "GOVREPORTS_STATE_CLASS": "crawler.state_redis.RedisStateStore"})
    coord = Coordinator(crawler)
    assert coordinator_for(crawler) is coord
    spider = type("S", (), {"name": "t"})()
    coord.spider_opened(spider)
    r.set("t:worker:other", "busy", ex=1)
    r.sadd("t:workers", "other")
    with pytest.raises(DontCloseSpider):  # another worker is busy: wait for it
        coord.spider_idle(spider)
    assert r.get("t:worker:me") == b"idle" and not coord.finished
    time.sleep(1.2)                        # its key expired (killed): forgotten
    r.zadd("t:requests", {"x": 0})
    with pytest.raises(DontCloseSpider):  # but the frontier is not empty
        coord.spider_idle(spider)
    r.delete("t:requests")
    coord.spider_idle(spider)
    assert coord.finished and r.smembers("t:workers") == {b"me"}
    r.sadd("t:dupefilter", "fp")
    coord.spider_closed(spider, "finished")
    assert not r.exists("t:worker:me", "t:workers", "t:dupefilter")


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
    """A single-process crawl (SQLite store) of its own farm server: what must be fetched/exported."""
    root, answer = farm_root
    work = tmp_path_factory.mktemp("reference")
    farm = Farm(root, answer, work)
    try:
        res = finish(start(work, farm.csv))
        hits = farm.hits()
    finally:
        farm.srv.stop()
    return {"hits": hits, "reports": records(work / "output", "reports"), "res": res}


def worker_settings(url: str, *extra: str) -> list[str]:
    return [ADDONS, f"GOVREPORTS_REDIS_URL={url}", "TELNETCONSOLE_ENABLED=False", *extra]


def check_distributed_run(farm: Farm, work: Path, reference: dict, results: list[dict], url: str, n_workers: int):
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
        assert {p.name for p in (tmp_path / "output").iterdir() if p.is_dir()} == {"w1", "w2"}
        check_distributed_run(farm, tmp_path, reference, results, url, 2)
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
