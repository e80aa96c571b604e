"""Scrapy settings: polite by default; every GOVREPORTS_* option is declared here with its default
(help text in crawler/options.py, `scrapy crawl reports -a help=1`)."""
import os

BOT_NAME = "crawler"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = os.environ.get(
    "GOVREPORTS_USER_AGENT",
    "govreports-crawler/0.1 (+research collection of 政府信息公开工作年度报告; contact: see README)",
)
ROBOTSTXT_OBEY = True

# Politeness: small county servers.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = float(os.environ.get("GOVREPORTS_DOWNLOAD_DELAY", "1.0"))
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]  # never 403/412/521 (WAF): counted instead
REDIRECT_MAX_TIMES = 5
METAREFRESH_ENABLED = True

# Breadth-first order keeps memory flat on big portals.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
# Scrapy's scheduler + a JOBDIR run marker: a run that finds the marker of a killed run discards the
# inconsistent seen-set/queue and re-derives the pending work (crawler/crashsafe.py).
SCHEDULER = "crawler.crashsafe.CrashSafeScheduler"
GOVREPORTS_ACCEPT_UNCLEAN_EXPORT = False  # rerun after a kill *during* the feed export (may duplicate)
# Every paginated list stops at this many pages, whatever the pager; URL traps (session ids,
# ever-growing paths, calendars) are dropped and named in the run summary (crawler/traps.py).
SPIDER_MIDDLEWARES = {"crawler.traps.ListLimitMiddleware": 950}
GOVREPORTS_MAX_LIST_PAGES = 300
DEPTH_LIMIT = 8

