"""Distributed crawling on scrapy-redis 0.9.1: N `scrapy crawl reports` workers share one Redis.

    scrapy crawl reports -a portals=portals.csv -s GOVREPORTS_REDIS_URL=redis://127.0.0.1:6379/0
    (or GOVREPORTS_REDIS_URL in the environment; start as many workers as wanted, anywhere)

`DistributedAddon` (does nothing unless GOVREPORTS_REDIS_URL is set) switches a crawl to:

- `RedisScheduler`: scrapy-redis's scheduler (frontier = ``<spider>:requests``, a priority zset of
  pickled requests) without the deprecated ``spider=`` stats calls and ``Spider.log()``, with the
  Redis client built here (no deprecated ``retry_on_timeout``). It always persists the frontier.
- `RedisDupeFilter`: one fingerprint set per run (``<spider>:dupefilter``, Scrapy's own request
  fingerprinter). Requests the spider marks ``dont_filter`` (nav/list/api pages, de-duplicated by
  the spider's per-process set in a single process) are de-duplicated across workers too, under
  their own ``r:`` fingerprints; retries and redirects are never filtered, as in Scrapy.
  A worker stops taking requests from Redis while ``GOVREPORTS_REDIS_PREFETCH`` (default 4) of its
  requests wait to download (middlewares, robots.txt, politeness delays), so it does not hoard the
  frontier of a slow site).
- `crawler.leases.LeasedPriorityQueue` (scrapy-redis's priority queue, subclassed): a popped
  request is leased to the worker (moved atomically into ``<spider>:leases:<worker>``) and
  acknowledged once the engine has finished with it; a killed worker's leases return to the
  frontier when its heartbeat key expires, so SIGKILL loses nothing.
- `Coordinator` (extension): every worker keeps ``<spider>:worker:<id>`` = busy|idle (with a TTL)
  in Redis; an idle worker closes only when the frontier is empty and no other worker is busy
  (checked atomically in one Lua script), so no worker quits while another can still produce work.
  The worker that sees the run finished deletes the run's frontier and fingerprints.
- `DistributedDedupPipeline` in place of DedupPipeline: commits the shared state store after every
  item; a worker stopped before the run finished keeps its held reports in Redis; the workers that
  finish export the merged reports one at a time (a Redis lock), so each report is exported once.
- `RedisStateStore` (crawler/state_redis.py) as the state store, shared by all workers.
- `crawler.shared_politeness.SharedPolitenessMiddleware`: one request timeline per site in Redis,
  so N workers together keep the single-process download delay.
- per-worker output: ``<GOVREPORTS_OUTPUT_DIR>/<worker id>/`` (feeds and run summary); explicit
  ``-o`` feeds get ``-<worker id>`` before their extension. Local feed files are written unbuffered
  (`crawler.exporters.UnbufferedFileFeedStorage`): a reject is in the file before its request's lease is
  acknowledged, so a SIGKILL loses neither the request nor the line.

Every worker must be given the same portal list (`-a portals=FILE` / `-a url=`): the spider keeps the
portals' scopes in the process. Its start requests enter the shared frontier once (the others'
copies are dropped by the run's fingerprint set), and every worker then pops from it.
"""
from __future__ import annotations

import asyncio
import importlib
import logging
import os
import socket
import weakref

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.misc import load_object
from twisted.internet import task

try:  # the `distributed` extra; without it only the add-on (a no-op without a Redis URL) is usable
    import redis
    from scrapy_redis import defaults
    from scrapy_redis.dupefilter import RFPDupeFilter
    from scrapy_redis.scheduler import Scheduler

    from crawler.leases import IDLE_CHECK, LEASE_SEQ_KEY, LEASES_KEY, LeasedPriorityQueue
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    redis = defaults = None
    RFPDupeFilter = Scheduler = LeasedPriorityQueue = object
    _MISSING = exc
else:
    _MISSING = None

from crawler.pipelines import DedupPipeline
from crawler.state_redis import redis_url

logger = logging.getLogger(__name__)

DEDUP = "crawler.pipelines.DedupPipeline"
DIST_DEDUP = "crawler.distributed.DistributedDedupPipeline"
WORKERS_KEY = "%(spider)s:workers"
WORKER_KEY = "%(spider)s:worker:"
EXPORT_LOCK_KEY = "%(spider)s:export-lock"


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=30, health_check_interval=30)


