"""Every option of the crawl in one list: spider arguments (`-a`) and GOVREPORTS_* settings (`-s`).

The defaults live in crawler/settings.py (declared once); this module adds one help line each,
prints them for ``scrapy crawl reports -a help=1`` and renders the README table
(tests/test_cli_options.py checks that the three agree).
"""
from __future__ import annotations

from crawler.spiders.inputs import SPIDER_ARGUMENTS

SETTINGS_HELP: dict[str, str] = {
    "GOVREPORTS_OUTPUT_DIR": "directory of the feeds and the run summary (env GOVREPORTS_OUTPUT_DIR)",
    "GOVREPORTS_STATE_DIR": "directory of the incremental state store (env GOVREPORTS_STATE_DIR)",
    "GOVREPORTS_STATE_CLASS": "state store class (SQLite; the distributed mode switches to Redis)",
    "GOVREPORTS_INCREMENTAL": "skip report pages/attachments already exported (off = fetch everything, export only new/changed)",
    "GOVREPORTS_FULL_EXPORT": "fetch and export everything this run (change = full); also -a full=1",
    "GOVREPORTS_RECHECK_DAYS": "re-fetch known report pages older than N days (empty = never)",
    "GOVREPORTS_MAX_REQUESTS_PER_PORTAL": "request budget of one portal per run",
    "GOVREPORTS_MAX_LIST_PAGES": "pages of one list (or one URL calendar) walked at most: crawler traps stop there",
    "GOVREPORTS_EXPLORE_PAGES": "requests per portal spent on links no rule names (best first, inside the disclosure area)",
    "GOVREPORTS_EXPLORE_DEPTH": "hops without a rule match before that exploration stops",
    "GOVREPORTS_SITE_SEARCH": "portals that yielded no report candidate: submit their site search once at the end",
    "GOVREPORTS_ATTACHMENT_MAX_BYTES": "one size cap for attachments: download limit and parser limit (file_too_large)",
    "GOVREPORTS_ATTACHMENT_TIME_LIMIT": "seconds the parser may spend on one document (time_limit)",
    "GOVREPORTS_ATTACHMENT_DOWNLOAD_TIMEOUT": "download timeout of an attachment, seconds",
    "GOVREPORTS_PARSE_THREADS": "parse child processes working while downloads go on (0: one per usable core)",
    "GOVREPORTS_PARSE_ISOLATED": "parse attachments in a memory-bounded child process (off: in the worker thread)",
    "GOVREPORTS_PARSE_MEMORY_MB": "memory bound of that child process, MB (resource_limit beyond it)",
    "GOVREPORTS_DROP_ALERT_RATIO": "alert when a portal yields fewer than this share of its last run's reports",
    "GOVREPORTS_FAILED_ALERT_RATIO": "alert when at least this share of a portal's report candidates failed",
    "GOVREPORTS_FAIL_ON_ALERT": "exit code 3 when the run summary has alerts (for cron/systemd)",
    "GOVREPORTS_PROGRESS_INTERVAL": "seconds between progress lines (default: Scrapy's LOGSTATS_INTERVAL)",
    "GOVREPORTS_DISABLE_DEFAULT_FEEDS": "do not add the default output/ feeds",
    "GOVREPORTS_ACCEPT_UNCLEAN_EXPORT": "re-run after a kill during the feed export even though it may duplicate rows",
    "GOVREPORTS_RETRY_AFTER_MAX": "longest Retry-After (s) honoured by pausing the host; longer: no retry",
    "GOVREPORTS_DOWNLOAD_DELAY": "environment only: DOWNLOAD_DELAY default (or -s DOWNLOAD_DELAY=…)",
    "GOVREPORTS_USER_AGENT": "environment only: USER_AGENT default (or -s USER_AGENT=…)",
    "GOVREPORTS_LOG_LEVEL": "environment only: LOG_LEVEL default (or -L LEVEL)",
    "GOVREPORTS_REDIS_URL": "Redis URL: turns on the distributed mode (also from the environment)",
    "GOVREPORTS_REDIS_PREFETCH": "distributed: requests a worker takes ahead from Redis",
    "GOVREPORTS_REDIS_STATE_PREFIX": "distributed: key prefix of the shared state store",
    "GOVREPORTS_WORKER_ID": "distributed: worker id (default host-pid; also from the environment)",
    "GOVREPORTS_WORKER_TTL": "distributed: seconds a silent worker counts as alive",
    "GOVREPORTS_MERGE_AT_END": "distributed: the last worker merges the workers' outputs into <output>/merged/",
    "GOVREPORTS_PARQUET": "also write output/reports-<time>.parquet: typed columns (or -o file.parquet)",
    "GOVREPORTS_ARCHIVE": "keep every fetched response in WARC files (evidence; off: -s GOVREPORTS_ARCHIVE=0)",
    "GOVREPORTS_ARCHIVE_DIR": "directory of the WARC files (default: archive/ in the output directory)",
    "GOVREPORTS_ARCHIVE_MAX_MB": "a new WARC file is started once the current one passes this size, MB",
    "GOVREPORTS_ARCHIVE_KINDS": "request kinds archived (detail, attachment, list, nav, api)",
}
# Read from the environment by crawler/settings.py, not Scrapy settings themselves.
ENV_ONLY = {"GOVREPORTS_DOWNLOAD_DELAY", "GOVREPORTS_USER_AGENT", "GOVREPORTS_LOG_LEVEL"}


