"""Rebuild the vendored division data in crawler/regions/data/ from the upstream packages.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz      # -> package/
    pip download --no-deps jionlp==1.5.31 && unzip jionlp-1.5.31-*.whl 'jionlp/dictionary/*'
    python -m crawler.regions.vendor package/ jionlp/dictionary/china_location_change.txt

Writes ``divisions.tsv.gz`` (code TAB name, one line per province/prefecture/county/township;
the parent of a code is its prefix: 2/4/6/9 digits) and ``changes.tsv`` (date TAB old path TAB
new path, county level and above, paths joined with ``/``).
"""
from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(path: Path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def write_divisions(package_dir: Path, out: Path) -> int:
    lines = []
    for name in ("provinces", "cities", "areas", "streets"):
        for row in _rows(package_dir / "dist" / f"{name}.csv"):
            lines.append(f"{row['code']}\t{row['name'].strip()}")
    lines.sort(key=lambda ln: (len(ln.split("\t")[0]), ln))
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def write_changes(change_file: Path, out: Path) -> int:
    """jionlp's list: date, approver, old province (full, short), old city (full, short)
    [, old county (full, short)] => new province, new city [, new county]."""
    rows = []
    for line in change_file.read_text("utf-8").splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>", 1)
        old_f = old.split("\t")
        date = old_f[0]
        old_path = "/".join(old_f[2::2])  # full names: province, city [, county]
        rows.append(f"{date}\t{old_path}\t{'/'.join(new.split(chr(9)))}")
    out.write_text("\n".join(rows) + "\n", "utf-8")
    return len(rows)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m crawler.regions.vendor CHINA_DIVISION_PACKAGE_DIR CHANGE_FILE", file=sys.stderr)
        return 2
    n = write_divisions(Path(argv[0]), DATA_DIR / "divisions.tsv.gz")
    m = write_changes(Path(argv[1]), DATA_DIR / "changes.tsv")
    print(f"{n} divisions, {m} changes written to {DATA_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
