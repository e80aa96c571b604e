"""Spider inputs: the portal list (`-a portals=FILE`, `-a url=URL`) and argument checking.

Every wrong input raises `InputError` with one line saying what is wrong and what was expected;
`scrapy crawl` (crawler/commands/crawl.py) prints that line and exits non-zero before crawling.

A portals file is a CSV with a `url` column (plus `name`, `region_code`, `province`, `city`,
`county`, any other column carried as metadata) or a plain list of one URL per line. It may be
UTF-8 (with or without BOM) or GBK/GB18030 (what Excel writes on Chinese Windows).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

META_COLUMNS_SKIP = {"url"}
# Spider arguments (`-a name=value`): name → help line. The single list used by validation and `-a help=1`.
SPIDER_ARGUMENTS: dict[str, str] = {
    "url": "one portal start URL (http/https; a bare host gets http://)",
    "portals": "a portals file: CSV with a url column (+ name, region_code, province, city, county) "
               "or one URL a line; UTF-8 or GBK/GB18030",
    "samples": "serve and crawl another sample-farm directory (default samples/portals)",
    "years": "report years the coverage files expect, e.g. 2019-2024 or 2021,2023 (default: the years found per portal)",
    "full": "1 = fetch and export everything, not only new/changed reports (= GOVREPORTS_FULL_EXPORT)",
    "help": "1 = print the spider arguments and GOVREPORTS_* settings and exit",
}
# Arguments Scrapy itself passes to every spider.
_SCRAPY_ARGUMENTS = {"_job"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_HOST = re.compile(r"^(localhost|\[[0-9a-fA-F:]+\]|[^\s/?#@]+\.[^\s/?#@.]+)(:\d+)?$")
_NON_WEB_SCHEMES = {"file", "ftp", "mailto", "javascript", "data", "tel"}
_BINARY_MAGIC = {b"PK\x03\x04": "an .xlsx/zip file", b"\xd0\xcf\x11\xe0": "an .xls (OLE) file",
                 b"%PDF": "a PDF"}


class InputError(ValueError):
    """A wrong spider argument or input file; the message is the one line shown to the user."""


def check_arguments(kwargs: dict) -> None:
    """Unknown or conflicting spider arguments (`-a portal=x.csv` must not crawl the samples)."""
    unknown = sorted(k for k in kwargs if k not in SPIDER_ARGUMENTS and k not in _SCRAPY_ARGUMENTS)
    if unknown:
        raise InputError(f"unknown spider argument(s) {', '.join('-a ' + k for k in unknown)} "
                         f"(expected: {', '.join(SPIDER_ARGUMENTS)}; -a help=1 lists them)")
    given = [k for k in ("url", "portals", "samples") if kwargs.get(k) is not None]
    if len(given) > 1:
        raise InputError(f"give one of -a url, -a portals, -a samples (got {', '.join(given)})")
    for k in given:
        if not str(kwargs[k]).strip():
            raise InputError(f"-a {k}= is empty (expected {'a URL' if k == 'url' else 'a file or directory'})")
    if kwargs.get("years") not in (None, ""):
        from crawler.regions.coverage import parse_years
        try:
            parse_years(kwargs["years"])
        except ValueError as exc:
            raise InputError(f"-a {exc}") from None


def read_portals(path: str | Path) -> list[dict]:
    """[{"url": …, "meta": {name, region_code, province, city, county, …}}] from a file."""
    path = Path(path)
    lines = [ln for ln in _read_text(path).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise InputError(f"{path.name}: no portals in the file (expected a url column or one URL a line)")
    header = [c.strip() for c in next(csv.reader([lines[0]]))]
    keys = [c.lower() for c in header]
    if "url" in keys:
        return _read_csv(path, lines)
    if len(header) > 1 and not any(_looks_like_url(c) for c in header):
        raise InputError(f'{path.name}: no "url" column (columns: {", ".join(header)})')
    out = []
    for n, ln in enumerate(lines, 1):
        out.append({"url": normalise_url(ln.strip().split(",")[0], where=f"{path.name} line {n}"), "meta": {}})
    return out


def _read_csv(path: Path, lines: list[str]) -> list[dict]:
    out = []
    for n, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), 2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str) or v is None}
        url = row.get("url", "")
        if not url:
            continue
        out.append({"url": normalise_url(url, where=f"{path.name} row {n}"),
                    "meta": {k: v for k, v in row.items() if k not in META_COLUMNS_SKIP and v}})
    if not out:
        raise InputError(f'{path.name}: the "url" column is empty')
    return out


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (expected a portals CSV or a list of URLs)") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory (expected a portals CSV or a list of URLs)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{path.name}: is {what}, not text (save the sheet as CSV)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16 with BOM, tab-separated
        try:
            return data.decode("utf-16").replace("\t", ",")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows writes GBK (a subset of GB18030)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InputError(f"{path.name}: not UTF-8 or GBK/GB18030 text (save it as CSV UTF-8)")


def _looks_like_url(cell: str) -> bool:
    cell = cell.strip()
    return bool(_SCHEME.match(cell) and "://" in cell) or bool(_HOST.match(cell.split("/")[0]))


def normalise_url(url: str, where: str = "url") -> str:
    """An http(s) start URL; a bare host gets http://. Anything else is an InputError."""
    url = original = url.strip()
    m = _SCHEME.match(url)
    scheme = m.group(1).lower() if m else ""
    if m and (url[m.end():].startswith("//") or scheme in _NON_WEB_SCHEMES):
        if scheme not in ("http", "https"):
            raise InputError(f"{where}: {url!r} is not an http(s) URL")
    else:  # a bare host, possibly with a port ("www.x.gov.cn:8080/" also matches _SCHEME)
        url = "http://" + url
    host = urlsplit(url).netloc
    if not host or not _HOST.match(host.rsplit("@", 1)[-1]):
        raise InputError(f"{where}: {original!r} has no valid host name (expected e.g. http://www.example.gov.cn/)")
    return url
