"""Distributed mode, units against a real redis-server (started here on 127.0.0.1, random port,
no persistence): the Redis state store behaves like the SQLite one, the add-on, the coordinator."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import Settings

from crawler.state import SqliteStateStore
from tests.farm.harness import REPO

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None,
    reason="redis-server is not installed (apt-get install redis-server; scripts/setup.sh --test does it)")
redis = pytest.importorskip("redis")


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
    assert s.getdict("FEED_STORAGES")["file"] == s.getdict("FEED_STORAGES")[""] == \
        "crawler.exporters.UnbufferedFileFeedStorage"


_KILLED_EXPORT = """
import os, signal, sys
from scrapy.exporters import JsonLinesItemExporter
from crawler.exporters import RejectsCsvExporter
from {module} import {storage}
files = [{storage}(sys.argv[1] + ext).open(None) for ext in (".jsonl", ".csv")]
exporters = [JsonLinesItemExporter(files[0]), RejectsCsvExporter(files[1])]
for e in exporters:
    e.start_exporting()
for i in range(5):
    rec = {{"url": f"http://example.gov.cn/{{i}}.pdf", "status": "failed", "portal": "p",
           "problems": [{{"code": "corrupt_file", "severity": "error", "detail": "x"}}]}}
    for e in exporters:
        e.export_item(rec)
os.kill(os.getpid(), signal.SIGKILL)   # the lease of these requests may be acknowledged now
"""


@pytest.mark.parametrize("module,storage,kept", [
    ("crawler.exporters", "UnbufferedFileFeedStorage", 5),
    ("scrapy.extensions.feedexport", "FileFeedStorage", 0),   # Python's buffer dies with the process
])
def test_a_sigkilled_worker_keeps_every_exported_line(tmp_path, module, storage, kept):
    script = _KILLED_EXPORT.format(module=module, storage=storage)
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "rejects")], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr[-2000:]
    jsonl = (tmp_path / "rejects.jsonl").read_bytes().splitlines()
    csv_rows = (tmp_path / "rejects.csv").read_text("utf-8-sig").splitlines()[1:]  # after the header
    assert len(jsonl) == kept and len(csv_rows) == kept


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


def test_project_imports_without_the_distributed_extra():
    """settings.py may list the add-on always: without scrapy-redis/redis-py it is a no-op, and it
    refuses (rather than silently crawling alone) when a Redis URL asks for distributed mode."""
    code = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("redis", "scrapy_redis"):
            raise ImportError("blocked " + name)
sys.meta_path.insert(0, Block())
from scrapy.settings import Settings
from crawler.distributed import DistributedAddon
s = Settings()
DistributedAddon().update_settings(s)
s.set("GOVREPORTS_REDIS_URL", "redis://127.0.0.1:1/0")
try:
    DistributedAddon().update_settings(s)
except RuntimeError as e:
    print("refused:", e)
"""
    env = {k: v for k, v in os.environ.items() if k != "GOVREPORTS_REDIS_URL"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "refused:" in out.stdout and "pip install" in out.stdout