DNS_TIMEOUT = 20
# Scrapy's stats dump at close would print ~10 lines per portal; the run summary JSON keeps them all
# (`scrapy_stats`) and the log gets one compact table (crawler/extensions.py).
STATS_DUMP = False
REACTOR_THREADPOOL_MAXSIZE = 20
LOG_LEVEL = os.environ.get("GOVREPORTS_LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# ---------------------------------------------------------------- pipelines, feeds, incremental state
# parse → deduplicate (DedupPipeline must stay last: it exports the merged reports at close).
ITEM_PIPELINES = {
    "crawler.archive.capture.EvidenceCapture": 90,  # WARC evidence: the document's bytes + item fields (crawler/archive/)
    "crawler.pipelines.ParsePipeline": 100,
    "crawler.archive.capture.EvidencePipeline": 150,  # record["evidence"]: WARC file, record id, sha256
    "crawler.regions.pipeline.RegionPipeline": 500,  # county/township codes (crawler/regions/)
    "crawler.pipelines.DedupPipeline": 900,
}
# Skips detail pages/attachments already exported (incremental runs); early, before redirects.
DOWNLOADER_MIDDLEWARES = {"crawler.middlewares.IncrementalSkipMiddleware": 50,
                          "crawler.progress.ProgressIgnoredMiddleware": 0,  # progress: requests ignored before download
                          # sees responses before Redirect (600)/Retry (550): Retry-After pauses the host's slot,
                          # redirect loops → redirect_loop, an attachment's full timeout is not retried
                          "crawler.politeness.PressureMiddleware": 620,
                          # WARC archive of every response, after HttpCompression (590) and Redirect (600)
                          "crawler.archive.capture.ArchiveMiddleware": 580}
GOVREPORTS_RETRY_AFTER_MAX = 300.0  # seconds; a longer Retry-After is not waited for (no retry)
# Progress replaces LogStats, whose "scraped N items" stays near 0 while reports are held for merging.
EXTENSIONS = {"crawler.progress.Progress": 490, "crawler.extensions.RunSummary": 500,
              "scrapy.extensions.logstats.LogStats": None,
              "crawler.regions.extension.CoverageReport": 520}  # coverage CSV, missing list, HTML run report
# Default feeds (output/reports-<time>.csv|.jsonl, output/rejects-<time>.jsonl) are filled in by the
# add-on when FEEDS is empty; with -o/-O the given feeds get reports only and the rejects feed stays.
# Distributed mode (crawler/distributed.py, needs the `distributed` extra) switches itself on when
# GOVREPORTS_REDIS_URL is set (setting or environment) and does nothing otherwise.
ADDONS = {"crawler.exporters.FeedsAddon": 100, "crawler.distributed.DistributedAddon": 50,
          "crawler.parquet.ParquetAddon": 110}  # GOVREPORTS_PARQUET: reports-<time>.parquet beside the CSV
FEED_EXPORTERS = {"csv": "crawler.exporters.ReportCsvExporter",  # BOM, fixed columns, formula-safe
                  "parquet": "crawler.parquet.ParquetExporter"}  # typed columns (pyarrow), -o x.parquet
FEED_URI_PARAMS = "crawler.exporters.uri_params"  # one %(time)s per run for every feed and the summary
GOVREPORTS_OUTPUT_DIR = os.environ.get("GOVREPORTS_OUTPUT_DIR", "output")
GOVREPORTS_STATE_DIR = os.environ.get("GOVREPORTS_STATE_DIR", "state")
GOVREPORTS_STATE_CLASS = "crawler.state.SqliteStateStore"
GOVREPORTS_FULL_EXPORT = os.environ.get("GOVREPORTS_FULL_EXPORT", "") in ("1", "true", "yes")
GOVREPORTS_RECHECK_DAYS = os.environ.get("GOVREPORTS_RECHECK_DAYS") or None  # never re-fetch known documents
GOVREPORTS_PARSE_THREADS = 0  # 0: one sandboxed parse child per usable core (crawler/pipelines.py)
GOVREPORTS_PARSE_ISOLATED = True  # attachments parsed in a memory-bounded child process (crawler/pipelines.py)
GOVREPORTS_PARSE_MEMORY_MB = 1024
GOVREPORTS_DROP_ALERT_RATIO = 0.5

# ---------------------------------------------------------------- every other GOVREPORTS_* option, with its default
# (help lines: crawler/options.py; `scrapy crawl reports -a help=1` prints them all)
COMMANDS_MODULE = "crawler.commands"  # `scrapy crawl`: one-line input errors, exit codes (crawler/commands/crawl.py)
GOVREPORTS_INCREMENTAL = True
GOVREPORTS_MAX_REQUESTS_PER_PORTAL = 20_000
GOVREPORTS_EXPLORE_PAGES = 60   # requests per portal for links no rule names (best first, crawler/spiders/following.py)
GOVREPORTS_EXPLORE_DEPTH = 2    # hops without a rule match before exploration stops
GOVREPORTS_SITE_SEARCH = True   # portals with no report column: try their site search once at the end
# One size cap for an attachment: the download limit and the parser's file_too_large limit.
GOVREPORTS_ATTACHMENT_MAX_BYTES = DOWNLOAD_MAXSIZE
GOVREPORTS_ATTACHMENT_TIME_LIMIT = 60.0
GOVREPORTS_ATTACHMENT_DOWNLOAD_TIMEOUT = 180
GOVREPORTS_FAILED_ALERT_RATIO = 0.5
GOVREPORTS_FAIL_ON_ALERT = False
GOVREPORTS_PROGRESS_INTERVAL = None  # None: Scrapy's LOGSTATS_INTERVAL (60 s)
GOVREPORTS_DISABLE_DEFAULT_FEEDS = False
GOVREPORTS_REDIS_URL = None  # also read from the environment by crawler/distributed.py
GOVREPORTS_REDIS_PREFETCH = 4
GOVREPORTS_REDIS_STATE_PREFIX = "govreports:state"
GOVREPORTS_WORKER_ID = None  # default host-pid
GOVREPORTS_WORKER_TTL = 30
GOVREPORTS_MERGE_AT_END = True  # distributed: the last worker writes <output>/merged/ (crawler/merge.py)
GOVREPORTS_PARQUET = False  # also write output/reports-<time>.parquet (crawler/parquet.py)
# Evidence (crawler/archive/): every fetched response in gzip WARC files, rotated by size
GOVREPORTS_ARCHIVE = True
GOVREPORTS_ARCHIVE_DIR = None  # None: <GOVREPORTS_OUTPUT_DIR>/archive
GOVREPORTS_ARCHIVE_MAX_MB = 1024.0
GOVREPORTS_ARCHIVE_KINDS = ["detail", "attachment", "list", "nav", "api"]
