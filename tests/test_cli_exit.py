"""Exit codes of a finished crawl for cron/systemd (issue 11): unreachable portals are named as such."""
import json
import socket

from tests.test_cli_inputs import crawl


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_unreachable_portal_fails_the_run_when_asked(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/"
    proc = crawl(tmp_path, "-a", f"url={url}", "-s", "GOVREPORTS_FAIL_ON_ALERT=1", "-s", "RETRY_TIMES=0")
    assert proc.returncode == 3, proc.stderr[-3000:]
    assert f"Portal alert: {url}: unreachable" in proc.stderr
    assert "no report found" not in proc.stderr
    assert "Traceback" not in proc.stderr  # robots.txt unreachable: Scrapy's error line only
    (summary_file,) = (tmp_path / "out").glob("run-summary-*.json")
    portal = json.loads(summary_file.read_text("utf-8"))["portals"][url]
    # http:// refused, then the https:// twin tried once: both counted as unreachable, none as an HTTP error
    assert (portal["unreachable"], portal["http_errors"], portal["pages_fetched"]) == (2, 0, 0)
    assert portal["alerts"][0].startswith("unreachable (")
    proc = crawl(tmp_path, "-a", f"url={url}", "-s", "RETRY_TIMES=0")  # default: the alert is logged, exit 0
    assert proc.returncode == 0 and "unreachable" in proc.stderr


def test_gbk_portals_file_from_excel_is_crawled_with_its_chinese_names(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/"
    f = tmp_path / "portals.csv"
    f.write_bytes(f"name,URL,province\r\n景东彝族自治县人民政府,{url},云南省\r\n".encode("gbk"))
    proc = crawl(tmp_path, "-a", f"portals={f}", "-s", "RETRY_TIMES=0")
    assert proc.returncode == 0, proc.stderr[-3000:]
    (summary_file,) = (tmp_path / "out").glob("run-summary-*.json")
    portal = json.loads(summary_file.read_text("utf-8"))["portals"][url]
    assert portal["name"] == "景东彝族自治县人民政府"
    assert "Portal alert: 景东彝族自治县人民政府: unreachable" in proc.stderr


def test_exit_code_rules():
    from crawler.commands.crawl import exit_code
    assert exit_code({"finish_reason": "finished"}) == 0
    assert exit_code({"finish_reason": "shutdown"}) == 1  # Ctrl-C / SIGTERM: the run is not complete
    assert exit_code({"finish_reason": "finished", "feedexport/failed_count/FileFeedStorage": 1}) == 1
    assert exit_code({"finish_reason": "finished", "govreports/exit_code": 3}) == 3


def test_summary_command_for_cron(tmp_path):
    import subprocess
    import sys

    from crawler.extensions import summarise
    from tests.test_cli_progress import NAMES, stats
    ok = {"finish_reason": "finished", **summarise({"govreports/portal/http://a.gov.cn/pages_fetched": 3,
                                                    "govreports/portal/http://a.gov.cn/records/complete": 1}, {})}
    bad = {"finish_reason": "finished", **summarise(stats(), {}, names=NAMES)}
    (tmp_path / "ok.json").write_text(json.dumps(ok), "utf-8")
    (tmp_path / "bad.json").write_text(json.dumps(bad), "utf-8")

    def run(*names):
        return subprocess.run([sys.executable, "-m", "crawler.extensions", *[str(tmp_path / n) for n in names]],
                              capture_output=True, text=True, timeout=60)
    assert run("ok.json").returncode == 0
    proc = run("ok.json", "bad.json")
    assert proc.returncode == 3 and "<-- unreachable (ConnectionRefusedError" in proc.stdout
    proc = run("missing.json")
    assert proc.returncode == 2 and proc.stderr.strip() == f"error: {tmp_path / 'missing.json'}: No such file or directory"
