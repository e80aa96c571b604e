"""Crash-safe JOBDIR runs: a hard kill (SIGKILL, OOM, power loss) never makes a rerun skip work.

Scrapy's JOBDIR keeps two files that only agree after a clean close: ``requests.seen`` grows
while the crawl runs, but the disk queue's index (``requests.queue/active.json``) is written at
close. After a hard kill the seen-set names requests that no queue holds any more, and a rerun
would drop them as duplicates. `CrashSafeScheduler` keeps a marker file in JOBDIR for as long as
a run is live and removes it only after a clean close. A run that finds the marker knows the
previous run died, discards both files and re-derives the pending work by crawling again from
the start pages: navigation and list pages are always re-crawlable, report pages held in the
state store's merge buffer are fetched again (crawler/middlewares.py: their attachments may not
have been fetched) and merge onto the same record, attachments already held are skipped.

Reports are exported once, at the end of a finished run (crawler/dedup, DedupPipeline).
A run killed *while writing its feeds* may have written part of them before the state store
recorded them as exported: the rerun cannot promise "exactly once" then, so it says so and
exits non-zero unless ``GOVREPORTS_ACCEPT_UNCLEAN_EXPORT=1`` (e.g. after deleting those files).
A paused run (one SIGTERM) leaves the marker in phase "paused" with the number of reports it
held; a resume whose state store holds fewer (another GOVREPORTS_STATE_DIR, a deleted store) is
refused the same way, since Scrapy's seen-set would skip those reports' pages for good.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.core.scheduler import Scheduler
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)

MARKER = "run-in-progress.json"
CLEAN_REASONS = frozenset({"finished", "shutdown", "cancelled"})


class UncleanExport(RuntimeError):
    """The previous run died while writing its feeds: exactly-once cannot be guaranteed."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RunMarker:
    """JOBDIR/run-in-progress.json: present while a run is live (or after it died)."""

    def __init__(self, jobdir: str):
        self.path = Path(jobdir, MARKER)
        self.previous = self._read()
        self.state = {"pid": os.getpid(), "started_at": _now(), "phase": "crawling"}

    def _read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"phase": "unknown"}  # a torn write: the run still died

    def write(self, **changes) -> None:
        self.state.update(changes)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            json.dump(self.state, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def recover(jobdir: str, previous: dict, accept_unclean_export: bool) -> None:
    """Make JOBDIR consistent after a run that died; raise when exactly-once cannot be promised."""
    if previous.get("phase") == "exporting" and not accept_unclean_export:
        raise UncleanExport(
            f"JOBDIR {jobdir}: the run started at {previous.get('started_at')} was killed while writing "
            f"its feeds ({', '.join(previous.get('feeds') or []) or 'see output/'}); those files may hold "
            "reports this run would export again. Delete them and rerun with "
            "-s GOVREPORTS_ACCEPT_UNCLEAN_EXPORT=1 (or keep them and dedupe by record_id).")
    for name in ("requests.seen", "requests.queue"):
        target = Path(jobdir, name)
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    logger.warning("JOBDIR %s: the previous run (pid %s, started %s) did not stop cleanly; its request "
                   "queue and seen-set are discarded and the pending work is re-derived by crawling "
                   "again (reports already held in the state store are merged, not duplicated)",
                   jobdir, previous.get("pid"), previous.get("started_at"))


def preflight(settings) -> None:
    """Before anything starts (crawler/commands/crawl.py): refuse, with one line (InputError), a
    rerun that cannot promise every report exactly once: the previous run died while writing its
    feeds, or it was paused with reports held in a state store this run does not have (its
    seen-set would skip their pages for good)."""
    from crawler.spiders.inputs import InputError
    jobdir = job_dir(settings)
    previous = RunMarker(jobdir).previous if jobdir else None
    if not previous:
        return
    if previous.get("phase") == "exporting" and not settings.getbool("GOVREPORTS_ACCEPT_UNCLEAN_EXPORT"):
        try:
            recover(jobdir, previous, False)
        except UncleanExport as exc:
            raise InputError(str(exc)) from None
    if previous.get("phase") == "paused" and previous.get("held"):
        have = _held_in_store(settings)
        if have < previous["held"]:
            raise InputError(
                f"JOBDIR {jobdir} was paused with {previous['held']} report(s) held in the state store "
                f"{previous.get('state_dir')}, but this run's store holds {have}: resuming would skip their "
                "pages for good. Point GOVREPORTS_STATE_DIR at the paused run's store, or delete the JOBDIR "
                "to crawl afresh.")


def _held_in_store(settings) -> int:
    from scrapy.utils.misc import load_object
    from crawler.state import SqliteStateStore
    store = load_object(settings.get("GOVREPORTS_STATE_CLASS") or SqliteStateStore).from_settings(settings)
    try:
        return store.count("buffer") + store.count("deferred")
    finally:
        store.close()


class CrashSafeScheduler(Scheduler):
    """Scrapy's scheduler plus the run marker (no JOBDIR: exactly Scrapy's scheduler)."""

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = job_dir(crawler.settings)
        if jobdir:
            marker = RunMarker(jobdir)
            if marker.previous is not None and marker.previous.get("phase") != "paused":
                try:
                    recover(jobdir, marker.previous,
                            crawler.settings.getbool("GOVREPORTS_ACCEPT_UNCLEAN_EXPORT"))
                except UncleanExport as exc:
                    logger.error("%s", exc)
                    raise
                crawler.stats.set_value("govreports/recovered_unclean_stop", 1)
            marker.write()
            _watch(crawler, marker)
        return super().from_crawler(crawler)


def _watch(crawler, marker: RunMarker) -> None:
    """Phase 'exporting' from the first exported report on; marker removed after a clean close."""
    closed = {}

    def on_item_scraped(item, response, **kw):
        # DedupPipeline sends the merged reports at close with response=None
        if response is None and marker.state["phase"] != "exporting":
            marker.write(phase="exporting", feeds=_feed_uris(crawler))
            logger.info("JOBDIR marker: exporting to %s (a kill from here on makes the rerun refuse)",
                        ", ".join(marker.state["feeds"]) or "the feeds")

    def on_spider_closed(spider, reason, **kw):
        closed["reason"] = reason

    def on_engine_stopped(**kw):
        reason = str(closed.get("reason", ""))
        if reason == "shutdown":  # a pause: the resumed run needs the reports held in the state store
            marker.write(phase="paused", held=crawler.stats.get_value("govreports/held_for_resume", 0),
                         state_dir=os.path.abspath(crawler.settings.get("GOVREPORTS_STATE_DIR") or "state"))
        elif reason in CLEAN_REASONS or reason.startswith("closespider"):
            marker.clear()

    crawler.signals.connect(on_item_scraped, signal=signals.item_scraped, weak=False)
    crawler.signals.connect(on_spider_closed, signal=signals.spider_closed, weak=False)
    crawler.signals.connect(on_engine_stopped, signal=signals.engine_stopped, weak=False)


def _feed_uris(crawler) -> list[str]:
    exporter = next((e for e in crawler.extensions.middlewares if type(e).__name__ == "FeedExporter"), None)
    slots = getattr(exporter, "slots", None) or []
    return [str(getattr(s, "uri", "")) for s in slots if getattr(s, "uri", None)]