def setting_defaults() -> dict[str, object]:
    from crawler import settings
    return {name: getattr(settings, name, None) for name in SETTINGS_HELP if name not in ENV_ONLY}


def _show(value: object) -> str:
    if value is None or value == "":
        return "(unset)"
    return str(value)


def options_help() -> str:
    lines = ["Spider arguments (scrapy crawl reports -a NAME=VALUE):"]
    lines += [f"  {name:<10} {text}" for name, text in SPIDER_ARGUMENTS.items()]
    lines += ["", "Settings (-s NAME=VALUE; defaults in crawler/settings.py):"]
    defaults = setting_defaults()
    for name, text in SETTINGS_HELP.items():
        default = "" if name in ENV_ONLY else f" [default {_show(defaults[name])}]"
        lines.append(f"  {name:<40} {text}{default}")
    return "\n".join(lines)


def readme_table() -> str:
    """Markdown rows of the README options table (spider arguments, then settings)."""
    rows = ["| option | default | meaning |", "|---|---|---|"]
    rows += [f"| `-a {name}=…` | | {text} |" for name, text in SPIDER_ARGUMENTS.items()]
    defaults = setting_defaults()
    for name, text in SETTINGS_HELP.items():
        default = "" if name in ENV_ONLY else _show(defaults[name])
        rows.append(f"| `{name}` | {default} | {text} |")
    return "\n".join(rows)


def check_settings(settings) -> None:
    """Each GOVREPORTS_* setting has the type of its default (`-s GOVREPORTS_DROP_ALERT_RATIO=half` is an
    InputError here, not a traceback in an extension later)."""
    from crawler.spiders.inputs import InputError
    for name, default in setting_defaults().items():
        value = settings.get(name)
        if value is None or value == default:
            continue
        kind, get = ((bool, settings.getbool) if isinstance(default, bool) else
                     (int, settings.getint) if isinstance(default, int) else
                     (float, settings.getfloat) if isinstance(default, float) else (None, None))
        if get is None:
            continue
        try:
            got = get(name)
        except (TypeError, ValueError):
            expected = {bool: "1/0 or True/False", int: "a whole number", float: "a number"}[kind]
            raise InputError(f"-s {name}={value!r}: expected {expected}") from None
        if kind in (int, float) and got < 0:
            raise InputError(f"-s {name}={value!r}: expected a number >= 0")
