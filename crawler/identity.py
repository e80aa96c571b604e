"""Report identity: which documents are the same report, and the stable `record_id`.

Pure code (no Scrapy). The dedup binder (crawler/dedup/binding.py) is its one user during a crawl.

Keys, strongest first (`dedup_keys`); a shared key only *proposes* a merge:

1. ``("index_no", <索引号>, <issuer>)`` when the 索引号 has a real shape (report-format.md §6.2) and
   is not junk (keyboard-mash codes such as ``234234234444444444/2024-00001``, placeholders), and
   an issuer is known: the organ resolved by the parser, or failing that a 发布机构 that names a
   specific unit (a bare ``政府办公室`` is not an issuer). The issuer part is the innermost
   administrative unit, so ``攀枝花市米易县得石镇`` and ``米易县得石镇人民政府`` agree.
2. ``("organ_year", <organ>, <report year>)`` for a *qualified* organ (at least two administrative
   units, e.g. 米易县得石镇: a bare 城关镇 or 朝阳区 exists in many counties and cities).
3. ``("unit_year", <innermost unit>, <report year>, <site>)``: a short-named organ (得石镇), scoped
   to the portal's site (registrable domain: www.miyi.gov.cn and deshi.miyi.gov.cn are one site).
4. ``("content", <content_sha1>)``: identical text.
5. ``("page", <page URL>)``: an HTML page, its ``_wap``/``_print`` twin and the attachments linked
   from it (an attachment's record carries the page it was found on in ``url``).

The conflict rule (`identity_of`, `conflict`) decides: two documents are never the same report when
a stronger field differs on both sides: the 索引号 (both real-shaped; only a copy in another
unit's catalogue — another issuer code — naming the same issuer and year may differ), the issuer (or the unit above
it, e.g. the county of a 城关镇), the report year, the portal's county (``portal_region_code`` /
``portal_county`` from the portals file), or the site when the issuer is not known on both sides
(identical bodies on two portals stay apart unless both name the same issuer). Missing is not
conflicting: the PDF of a page often has no 索引号 or organ.

`record_id(record)` hashes the strongest key, so the same report gets the same id run after run.
(The binder keeps a persistent key → id map, so a copy that only has a weaker key, e.g. the PDF
of an HTML page with a 索引号, gets the id of the record it merges into.)
"""
from __future__ import annotations

