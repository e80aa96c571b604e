"""Every option in one place (issue 11): each GOVREPORTS_* setting the code reads is declared with its
default in crawler/settings.py, has a help line in crawler/options.py, and the README table is current."""
import re
from pathlib import Path

import crawler.settings as project_settings
from crawler.options import ENV_ONLY, SETTINGS_HELP, options_help, readme_table
from crawler.spiders.inputs import SPIDER_ARGUMENTS

REPO = Path(__file__).resolve().parents[1]


def names_read_by_the_code() -> set[str]:
    names = set()
    for path in (REPO / "crawler").rglob("*.py"):
        names |= set(re.findall(r"GOVREPORTS_[A-Z_]+[A-Z]", path.read_text("utf-8")))
    return names


def test_every_setting_the_code_reads_is_declared_with_a_default():
    declared = {n for n in vars(project_settings) if n.startswith("GOVREPORTS_")}
    missing = names_read_by_the_code() - declared - ENV_ONLY
    assert missing == set(), f"declare these in crawler/settings.py (+ a help line in crawler/options.py): {missing}"


def test_every_declared_setting_has_a_help_line():
    declared = {n for n in vars(project_settings) if n.startswith("GOVREPORTS_")}
    assert declared - set(SETTINGS_HELP) == set(), "add a help line in crawler/options.py SETTINGS_HELP"
    stale = set(SETTINGS_HELP) - declared - ENV_ONLY - names_read_by_the_code()
    assert stale == set(), f"help lines for settings nothing declares or reads: {stale}"
    assert ENV_ONLY <= {n for n in names_read_by_the_code() if n in ENV_ONLY}  # really read (crawler/settings.py)


def test_help_text_lists_every_argument_and_setting_with_its_default():
    text = options_help()
    for name in SPIDER_ARGUMENTS:
        assert re.search(rf"^  {name} ", text, re.M), name
    for name in SETTINGS_HELP:
        assert name in text
    assert "GOVREPORTS_MAX_REQUESTS_PER_PORTAL" in text and "[default 20000]" in text


def test_readme_table_is_current():
    readme = (REPO / "README.md").read_text("utf-8")
    assert readme_table() in readme, "paste python -c 'from crawler.options import readme_table; print(readme_table())'"


def test_one_attachment_size_cap_and_time_limit():
    """The parser's own defaults (used by python -m crawler.parsing) are the crawl's settings."""
    from crawler.parsing.formats import _guard
    assert _guard.MAX_BYTES == project_settings.GOVREPORTS_ATTACHMENT_MAX_BYTES == project_settings.DOWNLOAD_MAXSIZE
    assert _guard.TIME_LIMIT == project_settings.GOVREPORTS_ATTACHMENT_TIME_LIMIT
