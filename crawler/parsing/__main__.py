"""python -m crawler.parsing FILES_OR_DIRS… [--csv out.csv] [--jsonl out.jsonl]

Without an output option: one JSON record per line on stdout (docs/record.md). With ``--csv``:
the same columns as the crawl's reports CSV (UTF-8 with BOM), one row per file whatever its
status; ``--jsonl``: the records as JSON Lines. Directories are read recursively (hidden files
skipped); the type of each file is sniffed from its bytes. A progress bar is drawn on a terminal.

Exit status: 2 when a path does not exist (nothing parsed), 1 when a file could not be read
(its record is `failed` with `file_unreadable`), else 0.

The CSV row shape comes from crawler/csvrow.py and each record's `record_id` from
crawler/identity.py (outside this package, imported only here): this entry point is the delivery
end of a local run; the parser library itself stays pure and leaves `record_id` to identity.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

from . import parse_document
from .formats import _guard


def collect_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    """(files in order, one error line per path that does not exist or holds no file)."""
    files: list[Path] = []
    errors: list[str] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file()
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                errors.append(f"{name}: directory holds no files")
            files += found
        elif p.exists():
            files.append(p)
        else:
            errors.append(f"{name}: no such file or directory")
    return files, errors


def parse_file(path: Path) -> tuple[dict, bool]:
    """(record, readable)."""
    url = path.resolve().as_uri()
    try:
        data = path.read_bytes()
    except OSError as exc:
        from .record import failed_record
        return failed_record(url, "file_unreadable", f"{exc.strerror or exc}: {path}"), False
    return parse_document(data, url), True


class Progress:
    """A one-line bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.stream = total, stream
        self.on = total > 1 and stream.isatty()

    def show(self, done: int, name: str) -> None:
        if not self.on:
            return
        width = 30
        filled = width * done // self.total
        try:
            cols = os.get_terminal_size(self.stream.fileno()).columns
        except OSError:
            cols = 100
        text = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {name}"
        self.stream.write(text[:cols - 1].ljust(cols - 1))
        self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.parsing",
                                 description="Parse local report documents into records.")
    ap.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                    help=".html/.txt/.pdf/.docx/.doc/.wps/.ofd/.rtf/.mht files or directories of them "
                         "(type sniffed from the content)")
    ap.add_argument("--csv", metavar="OUT.csv", help="write the reports-feed columns (one row per file)")
    ap.add_argument("--jsonl", metavar="OUT.jsonl", help="write the records as JSON Lines")
    ap.add_argument("--max-bytes", type=int, metavar="N", default=_guard.MAX_BYTES,
                    help=f"attachment size cap, as the crawl's GOVREPORTS_ATTACHMENT_MAX_BYTES (default {_guard.MAX_BYTES})")
    ap.add_argument("--time-limit", type=float, metavar="SECONDS", default=_guard.TIME_LIMIT,
                    help=f"seconds per document, as GOVREPORTS_ATTACHMENT_TIME_LIMIT (default {_guard.TIME_LIMIT:g})")
    args = ap.parse_args(argv)
    if args.max_bytes <= 0 or args.time_limit <= 0:
        ap.error("--max-bytes and --time-limit must be positive")
    _guard.configure(max_bytes=args.max_bytes, time_limit=args.time_limit)
    files, errors = collect_files(args.paths)
    if errors:
        for line in errors:
            print(f"error: {line}", file=sys.stderr)
        return 2
    records, unreadable = _parse_all(files)
    if args.csv or args.jsonl:
        try:
            _write_outputs(records, args.csv, args.jsonl)
        except OSError as exc:
            print(f"error: {exc.filename or args.csv or args.jsonl}: cannot be written ({exc.strerror or exc})",
                  file=sys.stderr)
            return 2
    else:
        for rec in records:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return 1 if unreadable else 0


def _parse_all(files: list[Path]) -> tuple[list[dict], int]:
    from crawler.identity import record_id  # the crawl's id for the same document (one home)
    bar = Progress(len(files))
    records, unreadable = [], 0
    for i, path in enumerate(files, 1):
        bar.show(i - 1, path.name)
        rec, ok = parse_file(path)
        rec["record_id"] = record_id(rec)
        if not ok:
            unreadable += 1
            print(f"error: {path}: cannot be read ({rec['problems'][0]['detail']})", file=sys.stderr)
        records.append(rec)
    bar.show(len(files), "")
    bar.close()
    return records, unreadable


def _write_outputs(records: list[dict], csv_path: str | None, jsonl_path: str | None) -> None:
    for path in (csv_path, jsonl_path):
        if path and os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
    if csv_path:
        from crawler.csvrow import write_csv
        write_csv(csv_path, records)
    if jsonl_path:
        with open(jsonl_path, "w", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    by = Counter(r.get("status") for r in records)
    counts = ", ".join(f"{s} {by[s]}" for s in ("complete", "inconsistent", "partial", "not_a_report", "failed"))
    outs = " and ".join(p for p in (csv_path, jsonl_path) if p)
    print(f"{len(records)} file(s): {counts} -> {outs}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
