"""One politeness budget per site across all distributed workers.

Scrapy's download delay and AutoThrottle live in each process: N workers would hit one county
server N times as often. `SharedPolitenessMiddleware` (a downloader middleware the distributed
add-on switches on) reserves each request's start time on a per-download-slot timeline kept in
Redis (``govreports:polite:<slot key>``): a Lua script reads Redis's own clock, takes the later
of now and the slot's next free time, and moves the next free time on by the slot's delay. The
request then waits until its reserved time before it enters the local download slot. Reserved
times of all workers are at least one delay apart, so in any window of W seconds a site sees at
most W/delay + 2 requests, as from one process (the +1 the local slot's own wait can shift).

The gap is the local slot's current delay, which AutoThrottle adjusts, else the slot's
``DOWNLOAD_SLOTS`` delay, else ``DOWNLOAD_DELAY``; a slot with no delay is not coordinated.
"""
from __future__ import annotations

import asyncio

from scrapy.exceptions import NotConfigured

POLITE_KEY = "govreports:polite:"

# KEYS: the slot's timeline key. ARGV: gap in seconds. Returns the wait in seconds (as a string).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local gap = tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, free)
redis.call('SET', KEYS[1], string.format('%.6f', at + gap), 'PX', math.ceil((at + gap - now) * 1000) + 60000)
return string.format('%.6f', at - now)
"""


class SharedPolitenessMiddleware:
    def __init__(self, crawler, server):
        self.crawler = crawler
        self.server = server
        self.default_delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
        self.slot_settings = crawler.settings.getdict("DOWNLOAD_SLOTS")
        self._reserve = server.register_script(_RESERVE)

    @classmethod
    def from_crawler(cls, crawler):
        from crawler.distributed import redis_client
        from crawler.state_redis import redis_url
        url = redis_url(crawler.settings)
        if not url:
            raise NotConfigured("shared politeness needs GOVREPORTS_REDIS_URL")
        return cls(crawler, redis_client(url))

    def gap(self, key: str) -> float:
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(key)
        if slot is not None:
            return float(slot.delay)
        return float(self.slot_settings.get(key, {}).get("delay", self.default_delay))

    async def process_request(self, request):
        key = self.crawler.engine.downloader.get_slot_key(request)
        gap = self.gap(key)
        if gap <= 0:
            return None
        wait = float(self._reserve(keys=[POLITE_KEY + key], args=[gap]))
        if wait > 0:
            self.crawler.stats.inc_value("govreports/distributed/polite_waits")
            await asyncio.sleep(wait)
        return None
