"""Test/benchmark harness: build a farm, serve it, run the real spider in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FAST = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "LOG_LEVEL=WARNING"]


def resolve(url: str, origins: list[str]) -> str:
    for i, o in enumerate(origins):
        url = url.replace("{{ORIGIN%d}}" % i, o)
    return url.replace("{{ORIGIN}}", origins[0])


def portals_csv(farm_root: Path, origins: list[str], dest: Path) -> Path:
    dest.write_text(resolve((farm_root / "portals.csv").read_text("utf-8"), origins), "utf-8")
    return dest


def run_spider(workdir: Path, portals: Path | None, settings=(), args=(), spider="reports", timeout=300,
               runner_args=()) -> dict:
    """Run tests.farm.runner in `workdir` (own output/state dirs); returns its JSON result."""
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / f"result-{len(list(workdir.glob('result-*.json')))}.json"
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawler.settings",
               PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
               GOVREPORTS_OUTPUT_DIR=str(workdir / "output"), GOVREPORTS_STATE_DIR=str(workdir / "state"))
    cmd = [sys.executable, "-m", "tests.farm.runner", "--out", str(out), "--spider", spider, *runner_args]
    if portals is not None:
        cmd += ["--portals", str(portals)]
    for s in list(FAST) + list(settings):
        cmd += ["-s", s]
    for a in args:
        cmd += ["-a", a]
    proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"crawl failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    res = json.loads(out.read_text("utf-8"))
    res["stderr"] = proc.stderr
    return res


def found(result: dict) -> set[str]:
    """Documents the spider yields as report candidates (not failed, not refused by its gate)."""
    return {i["document_url"] for i in result["items"] if not i.get("fetch_problem") and not i.get("gate_refusal")}


def problems(result: dict) -> set[tuple[str, str]]:
    """(code, url) of failed candidates and of candidates the gate refused (parsed, then rejected)."""
    return {((i.get("fetch_problem") or i.get("gate_refusal"))["code"], i["document_url"]) for i in result["items"]
            if i.get("fetch_problem") or i.get("gate_refusal")}
