"""`python -m crawler.archive verify ARCHIVE_DIR FEED.jsonl [FEED.jsonl …]`

Exit 0 when every record's evidence is in the archive with its digest; 1 with one line per
problem otherwise; 2 on bad input.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.archive.verify import mismatches
from crawler.archive.warc import warc_files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.archive")
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="check a JSON Lines feed's evidence against a WARC archive")
    v.add_argument("archive", type=Path, help="directory of .warc.gz files (or one file)")
    v.add_argument("feeds", type=Path, nargs="+", help="reports-<time>.jsonl / rejects-<time>.jsonl")
    args = ap.parse_args(argv)
    if not args.archive.exists() or not warc_files(args.archive):
        print(f"error: no WARC files in {args.archive}", file=sys.stderr)
        return 2
    for feed in args.feeds:
        if not feed.is_file():
            print(f"error: feed not found: {feed}", file=sys.stderr)
            return 2
    try:
        checked, problems = mismatches(args.archive, args.feeds)
    except (ValueError, OSError) as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    for line in problems:
        print(line)
    print(f"verify: {checked} evidence reference(s) checked, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
