"""`scrapy crawl` for this project: Scrapy's command plus input checking and an exit code.

- Wrong spider arguments or input files (crawler/spiders/inputs.py `InputError`): one line on
  stderr, exit 2, nothing crawled (the traceback only with ``-L DEBUG``).
- ``-a help=1``: the spider arguments and every GOVREPORTS_* setting with its default, exit 0.
- After the crawl: exit 1 when the spider did not finish normally or a feed could not be stored, exit 3 when
  GOVREPORTS_FAIL_ON_ALERT is on and the run summary has alerts (a portal unreachable, without
  reports, far fewer reports than last run, half its candidates failed). For cron/systemd.
"""
from __future__ import annotations

import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.spiderloader import get_spider_loader

from crawler.crashsafe import preflight
from crawler.options import check_settings
from crawler.spiders.inputs import InputError

EXIT_BAD_INPUT = 2  # (exit 3 for alerts is set by crawler/extensions.py RunSummary as govreports/exit_code)


class Command(ScrapyCrawl):
    def long_desc(self) -> str:
        from crawler.spiders.inputs import SPIDER_ARGUMENTS
        return (f"Run a spider of the current project, by name. Spider arguments of `reports` (-a NAME=VALUE): "
                f"{', '.join(SPIDER_ARGUMENTS)}. `scrapy crawl reports -a help=1` explains them and lists every "
                f"GOVREPORTS_* setting (-s NAME=VALUE) with its default. Exit status: 0 finished, 1 interrupted or "
                f"a feed not stored, 2 wrong input, 3 alerts with GOVREPORTS_FAIL_ON_ALERT=1.")

    def process_options(self, args, opts) -> None:
        """Runs before Scrapy starts logging: a wrong input costs one line, not a page of start-up log."""
        super().process_options(args, opts)
        if len(args) != 1:
            return
        if not _debug(self.settings, opts):  # versions are for bug reports: -L DEBUG (or -s LOG_VERSIONS=…)
            self.settings.set("LOG_VERSIONS", [], priority="command")
        loader = get_spider_loader(self.settings)
        try:
            spidercls = loader.load(args[0])
        except KeyError:
            print(f"error: no spider named {args[0]!r} (spiders: {', '.join(loader.list())})", file=sys.stderr)
            sys.exit(EXIT_BAD_INPUT)
        if str(opts.spargs.get("help", "")).strip().lower() in ("1", "true", "yes"):
            from crawler.options import options_help
            print(options_help())
            sys.exit(0)
        check = getattr(spidercls, "check_inputs", None)
        try:
            check_settings(self.settings)
            preflight(self.settings)  # a JOBDIR whose last run died mid-export (crawler/crashsafe.py)
            if check is not None:
                check(opts.spargs)
        except InputError as exc:
            if _debug(self.settings, opts):
                raise
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(EXIT_BAD_INPUT)

    def run(self, args, opts) -> None:
        if len(args) != 1:
            return super().run(args, opts)
        if not _debug(self.settings, opts):
            for name in _STARTUP_LOGGERS:  # lists of components and settings: -L DEBUG shows them
                logging.getLogger(name).setLevel(logging.WARNING)
            # robots.txt of a site that cannot be reached: Scrapy's error line, without its 60-line traceback
            logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(_drop_network_traceback)
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        self.exitcode = exit_code(crawler.stats.get_stats())


_STARTUP_LOGGERS = ("scrapy.middleware", "scrapy.crawler", "scrapy.addons", "scrapy.extensions.telnet",
                    "scrapy.extensions.remote_control")


def _drop_network_traceback(record: logging.LogRecord) -> bool:
    from crawler.spiders.base import _UNREACHABLE
    exc = record.exc_info[1] if record.exc_info else None
    if isinstance(exc, _UNREACHABLE):
        record.exc_info = record.exc_text = None
    return True


def _debug(settings, opts) -> bool:
    return (opts.loglevel or settings.get("LOG_LEVEL") or "").upper() == "DEBUG"


def exit_code(stats: dict) -> int:
    """1 when the crawl did not finish or a feed could not be stored, 3 for alerts when
    GOVREPORTS_FAIL_ON_ALERT is on, else 0."""
    if stats.get("finish_reason") not in (None, "finished"):
        return 1
    if any(k.startswith("feedexport/failed_count/") and v for k, v in stats.items()):
        return 1
    return stats.get("govreports/exit_code", 0) or 0

