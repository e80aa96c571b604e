"""Report identity: which documents are the same report, and the stable `record_id`.

Pure code (no Scrapy). The dedup pipeline, the state store and the parser's CLI all use it.

Keys, strongest first (`dedup_keys`):

1. ``("index_no", <索引号>, <issuer>)`` when the 索引号 has a real shape (report-format.md §6.2) and
   is not junk (keyboard-mash codes such as ``234234234444444444/2024-00001``, placeholders), and
   an issuer is known: the organ resolved by the parser, or failing that a 发布机构 that names a
   specific unit (a bare ``政府办公室`` is not an issuer). The issuer part is the innermost
   administrative unit, so ``攀枝花市米易县得石镇`` and ``米易县得石镇人民政府`` agree.
2. ``("organ_year", <organ>, <report year>)``: organ normalised (no whitespace, no trailing
   人民政府/政府/办事处, hierarchy cut to the last two administrative units).
3. ``("unit_year", <innermost unit>, <report year>, <portal host>)``: catches a county column's
   copy titled with the short name (得石镇) of a town report titled 米易县得石镇 on the same portal.
4. ``("content", <content_sha1>)``.

`record_id(record)` hashes the strongest key, so the same report gets the same id run after run.
(The pipeline keeps a persistent key → id map, so a copy that only has a weaker key, e.g. the PDF
of an HTML page with a 索引号, gets the id of the record it merges into.)
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from urllib.parse import urlsplit

_WS = re.compile(r"\s+")
_PLACEHOLDERS = {"", "/", "-", "--", "—", "无", "暂无", "null", "none", "n/a", "na", "空", "0"}
# report-format.md §6.2: <issuer code>/<year>[month]-<serial>
_INDEX_SHAPE = re.compile(r"^(?P<code>[0-9A-Za-z\-]{3,20})/(?P<year>(?:19|20)\d{2})(?:\d{2})?-(?P<serial>\d{1,8})$")
# Site-local codes with a numeric id (ningjin: dczx/1674120257266).
_INDEX_LOCAL = re.compile(r"^(?P<code>[A-Za-z][A-Za-z0-9]{1,19})/(?P<serial>\d{6,16})$")
_SAME_RUN = re.compile(r"(.)\1{5,}")  # six or more identical characters in a row
_KEYBOARD_RUNS = ("qwer", "asdf", "zxcv", "uiop", "hjkl", "1234567890")

_TRAILING = re.compile(r"(?:人民政府|政府|办事处)+$")
# An administrative unit: at least one character, then a level suffix (never a bare suffix).
_UNIT = re.compile(
    r"[^省市州盟县区旗镇乡]{1,12}?(?:自治区|自治州|自治县|自治旗|特别行政区|地区|街道|苏木|民族乡|省|市|州|盟|县|区|旗|镇|乡)"
)
_GENERIC_PUBLISHERS = re.compile(
    r"^(?:[省市县区镇乡]?(?:人民)?政府)?(?:办公室|办公厅|政府办|党政办(?:公室)?|综合办(?:公室)?|党政综合办公室|"
    r"信息中心|网站管理员|管理员|本站|本网|admin)?$"
)

STATUS_RANK = {"complete": 4, "inconsistent": 3, "partial": 2, "failed": 1, "not_a_report": 0}


def _nfkc(text) -> str:
    if text is None:
        return ""
    return _WS.sub("", unicodedata.normalize("NFKC", str(text)))


def normalise_index_no(value) -> str | None:
    """The 索引号 as a dedup component, or None when it is empty, a placeholder or junk."""
    s = _nfkc(value).replace("／", "/")
    if s.lower() in _PLACEHOLDERS:
        return None
    m = _INDEX_SHAPE.match(s) or _INDEX_LOCAL.match(s)
    if not m:
        return None
    code = m.group("code").replace("-", "")
    if _is_junk_code(code):
        return None
    return s.upper()


def _is_junk_code(code: str) -> bool:
    if _SAME_RUN.search(code):
        return True
    # A short block repeated from the start: 123123123…, 234234234…, abab…
    for n in range(1, 5):
        block = code[:n]
        reps = 0
        while code.startswith(block * (reps + 1)):
            reps += 1
        if reps >= 3 and reps * n >= 6:
            return True
    for n in range(2, 7):  # the whole code is one block repeated: asdfasdf
        if len(code) % n == 0 and len(code) > n and code == code[:n] * (len(code) // n):
            return True
    low = code.lower()
    return any(row in low for row in _KEYBOARD_RUNS)


def normalise_organ(organ) -> str | None:
    """Organ for comparisons: whitespace, trailing 人民政府/政府/办事处 and upper hierarchy removed."""
    s = _TRAILING.sub("", _nfkc(organ))
    if not s:
        return None
    units = []
    pos = 0
    while True:
        m = _UNIT.match(s, pos)
        if not m:
            break
        units.append(m.group(0))
        pos = m.end()
    rest = s[pos:]
    if len(units) > 2:
        units = units[-2:]
    out = "".join(units) + rest
    return out or None


def issuer_unit(organ) -> str | None:
    """The innermost named unit (得石镇 of 攀枝花市米易县得石镇人民政府), plus any department name after it."""
    s = _TRAILING.sub("", _nfkc(organ))
    if not s:
        return None
    units = []
    pos = 0
    while True:
        m = _UNIT.match(s, pos)
        if not m:
            break
        units.append(m.group(0))
        pos = m.end()
    rest = s[pos:]
    if rest and units:
        # a department (…县市场监督管理局): keep its county to tell it from other counties' bureaux
        return units[-1] + rest
    return (units[-1] if units else rest) or None


def resolve_issuer(record: dict) -> str | None:
    """The organ if the parser resolved one; else a 发布机构 that names a specific unit."""
    organ = record.get("organ")
    if organ and issuer_unit(organ):
        return issuer_unit(organ)
    pub = _TRAILING.sub("", _nfkc(record.get("publisher")))
    if not pub or _GENERIC_PUBLISHERS.match(pub) or not _UNIT.match(pub):
        return None
    return issuer_unit(pub)


def dedup_keys(record: dict) -> list[tuple]:
    """All identity keys of a record, strongest first (see module docstring)."""
    keys: list[tuple] = []
    idx = normalise_index_no(record.get("index_no"))
    issuer = resolve_issuer(record)
    if idx and issuer:
        keys.append(("index_no", idx, issuer))
    organ = normalise_organ(record.get("organ"))
    year = record.get("report_year")
    if organ and isinstance(year, int):
        keys.append(("organ_year", organ, year))
    unit = issuer_unit(record.get("organ"))
    site = _site(record.get("portal"))
    if unit and site and isinstance(year, int):
        keys.append(("unit_year", unit, year, site))
    sha = record.get("content_sha1")
    if sha:
        keys.append(("content", str(sha)))
    return keys


def _site(portal) -> str | None:
    """Host of the portal start URL (no port, no www.): the scope of the unit_year key."""
    if not portal:
        return None
    host = (urlsplit(str(portal)).hostname or "").lower()
    return host[4:] if host.startswith("www.") else (host or None)


def key_string(key: tuple) -> str:
    return json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))


def id_for_key(key: tuple) -> str:
    return "r" + hashlib.sha1(key_string(key).encode("utf-8")).hexdigest()[:16]


def record_id(record: dict) -> str:
    """Stable id from the strongest dedup key (from the URL when a record has no key at all)."""
    keys = dedup_keys(record)
    if keys:
        return id_for_key(keys[0])
    return id_for_key(("url", record.get("document_url") or record.get("url") or ""))


def _cells(record: dict) -> int:
    n = 0
    for t in ("table2", "table3", "table4"):
        rows = ((record.get(t) or {}).get("rows")) or {}
        for cols in rows.values():
            n += sum(1 for v in (cols or {}).values() if v is not None)
    return n


def quality(record: dict) -> tuple:
    """Sort key for 'best-parsed document': status, tables found, cells read, metadata, not a _wap twin."""
    tables = sum(1 for t in ("table2", "table3", "table4") if record.get(t))
    meta = sum(1 for f in ("index_no", "publisher", "written_date", "published_date", "organ", "title")
               if record.get(f))
    url = str(record.get("document_url") or record.get("url") or "")
    return (STATUS_RANK.get(record.get("status"), 0), tables, _cells(record), meta,
            0 if "_wap." in url else 1)


def data_hash(record: dict) -> str:
    """Hash of what an analyst reads (status, year, organ, every table cell): two copies of one
    report (HTML page and its PDF) agree; a corrected report does not."""
    payload = {
        "status": record.get("status"),
        "year": record.get("report_year"),
        "organ": issuer_unit(record.get("organ")),
        "tables": {t: (record.get(t) or {}).get("rows") for t in ("table2", "table3", "table4")},
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()
