"""Crawl state that outlives a run: what was exported, which URLs are known, last run per portal.

One small interface, `StateStore`: a namespaced key → JSON value map with explicit commits.
`SqliteStateStore` (the default) keeps it in ``<GOVREPORTS_STATE_DIR>/state.sqlite3``; the
distributed mode's Redis store (crawler/state_redis.py) implements the same methods (a hash per
namespace, MULTI/EXEC on `commit`). Select the class with ``GOVREPORTS_STATE_CLASS``.

Namespaces used by the project (see crawler/dedup/ for who writes what, and when):

- ``key``      identity key (identity.key_string) → record_id, so copies keep one id across runs
- ``ident``    record_id → the report's merged identity (索引号, issuer, year, county, sites) that
               later copies are checked against (the conflict rule, crawler/identity.py), and its keys
- ``contested`` identity keys shared by reports kept apart (a template body): they join nothing
- ``deferred`` document URL → a report naming no issuer of its own, bound when the spider closes
- ``buffer``   record_id → best record of this run so far + the other URLs (held until export)
- ``exported`` record_id → {data_hash, content_sha1, quality, urls, exported_at}
- ``url``      URL → {kind: report|buffered|rejected, record_id, seen_at}; the skip middleware reads it
- ``portal``   portal start URL → counts of its last finished run (for the run summary)

All component instances of one crawler share one store: use `store_for(crawler)`.
"""
from __future__ import annotations

import json
import os
import sqlite3
import weakref
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

from scrapy import signals
from scrapy.utils.misc import load_object

DEFAULT_STATE_DIR = "state"


class StateStore(ABC):
    """Namespaced key → JSON-serialisable value store with explicit transactions."""

    @abstractmethod
    def get(self, ns: str, key: str) -> Any | None: ...

    @abstractmethod
    def put(self, ns: str, key: str, value: Any) -> None: ...

    @abstractmethod
    def delete(self, ns: str, key: str) -> None: ...

    @abstractmethod
    def items(self, ns: str) -> Iterator[tuple[str, Any]]: ...

    @abstractmethod
    def commit(self) -> None:
        """Make every write since the last commit durable, atomically."""

    @abstractmethod
    def rollback(self) -> None:
        """Forget every write since the last commit."""

    @abstractmethod
    def close(self) -> None: ...

    def count(self, ns: str) -> int:
        return sum(1 for _ in self.items(ns))

    def has(self, ns: str, key: str) -> bool:
        """``get(ns, key) is not None``, without decoding the value where the store can."""
        return self.get(ns, key) is not None

    def keys(self, ns: str) -> Iterator[str]:
        """The keys of `ns`, in key order (a store may skip reading the values)."""
        for key, _ in self.items(ns):
            yield key

    def fields(self, ns: str, *paths: tuple[str, ...]) -> Iterator[tuple[str, list]]:
        """(key, [the value at each path]) for every entry of `ns`, in key order: a path is a tuple
        of object keys into the stored value, None where it leads nowhere. Only these values are
        needed (a store may extract them without decoding whole values)."""
        for key, value in self.items(ns):
            yield key, [_at(value, path) for path in paths]

    def clear(self, ns: str) -> None:
        for key, _ in list(self.items(ns)):
            self.delete(ns, key)


class SqliteStateStore(StateStore):
    """The default store: one SQLite file, WAL mode, a single table ``kv(ns, k, v)``."""

    def __init__(self, path: str):
        self.path = path
        self._lock = None
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self._lock = _exclusive_lock(path + ".lock")
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # a 4 MiB page cache (default 2 MiB): the buffer holds whole records, and a small cache
        # spills and re-reads their pages within each transaction. 32 MiB was no faster on the
        # crawl benchmark and cost 30 MB of RSS (benchmarks/README.md, crawl benchmark; issue 15)
        self.db.execute("PRAGMA cache_size=-4096")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS kv (ns TEXT NOT NULL, k TEXT NOT NULL, v TEXT NOT NULL,"
            " PRIMARY KEY (ns, k)) WITHOUT ROWID"
        )
        self.db.commit()

    @classmethod
    def from_settings(cls, settings) -> SqliteStateStore:
        state_dir = settings.get("GOVREPORTS_STATE_DIR") or DEFAULT_STATE_DIR
        return cls(os.path.join(state_dir, "state.sqlite3"))

    def get(self, ns, key):
        row = self.db.execute("SELECT v FROM kv WHERE ns=? AND k=?", (ns, key)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, ns, key, value):
        self.db.execute("INSERT OR REPLACE INTO kv (ns, k, v) VALUES (?, ?, ?)",
                        (ns, key, json.dumps(value, ensure_ascii=False, default=str)))

    def delete(self, ns, key):
        self.db.execute("DELETE FROM kv WHERE ns=? AND k=?", (ns, key))

    def items(self, ns):
        # streamed, not fetched at once (the buffer may be large): don't write `ns` while iterating
        for k, v in self.db.cursor().execute("SELECT k, v FROM kv WHERE ns=? ORDER BY k", (ns,)):
            yield k, json.loads(v)

    def has(self, ns, key):
        # json.dumps(None) is the one stored text that `get` returns as None
        row = self.db.execute("SELECT v = 'null' FROM kv WHERE ns=? AND k=?", (ns, key)).fetchone()
        return row is not None and not row[0]

    def keys(self, ns):
        for (k,) in self.db.cursor().execute("SELECT k FROM kv WHERE ns=? ORDER BY k", (ns,)):
            yield k

    def fields(self, ns, *paths):
        """SQLite's json_extract picks the values out of the stored JSON text (several times faster
        than decoding whole records in Python); its result is JSON text again, so the values are
        those `json.loads` of the whole value gives. Values SQLite cannot read (NaN, Infinity, which
        Python's json writes) and unusual paths fall back to decoding every value."""
        if not paths or not all(path and all(isinstance(step, str) and step.isidentifier() for step in path)
                                for path in paths):
            yield from StateStore.fields(self, ns, *paths)
            return
        json_paths = ["$" + "".join(f".{step}" for step in path) for path in paths]
        if len(json_paths) == 1:   # one path returns an SQL value (the JSON type lost); two, a JSON array
            json_paths.append(json_paths[0])
        sql = f"SELECT k, json_extract(v, {', '.join('?' * len(json_paths))}) FROM kv WHERE ns=? ORDER BY k"
        try:
            rows = self.db.execute(sql, (*json_paths, ns)).fetchall()
        except sqlite3.OperationalError:   # malformed JSON for SQLite (NaN), or no JSON functions
            rows = None
        if rows is None:
            yield from StateStore.fields(self, ns, *paths)
            return
        for k, found in rows:
            yield k, json.loads(found)[:len(paths)]

    def count(self, ns):
        return self.db.execute("SELECT COUNT(*) FROM kv WHERE ns=?", (ns,)).fetchone()[0]

    def clear(self, ns):
        self.db.execute("DELETE FROM kv WHERE ns=?", (ns,))

    def commit(self):
        self.db.commit()

    def rollback(self):
        self.db.rollback()

    def close(self):
        try:
            self.db.commit()
        finally:
            self.db.close()
            if self._lock is not None:
                self._lock.close()  # releases the flock
                self._lock = None


