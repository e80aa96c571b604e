"""Leases on requests taken from the shared Redis frontier, so a killed worker loses nothing.

scrapy-redis's `PriorityQueue` pops a request by deleting it from the frontier zset: a worker
killed before it handled the request (SIGKILL, OOM, power cut) loses it, and everything reachable
only through it, while the run's fingerprint set says it was seen. `LeasedPriorityQueue` (a
subclass, same keys and serialisation) pops with a Lua script that atomically moves the request
into the worker's lease hash ``<spider>:leases:<worker>`` (field = lease id, value =
``<score>|<payload>``, so the priority survives).

A lease is acknowledged (HDEL) once the engine no longer has the request in progress: Scrapy
removes a request from its in-progress set only after the callback/errback output has been handled
(child requests pushed to Redis, items through the pipelines — the distributed dedup pipeline
commits held reports to Redis per item). A retry or redirect is a new request pushed to the
frontier first, so acknowledging the original then is safe.

Leases of a worker whose heartbeat key (``<spider>:worker:<id>``, TTL) expired go back to the
frontier in the same Lua script that forgets the worker (`IDLE_CHECK`): atomic, so two workers
reclaiming at once move each request exactly once. A worker that restarts under the same id puts
its previous life's leases back when it opens.
"""
from __future__ import annotations

import logging

from scrapy_redis.queue import PriorityQueue

logger = logging.getLogger(__name__)

LEASES_KEY = "%(spider)s:leases:"
LEASE_SEQ_KEY = "%(spider)s:lease-seq"

# KEYS: frontier zset, this worker's lease hash, lease sequence. Returns {lease id, payload} or nil.
_POP = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
local id = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], id, top[2] .. '|' .. top[1])
return {id, top[1]}
"""

# Lua helper shared by the scripts below: move one lease hash back into the frontier.
_RETURN_LEASES = """
local function return_leases(frontier, hash)
  local all = redis.call('HGETALL', hash)
  local n = 0
  for i = 2, #all, 2 do
    local v = all[i]
    local p = string.find(v, '|', 1, true)
    redis.call('ZADD', frontier, tonumber(string.sub(v, 1, p - 1)), string.sub(v, p + 1))
    n = n + 1
  end
  redis.call('DEL', hash)
  return n
end
"""

# KEYS: frontier, lease hash. Returns how many requests went back.
_RELEASE = _RETURN_LEASES + "return return_leases(KEYS[1], KEYS[2])"

# KEYS: frontier zset, workers set. ARGV: worker key prefix, this worker's id, TTL, lease prefix.
# Marks this worker idle; a worker whose key expired (killed) is forgotten and its leases go back
# to the frontier. Returns why the run is not over ('<frontier>', busy workers) or nothing.
IDLE_CHECK = _RETURN_LEASES + """
redis.call('SET', ARGV[1] .. ARGV[2], 'idle', 'EX', tonumber(ARGV[3]))
redis.call('SADD', KEYS[2], ARGV[2])
local busy = {}
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local s = redis.call('GET', ARGV[1] .. w)
  if not s then
    return_leases(KEYS[1], ARGV[4] .. w)
    redis.call('SREM', KEYS[2], w)
  elseif s ~= 'idle' then table.insert(busy, w) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then table.insert(busy, 1, '<frontier>') end
return busy
"""


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop leases the request to this worker."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.lease_prefix = LEASES_KEY % {"spider": spider.name}
        self.seq_key = LEASE_SEQ_KEY % {"spider": spider.name}
        self.held: dict[bytes, object] = {}  # lease id -> the Request object the engine handles
        self._pop = server.register_script(_POP)
        self._release = server.register_script(_RELEASE)
        self.bind_worker("worker")

    def bind_worker(self, worker_id: str) -> None:
        """Lease to this worker id (the Coordinator's); its previous life's leases go back first."""
        self.worker_id = worker_id
        self.leases_key = self.lease_prefix + worker_id

    def pop(self, timeout=0):
        got = self._pop(keys=[self.key, self.leases_key, self.seq_key])
        if not got:
            return None
        lease, data = got
        request = self._decode_request(data)
        self.held[lease] = request
        return request

    def acknowledge(self, in_progress) -> int:
        """Acknowledge every held request the engine has finished with; returns how many."""
        done = [lease for lease, req in self.held.items() if req not in in_progress]
        if done:
            self.server.hdel(self.leases_key, *done)
            for lease in done:
                del self.held[lease]
        return len(done)

    def release_all(self) -> int:
        """Put this worker's unacknowledged leases back into the frontier (at open: a previous
        life's; at close: requests the engine never finished)."""
        self.held.clear()
        n = int(self._release(keys=[self.key, self.leases_key]) or 0)
        if n:
            logger.info("%d leased request(s) of worker %s returned to the frontier", n, self.worker_id)
        return n

    def pending(self) -> int:
        return self.server.hlen(self.leases_key)