def default_worker_id() -> str:
    return os.environ.get("GOVREPORTS_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"


_COORDINATORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def coordinator_for(crawler) -> Coordinator | None:
    return _COORDINATORS.get(crawler)


# ---------------------------------------------------------------------- scheduler / dupefilter
class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's fingerprint set, keyed with Scrapy's request fingerprinter."""

    def __init__(self, server, key, debug=False, fingerprinter=None):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    @classmethod
    def from_crawler(cls, crawler):  # standalone use (with Scrapy's own scheduler)
        s = crawler.settings
        key = s.get("SCHEDULER_DUPEFILTER_KEY") or defaults.SCHEDULER_DUPEFILTER_KEY
        return cls(redis_client(redis_url(s) or s.get("REDIS_URL")),
                   key % {"spider": crawler.spidercls.name}, s.getbool("DUPEFILTER_DEBUG"),
                   crawler.request_fingerprinter)

    def request_fingerprint(self, request) -> str:
        fp = self.fingerprinter.fingerprint(request).hex() if self.fingerprinter else \
            super().request_fingerprint(request)
        return ("r:" + fp) if request.dont_filter else fp

    def close(self, reason=""):
        pass  # the set belongs to the run, not to one worker (Coordinator deletes it)


def filtered(request) -> bool:
    """Whether the run's fingerprint set decides about this request (retries/redirects pass)."""
    if not request.dont_filter:
        return True
    return "retry_times" not in request.meta and "redirect_times" not in request.meta


class RedisScheduler(Scheduler):
    """scrapy_redis.scheduler.Scheduler for Scrapy 2.19: no deprecated calls, persistent frontier."""

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        url = redis_url(s) or s.get("REDIS_URL")
        if not url:
            raise NotConfigured("RedisScheduler needs GOVREPORTS_REDIS_URL")
        server = redis_client(url)
        server.ping()
        serializer = s.get("SCHEDULER_SERIALIZER")
        inst = cls(server=server, persist=True, flush_on_start=False,
                   queue_key=s.get("SCHEDULER_QUEUE_KEY") or defaults.SCHEDULER_QUEUE_KEY,
                   queue_cls=s.get("SCHEDULER_QUEUE_CLASS") or defaults.SCHEDULER_QUEUE_CLASS,
                   dupefilter_key=s.get("SCHEDULER_DUPEFILTER_KEY") or defaults.SCHEDULER_DUPEFILTER_KEY,
                   serializer=importlib.import_module(serializer) if isinstance(serializer, str) else serializer)
        inst.stats = crawler.stats
        inst.crawler = crawler
        inst.prefetch = s.getint("GOVREPORTS_REDIS_PREFETCH", 4)
        return inst

    def open(self, spider):
        self.spider = spider
        name = {"spider": spider.name}
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider,
                                                 key=self.queue_key % name, serializer=self.serializer)
        self.df = RedisDupeFilter(self.server, self.dupefilter_key % name,
                                  self.crawler.settings.getbool("DUPEFILTER_DEBUG"),
                                  self.crawler.request_fingerprinter)
        self.coordinator = coordinator_for(self.crawler)
        if isinstance(self.queue, LeasedPriorityQueue) and self.coordinator is not None:
            self.queue.bind_worker(self.coordinator.worker_id)
            self.queue.release_all()  # a previous life of this worker id was killed holding these
            self.coordinator.queue = self.queue
        n = len(self.queue)
        if n:
            logger.info("Joining/resuming a distributed crawl: %d request(s) waiting in Redis (%s)",
                        n, self.queue.key)

    def close(self, reason):
        pass  # the frontier is shared: never flushed by one worker

    def enqueue_request(self, request):
        if filtered(request) and self.df.request_seen(request):
            self.df.log(request, self.spider)
            self.stats.inc_value("scheduler/filtered/redis")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def _waiting(self) -> int:
        """Requests this worker holds but is not transferring (middlewares, politeness delays)."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return 0
        moving = sum(len(getattr(slot, "transferring", ())) for slot in downloader.slots.values())
        return len(downloader.active) - moving

    def next_request(self):
        if self.prefetch > 0 and self._waiting() >= self.prefetch:
            return None  # leave the rest of the frontier to the other workers for now
        c = self.coordinator
        flipped = False
        if c is not None and c.state == "idle":
            if not len(self.queue):
                return None
            c.set_state("busy")  # before the pop: a popped request always has a busy owner
            flipped = True
        request = self.queue.pop(0)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        elif flipped:
            c.set_state("idle")
        return request


# ---------------------------------------------------------------------- run coordination
class Coordinator:
    """Busy/idle registry of the workers; decides when the distributed run is over."""

    def __init__(self, crawler):
        s = crawler.settings
        url = redis_url(s)
        if not url:
            raise NotConfigured
        self.crawler = crawler
        self.server = redis_client(url)
        self.worker_id = s.get("GOVREPORTS_WORKER_ID") or default_worker_id()
        self.ttl = s.getint("GOVREPORTS_WORKER_TTL", 30)
        self.state = "busy"
        self.finished = False
        self._loop = None
        self.queue = None  # the LeasedPriorityQueue, bound by RedisScheduler.open
        self._script = self.server.register_script(IDLE_CHECK)
        _COORDINATORS[crawler] = self
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        s, name = self.crawler.settings, {"spider": spider.name}
        self.queue_key = (s.get("SCHEDULER_QUEUE_KEY") or defaults.SCHEDULER_QUEUE_KEY) % name
        self.df_key = (s.get("SCHEDULER_DUPEFILTER_KEY") or defaults.SCHEDULER_DUPEFILTER_KEY) % name
        self.workers_key, self.worker_prefix = WORKERS_KEY % name, WORKER_KEY % name
        self.lock_key = EXPORT_LOCK_KEY % name
        self.lease_prefix, self.lease_seq_key = LEASES_KEY % name, LEASE_SEQ_KEY % name
        self.set_state("busy")
        self._loop = task.LoopingCall(self.heartbeat)
        self._loop.start(max(1.0, self.ttl / 6), now=False)
        logger.info("Distributed worker %s joined (Redis frontier %s)", self.worker_id, self.queue_key)

    def set_state(self, state: str) -> None:
        self.state = state
        pipe = self.server.pipeline(transaction=True)
        pipe.set(self.worker_prefix + self.worker_id, state, ex=self.ttl)
        pipe.sadd(self.workers_key, self.worker_id)
        pipe.execute()

    def heartbeat(self):
        try:
            self.set_state(self.state)
            self.acknowledge()
        except redis.RedisError as exc:
            logger.warning("Redis heartbeat failed: %s", exc)

    def acknowledge(self) -> None:
        """Acknowledge the leases of requests the engine has finished with (crawler/leases.py)."""
        if self.queue is None:
            return
        slot = getattr(self.crawler.engine, "_slot", None)  # Scrapy's in-progress set (2.x engine)
        n = self.queue.acknowledge(slot.inprogress if slot is not None else ())
        if n:
            self.crawler.stats.inc_value("govreports/distributed/leases_acknowledged", n)

    def spider_idle(self, spider):
        from crawler.state import store_for
        store_for(self.crawler).commit()  # every write of this worker is visible before it idles
        self.acknowledge()
        reasons = self._script(keys=[self.queue_key, self.workers_key],
                               args=[self.worker_prefix, self.worker_id, self.ttl, self.lease_prefix])
        self.state = "idle"
        if reasons:
            self.crawler.stats.inc_value("govreports/distributed/idle_waits")
            logger.debug("idle, but the run goes on: %s", [r.decode() for r in reasons])
            raise DontCloseSpider
        self.finished = True
        logger.info("Distributed run finished: frontier empty and every worker idle")

    def spider_closed(self, spider, reason):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.queue is not None:
            self.acknowledge()
            self.queue.release_all()  # requests this worker took but never finished go back
        pipe = self.server.pipeline(transaction=True)
        pipe.delete(self.worker_prefix + self.worker_id)
        pipe.srem(self.workers_key, self.worker_id)
        if self.finished:  # the run is over for everyone: the next run starts afresh
            pipe.delete(self.queue_key, self.df_key, self.lease_seq_key)
        pipe.execute()
        self.crawler.stats.set_value("govreports/distributed/worker", self.worker_id)
        self.crawler.stats.set_value("govreports/distributed/run_finished", self.finished)

    async def export_lock(self):
        lock = self.server.lock(self.lock_key, timeout=600)
        while not lock.acquire(blocking=False):
            await asyncio.sleep(0.2)
        return lock


# ---------------------------------------------------------------------- export once across workers
class DistributedDedupPipeline(DedupPipeline):
    """DedupPipeline on a shared store: hold on early stop, export under a Redis lock."""

    COMMIT_EVERY = 1  # other workers see each held report (and its URLs) at once

    def __init__(self, crawler):
        super().__init__(crawler)
        self._lock = None

    def hold_reason(self) -> str | None:
        coord = coordinator_for(self.crawler)
        if coord is not None and not coord.finished:
            return ("Worker stopped before the distributed run finished: %d held report(s) stay "
                    "in Redis; the workers that finish the run export them")
        return super().hold_reason()

    async def begin_export(self) -> None:
        coord = coordinator_for(self.crawler)
        if coord is not None:
            self._lock = await coord.export_lock()

    def end_export(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


# ---------------------------------------------------------------------- the switch
def _set(settings, name: str, value, force: bool = True) -> None:
    """Set over the project's value (force=False: keep a value given on the command line)."""
    prio = settings.getpriority(name) or 0
    if not force and prio > SETTINGS_PRIORITIES["project"]:
        return
    settings.set(name, value, priority=max(prio, SETTINGS_PRIORITIES["project"]))


