"""`RedisStateStore`: the crawl state (crawler/state.py) on Redis, shared by distributed workers.

Same interface and semantics as `SqliteStateStore`: one Redis hash per namespace
(``<prefix>:<ns>``, prefix ``GOVREPORTS_REDIS_STATE_PREFIX``, default ``govreports:state``),
values stored as JSON. Writes are buffered in the process until `commit()`, which applies them
in one MULTI/EXEC transaction (all or nothing, in order); `rollback()` forgets them. Reads see the
process's own uncommitted writes (like a SQLite connection inside its transaction) over the
committed state of every worker. `close()` commits, as the SQLite store does.

Select it with ``GOVREPORTS_STATE_CLASS = "crawler.state_redis.RedisStateStore"`` and
``GOVREPORTS_REDIS_URL = "redis://host:6379/0"`` (the distributed add-on sets both).
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from crawler.state import StateStore

DEFAULT_PREFIX = "govreports:state"


def redis_url(settings) -> str | None:
    """GOVREPORTS_REDIS_URL from the settings, else from the environment."""
    return (settings.get("GOVREPORTS_REDIS_URL") if settings is not None else None) \
        or os.environ.get("GOVREPORTS_REDIS_URL") or None


class RedisStateStore(StateStore):
    BATCH = 200

    def __init__(self, url: str, prefix: str = DEFAULT_PREFIX, client=None):
        self.url = url
        self.prefix = prefix
        if client is None:
            import redis  # the `distributed` extra
            client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=30, socket_connect_timeout=30)
        self.r = client
        self._ops: list[tuple] = []       # ("put", ns, key, raw) | ("del", ns, key) | ("clear", ns)
        self._view: dict[str, dict] = {}  # ns -> {"cleared": bool, "keys": {key: raw | None}}

    @classmethod
    def from_settings(cls, settings) -> RedisStateStore:
        url = redis_url(settings)
        if not url:
            raise ValueError("RedisStateStore needs GOVREPORTS_REDIS_URL (setting or environment variable)")
        return cls(url, settings.get("GOVREPORTS_REDIS_STATE_PREFIX") or DEFAULT_PREFIX)

    def _key(self, ns: str) -> str:
        return f"{self.prefix}:{ns}"

    def _pending(self, ns: str) -> dict:
        return self._view.setdefault(ns, {"cleared": False, "keys": {}})

    # ------------------------------------------------------------------ reads
    def get(self, ns: str, key: str) -> Any | None:
        view = self._view.get(ns)
        if view is not None:
            if key in view["keys"]:
                raw = view["keys"][key]
                return None if raw is None else json.loads(raw)
            if view["cleared"]:
                return None
        raw = self.r.hget(self._key(ns), key)
        return None if raw is None else json.loads(raw)

    def items(self, ns: str) -> Iterator[tuple[str, Any]]:
        """In key order, values fetched in batches (the buffer namespace holds whole records)."""
        view = self._view.get(ns) or {"cleared": False, "keys": {}}
        pending = view["keys"]
        committed = set() if view["cleared"] else {k.decode() if isinstance(k, bytes) else k
                                                  for k in self.r.hkeys(self._key(ns))}
        keys = sorted((committed | set(pending)) - {k for k, raw in pending.items() if raw is None})
        for i in range(0, len(keys), self.BATCH):
            batch = keys[i:i + self.BATCH]
            fetch = [k for k in batch if k not in pending]
            raws = dict(zip(fetch, self.r.hmget(self._key(ns), fetch))) if fetch else {}
            for k in batch:
                raw = pending[k] if k in pending else raws.get(k)
                if raw is not None:  # deleted by another worker meanwhile
                    yield k, json.loads(raw)

    def count(self, ns: str) -> int:
        view = self._view.get(ns)
        if view is None:
            return self.r.hlen(self._key(ns))
        committed = set() if view["cleared"] else set(self.r.hkeys(self._key(ns)))
        keys = committed | set(view["keys"])
        return len(keys - {k for k, raw in view["keys"].items() if raw is None})

    # ------------------------------------------------------------------ buffered writes
    def put(self, ns: str, key: str, value: Any) -> None:
        raw = json.dumps(value, ensure_ascii=False, default=str)
        self._ops.append(("put", ns, key, raw))
        self._pending(ns)["keys"][key] = raw

    def delete(self, ns: str, key: str) -> None:
        self._ops.append(("del", ns, key))
        self._pending(ns)["keys"][key] = None

    def clear(self, ns: str) -> None:
        self._ops.append(("clear", ns))
        self._view[ns] = {"cleared": True, "keys": {}}

    def commit(self) -> None:
        """Apply the buffered writes in one MULTI/EXEC transaction."""
        if not self._ops:
            return
        pipe = self.r.pipeline(transaction=True)
        for op in self._ops:
            if op[0] == "put":
                pipe.hset(self._key(op[1]), op[2], op[3])
            elif op[0] == "del":
                pipe.hdel(self._key(op[1]), op[2])
            else:
                pipe.delete(self._key(op[1]))
        pipe.execute()
        self._ops.clear()
        self._view.clear()

    def rollback(self) -> None:
        self._ops.clear()
        self._view.clear()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.r.close()