import functools
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
# An administrative unit: at least one character, then a level suffix (never a bare suffix). The
# 乡 of 城乡建设/城乡规划 (a bureau's name) is no township; 古城乡 is one.
_UNIT = re.compile(
    r"[^省市州盟县区旗镇乡]{1,12}?(?:自治区|自治州|自治县|自治旗|特别行政区|地区|街道|苏木|民族乡|省|市|州|盟|县|区|旗|镇|"
    r"(?<!城)乡|乡(?!建设|规划))"
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


def unit_chain(name) -> tuple[list[str], str]:
    """Administrative units from the start of `name` (outermost first) and what follows them:
    攀枝花市米易县得石镇人民政府 → ([攀枝花市, 米易县, 得石镇], "")."""
    s = _TRAILING.sub("", _nfkc(name))
    units = []
    pos = 0
    while (m := _UNIT.match(s, pos)):
        units.append(m.group(0))
        pos = m.end()
    return units, s[pos:]


def normalise_organ(organ) -> str | None:
    """Organ for comparisons: whitespace, trailing 人民政府/政府/办事处 and upper hierarchy removed."""
    units, rest = unit_chain(organ)
    out = "".join(units[-2:]) + rest
    return out or None


def issuer_unit(organ) -> str | None:
    """The innermost named unit (得石镇 of 攀枝花市米易县得石镇人民政府), plus any department name after it."""
    units, rest = unit_chain(organ)
    if rest and units:
        # a department (…县市场监督管理局): keep its county to tell it from other counties' bureaux
        return units[-1] + rest
    return (units[-1] if units else rest) or None


def _issuer_name(record: dict) -> str | None:
    """The name the issuer is read from: the organ if the parser resolved one; else a 发布机构
    that names a specific unit."""
    organ = record.get("organ")
    if organ and unit_chain(organ)[0]:  # an organ names an administrative unit (not "信息类别")
        return organ
    pub = _TRAILING.sub("", _nfkc(record.get("publisher")))
    if not pub or _GENERIC_PUBLISHERS.match(pub) or not _UNIT.match(pub):
        return None
    return pub


def resolve_issuer(record: dict) -> str | None:
    """The organ if the parser resolved one; else a 发布机构 that names a specific unit."""
    name = _issuer_name(record)
    return issuer_unit(name) if name else None


def dedup_keys(record: dict) -> list[tuple]:
    """All identity keys of a record, strongest first (see module docstring)."""
    keys: list[tuple] = []
    idx = normalise_index_no(record.get("index_no"))
    issuer = resolve_issuer(record)
    if idx and issuer:
        keys.append(("index_no", idx, issuer))
    year = record.get("report_year")
    units, _ = unit_chain(record.get("organ"))
    if len(units) >= 2 and isinstance(year, int):
        keys.append(("organ_year", normalise_organ(record.get("organ")), year))
    unit = issuer_unit(record.get("organ")) if unit_chain(record.get("organ"))[0] else None
    site = _site(record.get("portal"))
    if unit and site and isinstance(year, int):
        keys.append(("unit_year", unit, year, site))
    sha = record.get("content_sha1")
    if sha:
        keys.append(("content", str(sha)))
    page = page_of(record)
    if page:
        keys.append(("page", page))
    return keys


_TWIN_SUFFIX = re.compile(r"_(?:wap|print)(?=\.[A-Za-z0-9]+$)")


def page_of(record: dict) -> str | None:
    """The page a document was published on, without its _wap/_print twin suffix: an attachment
    and the HTML page that links it (record["url"]) meet here."""
    url = record.get("url") or record.get("document_url")
    if not url:
        return None
    parts = urlsplit(str(url))
    path = _TWIN_SUFFIX.sub("", parts.path)
    return f"{(parts.hostname or '').lower()}{':' + str(parts.port) if parts.port else ''}{path}" + (
        f"?{parts.query}" if parts.query else "")


_IP = re.compile(r"^[\d.]+$|:")


def _site(portal) -> str | None:
    """The portal's site: its registrable domain (miyi.gov.cn for www.miyi.gov.cn and
    deshi.miyi.gov.cn; two labels outside gov.cn/com.cn-style suffixes); host:port for an IP."""
    if not portal:
        return None
    parts = urlsplit(str(portal))
    host = (parts.hostname or "").lower()
    if not host:
        return None
    if _IP.search(host):
        return f"{host}:{parts.port}" if parts.port else host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


_SECOND_LEVEL = {"gov", "com", "net", "org", "edu", "ac"}


def _county_of(record: dict) -> str | None:
    """The portal's county from the portals file: a 6-digit county code (510421; longer township
    codes are cut to their county), else the county name."""
    code = re.sub(r"\D", "", str(record.get("portal_region_code") or ""))
    if len(code) >= 6 and code[4:6] != "00":
        return "code:" + code[:6]
    name = _TRAILING.sub("", _nfkc(record.get("portal_county")))
    return ("name:" + name) if name else None


def identity_of(record: dict) -> dict:
    """The fields that decide whether two documents may be the same report (JSON-serialisable)."""
    units, _ = unit_chain(_issuer_name(record))
    year = record.get("report_year")
    site = _site(record.get("portal"))
    out = {
        "index_no": normalise_index_no(record.get("index_no")),
        "issuer": resolve_issuer(record),
        "parent": units[-2] if len(units) >= 2 else None,
        "year": year if isinstance(year, int) else None,
        "county": _county_of(record),
        # the page's own title, else the text of the link that led to it (a page whose title the
        # parser could not read is still named by the list that links it)
        "title_unit": _title_unit(record.get("title")) or _title_unit(record.get("link_text")),
        "sites": [site] if site else [],
    }
    # the unit the document names, by its organ/publisher or else its title: an organ on one copy
    # and a title on the other are compared too
    named = out["issuer"] or out["title_unit"]
    out["unit"] = re.sub(r"(?:人民)?政府", "", named) or named if named else None
    return out


# A department named after the unit at the start of a title (…县应急管理局关于…, …市财政局2023年…).
_TITLE_DEPT = re.compile(r"^(?:人民)?(?:政府)?(?P<dept>[^\d关年].{0,15}?(?:委员会|办公室|局|委|办|院|中心|所|站|会|部|厅|队|"
                         r"处|司|馆|社|署|室))(?=关于|\d|年度|政府信息|信息公开|$)")


def _title_unit(title) -> str | None:
    """The unit a title starts with (得石镇 of 米易县得石镇2023年…报告), with its department if one
    follows (米易县应急管理局): template reports of two townships, or two bureaux of one county,
    whose organ was not resolved still differ here."""
    units, rest = unit_chain(title)
    if not units:
        return None
    m = _TITLE_DEPT.match(rest)
    dept = m.group("dept") if m else ""
    if dept in ("办事处", "办公室") and not rest.startswith(("人民政府", "政府")):
        dept = ""  # 河宝街道办事处 is the 街道 itself
    return units[-1] + dept
_LABELS = (("index_no", "索引号"), ("year", "report year"), ("issuer", "issuer"), ("county", "portal county"),
           ("title_unit", "unit named by the title"), ("unit", "unit named (organ or title)"))


def conflict(a: dict, b: dict) -> str | None:
    """Why identities `a` and `b` cannot be one report (None: they may be). Missing ≠ conflicting."""
    for field, label in _LABELS:
        if a.get(field) and b.get(field) and a[field] != b[field]:
            if field == "index_no" and _other_catalogue_copy(a, b):
                continue
            if field == "county" and a[field].split(":")[0] != b[field].split(":")[0]:
                continue  # a code and a name cannot be compared
            return f"{label} differs ({a[field]} / {b[field]})"
    pa, pb = a.get("parent"), b.get("parent")
    if pa and pb and pa != pb:
        why = _parents_differ(pa, pb)
        if why:
            return f"issuer's parent unit differs ({pa} / {pb}{why})"
    if a.get("sites") and b.get("sites") and not set(a["sites"]) & set(b["sites"]):
        if not (a.get("issuer") and b.get("issuer")):
            return f"other site ({a['sites'][0]} / {b['sites'][0]}) and the issuer is not known on both"
    return None


_COUNTY_LEVEL = ("县", "区", "旗")  # 自治县, 自治旗, 新区 … end with these too


def _level(unit: str) -> str:
    return "county" if unit.endswith(_COUNTY_LEVEL) else unit[-1]


def _parents_differ(pa: str, pb: str) -> str:
    """Why two different parent units cannot hold one issuer ("" when they may). By the national
    division list: a county inside the other unit (永胜县 in 丽江市, 安宁市 in 昆明市) may be the
    same issuer written with or without its county; two known units neither of which contains the
    other (丽江市 / 米易县, a county-level 安宁市 / 永胜县) cannot. Names the list does not know
    keep the plain rule: parents of one level differ (县, 区 and 旗 are one level)."""
    places = [_places(pa), _places(pb)]
    if all(places):
        (ca, pa_), (cb, pb_) = places
        if any(c.startswith(p) for c in ca for p in pb_) or any(c.startswith(p) for c in cb for p in pa_):
            return ""   # one contains the other
        return ": neither contains the other"
    return ": one level" if _level(pa) == _level(pb) else ""


@functools.lru_cache(maxsize=4096)
def _places(unit: str) -> tuple[frozenset, frozenset] | None:
    """(codes of the counties named `unit`, code prefixes of the units named `unit` that may contain
    a county), or None when the division list knows no unit of that name."""
    from crawler.regions.divisions import load
    div = load()
    counties = frozenset(u.code for u in div.counties_named(unit)[0] if u.name == unit)
    prefectures = frozenset(u.code for u in div.prefectures_named(unit) if u.name == unit)
    if not counties and not prefectures:
        return None
    return counties, prefectures


def _other_catalogue_copy(a: dict, b: dict) -> bool:
    """Two 索引号 from different catalogues (issuer codes) on copies that name the same issuer and
    year: the county republished the town's report in its own catalogue. Within one catalogue two
    索引号 are two documents."""
    code_a, code_b = a["index_no"].split("/")[0], b["index_no"].split("/")[0]
    return (code_a != code_b and bool(a.get("issuer")) and a.get("issuer") == b.get("issuer")
            and bool(a.get("year")) and a.get("year") == b.get("year"))


def combine(a: dict, b: dict) -> dict:
    """The identity of a report after merging two compatible copies (missing fields filled)."""
    out = {k: a.get(k) or b.get(k) for k in ("index_no", "issuer", "parent", "year", "county", "title_unit", "unit")}
    out["sites"] = sorted(set(a.get("sites") or []) | set(b.get("sites") or []))
    return out


def key_string(key: tuple) -> str:
    return json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))


def id_for_key(key: tuple) -> str:
    return "r" + hashlib.sha1(key_string(key).encode("utf-8")).hexdigest()[:16]


def id_candidates(record: dict) -> list[str]:
    """Ids a new report may take, best first: from each identity key (the page relation is not an
    identity: two attachments of one page are not one document), then from the document URL."""
    keys = [k for k in dedup_keys(record) if k[0] != "page"]
    keys.append(("url", record.get("document_url") or record.get("url") or ""))
    return [id_for_key(k) for k in keys]


def record_id(record: dict) -> str:
    """Stable id from the strongest identity key (from the document URL when it has none). The
    dedup binder (crawler/dedup/binding.py) gives copies the id of the report they merge into."""
    return id_candidates(record)[0]


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