def _with_worker(uri: str, worker: str) -> str:
    root, ext = os.path.splitext(uri)
    return f"{root}-{worker}{ext}"


class DistributedAddon:
    """``ADDONS = {"crawler.distributed.DistributedAddon": 50, …}`` (before FeedsAddon)."""

    def update_settings(self, settings) -> None:
        url = redis_url(settings)
        if not url:
            return
        if _MISSING is not None:
            raise RuntimeError(f"GOVREPORTS_REDIS_URL is set but the distributed mode needs scrapy-redis and "
                                f"redis-py (pip install -e '.[distributed]'): {_MISSING}")
        worker = settings.get("GOVREPORTS_WORKER_ID") or default_worker_id()
        _set(settings, "GOVREPORTS_REDIS_URL", url)
        _set(settings, "GOVREPORTS_WORKER_ID", worker)
        _set(settings, "REDIS_URL", url)
        _set(settings, "SCHEDULER", "crawler.distributed.RedisScheduler")
        _set(settings, "DUPEFILTER_CLASS", "crawler.distributed.RedisDupeFilter")
        _set(settings, "SCHEDULER_PERSIST", True)
        _set(settings, "SCHEDULER_QUEUE_CLASS", "crawler.leases.LeasedPriorityQueue", force=False)
        _set(settings, "GOVREPORTS_STATE_CLASS", "crawler.state_redis.RedisStateStore", force=False)
        mws = settings.getdict("DOWNLOADER_MIDDLEWARES")  # one delay per site across workers
        mws.setdefault("crawler.shared_politeness.SharedPolitenessMiddleware", 950)
        _set(settings, "DOWNLOADER_MIDDLEWARES", mws)
        ext = settings.getdict("EXTENSIONS")
        ext["crawler.distributed.Coordinator"] = 0
        ext["crawler.merge.MergeAtEnd"] = 600  # the last worker merges the run's outputs
        _set(settings, "EXTENSIONS", ext)
        storages = settings.getdict("FEED_STORAGES")
        for scheme in ("", "file"):
            storages.setdefault(scheme, "crawler.exporters.UnbufferedFileFeedStorage")
        _set(settings, "FEED_STORAGES", storages)
        pipes = settings.getdict("ITEM_PIPELINES")
        if pipes.get(DEDUP) is not None:
            pipes[DIST_DEDUP] = pipes.pop(DEDUP)
            _set(settings, "ITEM_PIPELINES", pipes)
        out = settings.get("GOVREPORTS_OUTPUT_DIR") or "output"
        _set(settings, "GOVREPORTS_OUTPUT_DIR", os.path.join(out, worker))
        feeds = settings.getdict("FEEDS")
        if feeds:  # -o/-O given: each worker writes its own copy of each file
            _set(settings, "FEEDS", {_with_worker(str(k), worker) if "://" not in str(k) or
                                     str(k).startswith("file://") else k: v for k, v in feeds.items()})
        if settings.get("JOBDIR"):
            logger.warning("JOBDIR does not apply to a distributed crawl: the frontier lives in Redis")


if __name__ == "__main__":  # the operator CLI lives in crawler/distributed_cli.py
    from crawler.distributed_cli import main
    raise SystemExit(main())
