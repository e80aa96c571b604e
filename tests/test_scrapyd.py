"""Scheduling through a real scrapyd started on 127.0.0.1 (the `scrapyd` extra): the project is
deployed with scrapyd-deploy from its own scrapy.cfg [deploy] section, a crawl of the bundled
sample portals is scheduled through the HTTP API with spider arguments and settings, and the feeds
the job wrote are read back and compared with the same crawl run directly."""
from __future__ import annotations

import csv
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.farm.harness import REPO

BIN = Path(sys.executable).parent
SAMPLES = REPO / "samples" / "portals"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, path: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{path}", data=body, timeout=30) as r:
        out = json.loads(r.read().decode("utf-8"))
    assert out.get("status") == "ok", out
    return out


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    home = tmp_path_factory.mktemp("scrapyd")
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\nitems_dir =\nmax_proc = 1\npoll_interval = 0.5\n", "utf-8")
    proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            _api(base, "daemonstatus.json")
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("scrapyd did not start: " + proc.stderr.read()[-2000:])
            time.sleep(0.05)
    yield {"base": base, "home": home}
    proc.terminate()
    proc.wait(10)


def _deploy(base: str, work: Path) -> dict:
    """scrapyd-deploy from a copy of the project whose scrapy.cfg names this scrapyd (the
    repository's own file is copied; only the target URL is added, without a trailing slash)."""
    proj = work / "project"
    shutil.copytree(REPO / "crawler", proj / "crawler", ignore=shutil.ignore_patterns("__pycache__"))
    for f in ("setup.py", "pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy(REPO / f, proj / f)
    cfg = (proj / "scrapy.cfg").read_text("utf-8")
    assert "[deploy]" in cfg
    (proj / "scrapy.cfg").write_text(cfg.replace("[deploy]", f"[deploy]\nurl = {base}"), "utf-8")
    out = subprocess.run([str(BIN / "scrapyd-deploy"), "-v", "t1"], cwd=proj, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _reports(csv_files: list[Path]) -> list[dict]:
    rows = []
    for f in csv_files:
        with open(f, encoding="utf-8-sig", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def test_deploy_schedule_and_read_the_feeds(scrapyd, tmp_path):
    base = scrapyd["base"]
    deployed = _deploy(base, tmp_path)
    assert deployed["status"] == "ok" and deployed["project"] == "crawler"
    assert _api(base, "listspiders.json?project=crawler")["spiders"] == ["reports"]

    out_dir, state_dir = tmp_path / "job-output", tmp_path / "job-state"
    job = _api(base, "schedule.json", [
        ("project", "crawler"), ("spider", "reports"), ("samples", str(SAMPLES)),
        ("setting", f"GOVREPORTS_OUTPUT_DIR={out_dir}"), ("setting", f"GOVREPORTS_STATE_DIR={state_dir}"),
    ])["jobid"]
    deadline = time.time() + 300
    while time.time() < deadline:
        jobs = _api(base, "listjobs.json?project=crawler")
        if any(j["id"] == job for j in jobs["finished"]):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the scheduled crawl did not finish")
    log = next((scrapyd["home"] / "logs" / "crawler" / "reports").glob(f"{job}.log")).read_text("utf-8")
    assert "Traceback" not in log, log[-3000:]

    # the same crawl run directly: the scheduled job must have written the same reports
    direct = tmp_path / "direct"
    subprocess.run([str(BIN / "scrapy"), "crawl", "reports", "-a", f"samples={SAMPLES}",
                    "-s", f"GOVREPORTS_OUTPUT_DIR={direct / 'output'}",
                    "-s", f"GOVREPORTS_STATE_DIR={direct / 'state'}"],
                   cwd=REPO, check=True, capture_output=True, timeout=300)
    got = _reports(sorted(out_dir.glob("reports-*.csv")))
    want = _reports(sorted((direct / "output").glob("reports-*.csv")))
    assert want, "the direct crawl exported no report"
    assert sorted(r["record_id"] for r in got) == sorted(r["record_id"] for r in want)
    assert list(out_dir.glob("rejects-*.jsonl")) and list(out_dir.glob("run-summary-*.json"))
