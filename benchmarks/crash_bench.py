"""Hard kills of a JOBDIR crawl: reports exported by the rerun, Scrapy's scheduler vs CrashSafeScheduler.

For each kill point N: crawl the 48-report farm of tests/crash_site.py with a JOBDIR, SIGKILL it
once N documents are held, rerun the same command, count the reports (and DOCX copies merged)
in the rerun's feed.

    .venv/bin/python -m benchmarks.crash_bench [--kill-at 1 20]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import tests.test_crash_jobdir as crash  # noqa: E402
from tests.crash_site import build_crash_site  # noqa: E402
from tests.fixtures.pipeline_site.site import Site  # noqa: E402

SCHEDULERS = {"scrapy": "scrapy.core.scheduler.Scheduler", "crash-safe": "crawler.crashsafe.CrashSafeScheduler"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kill-at", type=int, nargs="+", default=[1, 20])
    args = ap.parse_args()
    base_cmd = crash._cmd
    with tempfile.TemporaryDirectory(prefix="crash_bench-") as tmp:
        root = build_crash_site(Path(tmp, "site"))
        with Site(root) as site:
            for name, scheduler in SCHEDULERS.items():
                crash._cmd = lambda url, work, *e, s=scheduler: base_cmd(url, work, "-s", f"SCHEDULER={s}", *e)
                for held in args.kill_at:
                    work = Path(tmp, f"{name}-{held}")
                    work.mkdir()
                    crash._kill_after(site.url, work, held)
                    rerun = subprocess.run(crash._cmd(site.url, work), cwd=REPO, capture_output=True, text=True)
                    got = crash._exported(work)
                    docx = sum(1 for _rid, urls in got if any(u.endswith(".docx") for u in urls))
                    print(f"{name:10} killed after {held:3} held: rerun exit {rerun.returncode}, "
                          f"{len(got)} of {crash.N_REPORTS} reports exported ({len({r for r, _u in got})} distinct), "
                          f"{docx} of {crash.N_REPORTS // 4} with their DOCX", flush=True)


if __name__ == "__main__":
    main()
