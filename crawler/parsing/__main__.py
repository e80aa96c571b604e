"""python -m crawler.parsing FILE [FILE …] → one JSON record per line on stdout (record.md)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import parse_document


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.parsing",
                                 description="Parse local report documents into records (JSON Lines on stdout).")
    ap.add_argument("files", nargs="+", help=".html/.htm/.txt/.pdf/.docx/.doc/.wps/.ofd (type sniffed from content)")
    args = ap.parse_args(argv)
    for name in args.files:
        path = Path(name)
        url = path.resolve().as_uri()
        try:
            data = path.read_bytes()
        except OSError as exc:
            from .record import failed_record
            rec = failed_record(url, "file_unreadable", f"{exc.strerror or exc}: {name}")
        else:
            rec = parse_document(data, url)
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
