"""The README's first command: `scrapy crawl reports` with no arguments serves samples/portals on
127.0.0.1 and crawls it (real settings, pipelines and feeds). Also: the committed sample farm is
exactly what tests/farm generates, and the farm server's routes behave like real portals."""
from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from crawler.samples_server import FarmServer
from tests.farm.build import build

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "portals"


def test_samples_are_the_generated_farm(tmp_path):
    build(tmp_path / "farm")
    cmp = filecmp.dircmp(SAMPLES, tmp_path / "farm")
    stack, diffs = [cmp], []
    while stack:
        c = stack.pop()
        diffs += c.left_only + c.right_only + c.diff_files
        stack += c.subdirs.values()
    assert diffs == [], "samples/portals is stale: python -m tests.farm.build samples/portals"


def test_scrapy_crawl_reports_without_arguments(tmp_path):
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawler.settings", PYTHONPATH=str(REPO),
               GOVREPORTS_OUTPUT_DIR=str(tmp_path / "output"), GOVREPORTS_STATE_DIR=str(tmp_path / "state"))
    # the project's polite settings as they are: the sample farm gets its own undelayed slot
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-s", "LOG_LEVEL=INFO"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "serving sample portals" in proc.stderr
    answer = json.loads((SAMPLES / "_answer.json").read_text("utf-8"))
    want_paths = {urlsplit(u.split("}}", 1)[1] if "}}" in u else u).path for u in answer["reports"]}
    recs = [json.loads(line) for f in (tmp_path / "output").glob("reports-*.jsonl")
            for line in f.read_text("utf-8").splitlines() if line.strip()]
    assert len(recs) >= 40
    assert all(r["document_url"].startswith("http://127.0.0.1:") for r in recs)
    assert {urlsplit(r["document_url"]).path for r in recs} <= want_paths
    assert any(r.get("portal_name") or r.get("portal_meta") for r in recs)


def _get(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read(), r.url
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read(), url


def test_farm_server_routes():
    with FarmServer(SAMPLES, ports=2) as srv:
        o = srv.origin
        st, h, body, _ = _get(o + "/robots.txt")
        assert st == 200 and b"Disallow: /trs/private/" in body
        st, h, body, _ = _get(o + "/asp/InfoPublic.aspx?cid=1019&pid=971&page=2&kw=")
        assert st == 200 and h["Content-Type"] == "text/html"           # charset-less GBK
        assert "政府信息公开年报" in body.decode("gb18030")
        st, _, body, _ = _get(o + "/asp/InfoDetail.aspx?id=999")
        assert st == 200 and "该信息已删除或不存在" in body.decode("utf-8")      # soft 404
        st, _, body, _ = _get(o + "/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=2",
                              data=b"columnid=311&unitid=6000&col=1")
        assert st == 200 and b"<datastore>" in body                      # POST dataproxy
        st, _, body, final = _get(o + "/gd/gkmlpt/api/all/2001?page=1&sid=755041")
        assert json.loads(body)["total"] > 0
        st, _, body, _ = _get(o + "/gd/gkmlpt/content/0/998/post_998001.html")
        assert st == 521 and b"__jsl_clearance" in body
        st, _, body, final = _get(o + "/trs/zwgk/zfxxgknb/2023n/old/moved.html")
        assert st == 200 and final != o + "/trs/zwgk/zfxxgknb/2023n/old/moved.html"   # followed the 301
        st, _, body, _ = _get(o + "/trs/index.html")
        assert srv.origins[1] not in body.decode() and "http://localhost:" in body.decode()  # {{MIRROR}} filled
        assert _get(o + "/nope.html")[0] == 404
        assert _get(o + "/_routes.json")[0] == 404
