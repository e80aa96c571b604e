"""Run file names (crawler/exporters.py `run_time`): two runs started within one second into one
output directory must not share a name — the second would overwrite the first's feeds."""
from __future__ import annotations

from datetime import datetime, timezone

from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler.exporters import run_time

START = datetime(2026, 12, 5, 1, 50, 7, 123456, tzinfo=timezone.utc)


def _crawler(out):
    crawler = get_crawler(settings_dict={"GOVREPORTS_OUTPUT_DIR": str(out)})
    crawler.stats.open_spider()
    crawler.stats.set_value("start_time", START)
    return crawler


def test_runs_in_the_same_second_get_distinct_names(tmp_path):
    first, second, third = (_crawler(tmp_path) for _ in range(3))
    names = [run_time(c) for c in (first, second, third)]   # all three running at once
    assert names == ["2026-12-05T01-50-07+00-00", "2026-12-05T01-50-07+00-00-2", "2026-12-05T01-50-07+00-00-3"]
    assert run_time(first) == names[0]                        # fixed at first use
    assert {p.name for p in tmp_path.iterdir()} == {f".run-{n}.claim" for n in names}
    for c in (first, second, third):
        c.signals.send_catch_log(signal=signals.engine_stopped)
    assert list(tmp_path.iterdir()) == []                     # claims released when the runs stop


def test_a_finished_run_with_that_name_is_not_overwritten(tmp_path):
    (tmp_path / "reports-2026-12-05T01-50-07+00-00.csv").write_text("x")
    (tmp_path / "run-summary-2026-12-05T01-50-07+00-00-2.json").write_text("{}")
    assert run_time(_crawler(tmp_path)) == "2026-12-05T01-50-07+00-00-3"


def test_another_second_keeps_the_plain_name(tmp_path):
    (tmp_path / "reports-2026-12-05T01-50-06+00-00.csv").write_text("x")
    assert run_time(_crawler(tmp_path)) == "2026-12-05T01-50-07+00-00"