def _at(value: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value


def _exclusive_lock(path: str):
    """One crawl per state directory: two runs sharing a buffer would export each other's reports
    (e.g. a weekly cron run still going when the next one starts)."""
    f = open(path, "a+")
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return f
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise RuntimeError(f"another crawl is using the state store {path[:-5]} (lock held); "
                           "wait for it to finish or give this run its own GOVREPORTS_STATE_DIR") from None
    return f


_STORES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def store_for(crawler) -> StateStore:
    """The crawler's one store (created on first use from GOVREPORTS_STATE_CLASS)."""
    store = _STORES.get(crawler)
    if store is None:
        cls = load_object(crawler.settings.get("GOVREPORTS_STATE_CLASS") or SqliteStateStore)
        store = _STORES[crawler] = cls.from_settings(crawler.settings)
        crawler.signals.connect(_closer(crawler), signal=signals.engine_stopped, weak=False)
    return store


def _closer(crawler):
    ref = weakref.ref(crawler)

    def close(*args, **kwargs):
        c = ref()
        if c is not None:
            release_store(c)
    return close


def release_store(crawler) -> None:
    store = _STORES.pop(crawler, None)
    if store is not None:
        store.close()


_TRUE = {"1", "true", "yes", "on"}


def full_export_requested(crawler) -> bool:
    """``-s GOVREPORTS_FULL_EXPORT=1`` or ``-a full=1``: fetch and export everything again."""
    if crawler.settings.getbool("GOVREPORTS_FULL_EXPORT"):
        return True
    spider = getattr(crawler, "spider", None)
    return str(getattr(spider, "full", "")).strip().lower() in _TRUE


def main(argv=None) -> int:
    """``python -m crawler.state [--dir state] stats | forget URL… | pending``

    stats   how many entries each namespace holds (exported reports, known URLs, held reports …)
    forget  drop URLs from the store so the next run fetches (and judges) them again
    pending list the reports held by an interrupted run (exported by the next finished run)
    Never while a crawl is using the directory (the store is locked then).
    """
    import argparse
    ap = argparse.ArgumentParser(prog="python -m crawler.state", description=main.__doc__.splitlines()[0])
    ap.add_argument("--dir", default=os.environ.get("GOVREPORTS_STATE_DIR", DEFAULT_STATE_DIR))
    ap.add_argument("action", choices=["stats", "forget", "pending"])
    ap.add_argument("urls", nargs="*")
    args = ap.parse_args(argv)
    store = SqliteStateStore(os.path.join(args.dir, "state.sqlite3"))
    try:
        if args.action == "stats":
            for ns in ("exported", "url", "key", "ident", "contested", "buffer", "deferred", "alias", "portal"):
                print(f"{ns:9} {store.count(ns)}")
        elif args.action == "pending":
            for rid, entry in store.items("buffer"):
                rec = entry["record"]
                print(rid, rec.get("status"), rec.get("organ"), rec.get("report_year"), rec.get("document_url"))
            for url, entry in store.items("deferred"):  # bound (given an id) when a run finishes
                print("-", entry["record"].get("status"), None, entry["record"].get("report_year"), url)
        else:
            for url in args.urls:
                known = store.get("url", url)
                store.delete("url", url)
                print(("forgot " if known else "unknown ") + url)
            store.commit()
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
