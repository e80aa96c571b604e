"""Portal lists: `-a portals=FILE` (CSV with a `url` column, or one URL a line), `-a url=URL`."""
from __future__ import annotations

import csv
import io
from pathlib import Path

META_COLUMNS_SKIP = {"url"}


def read_portals(path: str | Path) -> list[dict]:
    """[{"url": …, "meta": {name, region_code, province, city, county, …}}] from a file."""
    text = Path(path).read_text("utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return []
    first = [c.strip().lower() for c in next(csv.reader([lines[0]]))]
    if "url" in first:
        out = []
        for row in csv.DictReader(io.StringIO("\n".join(lines))):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            url = row.get("url", "")
            if url:
                out.append({"url": normalise_url(url),
                            "meta": {k: v for k, v in row.items() if k not in META_COLUMNS_SKIP and v}})
        return out
    return [{"url": normalise_url(ln.strip().split(",")[0]), "meta": {}} for ln in lines]


def normalise_url(url: str) -> str:
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        url = "http://" + url
    return url
