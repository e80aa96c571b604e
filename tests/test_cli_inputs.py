"""Bad input through the real command line: one clear line on stderr, a non-zero exit, no traceback
(issue 11). Each test runs `scrapy crawl reports` (or the parser CLI) as a subprocess."""
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.spiders.inputs import InputError, read_portals

REPO = Path(__file__).resolve().parents[1]
SCRAPY = [sys.executable, "-m", "scrapy"]


def crawl(tmp_path, *args, timeout=120):
    cmd = [*SCRAPY, "crawl", "reports", *args, "-s", f"GOVREPORTS_OUTPUT_DIR={tmp_path / 'out'}",
           "-s", f"GOVREPORTS_STATE_DIR={tmp_path / 'state'}"]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    for f in fragments:
        assert f in lines[0], lines[0]
    assert not (Path(proc.args[-3].split("=", 1)[1])).exists()  # nothing crawled, no feeds written


def test_csv_without_url_column(tmp_path):
    f = tmp_path / "portals.csv"
    f.write_text("name,website\n景东县,www.jingdong.gov.cn\n", "utf-8")
    proc = crawl(tmp_path, "-a", f"portals={f}")
    assert_one_line_error(proc, 'portals.csv: no "url" column (columns: name, website)')


def test_missing_portals_file(tmp_path):
    proc = crawl(tmp_path, "-a", f"portals={tmp_path / 'missing.csv'}")
    assert_one_line_error(proc, "missing.csv: no such file")


def test_empty_portals_file(tmp_path):
    f = tmp_path / "empty.csv"
    f.write_text("url\n\n", "utf-8")
    proc = crawl(tmp_path, "-a", f"portals={f}")
    assert_one_line_error(proc, 'empty.csv: the "url" column is empty')


def test_undecodable_portals_file(tmp_path):
    f = tmp_path / "junk.csv"
    f.write_bytes(b"url\n\x81\x30\xff\xfe\x00\x00garbage")
    proc = crawl(tmp_path, "-a", f"portals={f}")
    assert_one_line_error(proc, "junk.csv: not UTF-8 or GBK/GB18030 text")


def test_excel_workbook_instead_of_csv(tmp_path):
    f = tmp_path / "portals.xlsx"
    f.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    proc = crawl(tmp_path, "-a", f"portals={f}")
    assert_one_line_error(proc, "portals.xlsx: is an .xlsx/zip file, not text (save the sheet as CSV)")


def test_misspelt_argument_does_not_crawl_the_samples(tmp_path):
    proc = crawl(tmp_path, "-a", "portal=x.csv")
    assert_one_line_error(proc, "unknown spider argument(s) -a portal", "-a help=1")


def test_url_that_is_not_http(tmp_path):
    proc = crawl(tmp_path, "-a", "url=ftp://www.example.gov.cn/")
    assert_one_line_error(proc, "-a url: 'ftp://www.example.gov.cn/' is not an http(s) URL")


def test_portals_row_that_is_not_a_url(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("url,name\nhttp://www.a.gov.cn/,甲\njavascript:void(0),乙\n", "utf-8")
    proc = crawl(tmp_path, "-a", f"portals={f}")
    assert_one_line_error(proc, "p.csv row 3: 'javascript:void(0)' is not an http(s) URL")


def test_traceback_only_with_debug_log_level(tmp_path):
    proc = crawl(tmp_path, "-a", "portal=x.csv", "-L", "DEBUG")
    assert proc.returncode != 0 and "InputError" in proc.stderr and "Traceback" in proc.stderr


def test_help_lists_arguments_and_settings(tmp_path):
    proc = crawl(tmp_path, "-a", "help=1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in ("portals", "url", "samples", "full", "GOVREPORTS_FAIL_ON_ALERT",
                 "GOVREPORTS_ATTACHMENT_MAX_BYTES", "GOVREPORTS_MAX_REQUESTS_PER_PORTAL"):
        assert name in proc.stdout
    assert "[default 20000]" in proc.stdout


# ---------------------------------------------------------------- reading portal files (no subprocess)
def test_gbk_csv_written_by_excel_is_read(tmp_path):
    f = tmp_path / "portals.csv"
    f.write_bytes("名称,URL,省\r\n景东彝族自治县人民政府,www.jingdong.gov.cn,云南省\r\n".encode("gbk"))
    assert read_portals(f) == [{"url": "http://www.jingdong.gov.cn",
                                "meta": {"名称": "景东彝族自治县人民政府", "省": "云南省"}}]


def test_gb18030_only_characters_are_read(tmp_path):
    f = tmp_path / "portals.csv"
    f.write_bytes("url,name\nhttp://www.a.gov.cn/,䶮镇\n".encode("gb18030"))  # 䶮 is outside GBK
    assert read_portals(f)[0]["meta"] == {"name": "䶮镇"}


def test_utf16_unicode_text_from_excel_is_read(tmp_path):
    f = tmp_path / "portals.txt"
    f.write_bytes("url\tname\r\nhttp://www.a.gov.cn/\t甲县\r\n".encode("utf-16"))
    assert read_portals(f) == [{"url": "http://www.a.gov.cn/", "meta": {"name": "甲县"}}]


@pytest.mark.parametrize("line, message", [
    ("name", "line 2: 'name' has no valid host name"),
    ("mailto:x@a.gov.cn", r"line 2: 'mailto:x@a.gov.cn' is not an http\(s\) URL"),
])
def test_plain_list_lines_must_be_urls(tmp_path, line, message):
    f = tmp_path / "list.txt"
    f.write_text(f"http://www.a.gov.cn/\n{line}\n", "utf-8")
    with pytest.raises(InputError, match=message):
        read_portals(f)


def test_crawl_help_names_the_spider_arguments(tmp_path):
    proc = subprocess.run([*SCRAPY, "crawl", "-h"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "(-a NAME=VALUE): url, portals, samples" in text and "-a help=1" in text


def test_empty_url_argument_does_not_crawl_the_samples(tmp_path):
    proc = crawl(tmp_path, "-a", "url=")
    assert_one_line_error(proc, "-a url= is empty (expected a URL)")


def test_setting_of_the_wrong_type(tmp_path):
    proc = crawl(tmp_path, "-s", "GOVREPORTS_DROP_ALERT_RATIO=half")
    assert_one_line_error(proc, "-s GOVREPORTS_DROP_ALERT_RATIO='half': expected a number")
    proc = crawl(tmp_path, "-s", "GOVREPORTS_FAIL_ON_ALERT=yes")
    assert_one_line_error(proc, "-s GOVREPORTS_FAIL_ON_ALERT='yes': expected 1/0 or True/False")


def test_unknown_spider_name(tmp_path):
    proc = subprocess.run([*SCRAPY, "crawl", "report"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "error: no spider named 'report' (spiders: reports)"
