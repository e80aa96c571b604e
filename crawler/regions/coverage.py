"""Expected units × years, and which of them have a report (pure code).

For every county portal crawled, the county itself and the 街道/镇/乡 the division list gives it
are the *expected* units. A record counts for the unit it was resolved to (resolve.py), whatever
portal it was found on: a town's report on the county site counts for that town. Each unit × year
gets the best status among its documents (complete > inconsistent > partial > failed), or
``not found``. Townships found but absent from the list get rows too (expected = no).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from crawler.regions.divisions import Divisions, Unit
from crawler.regions.resolve import TOWN_LEVELS, portal_place

STATUS_ORDER = ("complete", "inconsistent", "partial", "failed")
NOT_FOUND = "not found"
COLUMNS = ("portal", "portal_name", "county_code", "county_name", "unit", "code", "level", "year", "status",
           "expected", "documents", "url", "record_id")


def parse_years(text: str | None) -> list[int] | None:
    """'2019-2024', '2021,2023', '2023' → sorted years; None when not given; ValueError when malformed."""
    if text in (None, ""):
        return None
    years: set[int] = set()
    for part in str(text).replace("，", ",").split(","):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~]\s*(\d{4})\s*)?", part)
        if not m:
            raise ValueError(f"years={text!r}: expected YYYY, YYYY-YYYY or a comma-separated list of them")
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if not (2000 <= a <= b <= 2100):
            raise ValueError(f"years={text!r}: a range must run forwards, between 2000 and 2100")
        years.update(range(a, b + 1))
    return sorted(years)


@dataclass
class PortalCoverage:
    portal: str
    name: str
    county: Unit | None
    note: str
    years: list[int]
    rows: list[dict] = field(default_factory=list)


_TITLE_YEAR = re.compile(r"(20\d\d)\s*年")


def year_of(record: dict) -> int | None:
    """The report year; for a failed document (nothing parsed) the one year its link text or
    title prints (通羊镇2023年政府信息公开工作年度报告.pdf), if exactly one."""
    if isinstance(record.get("report_year"), int):
        return record["report_year"]
    if record.get("status") != "failed":
        return None
    years = {int(y) for k in ("title", "link_text") for y in _TITLE_YEAR.findall(str(record.get(k) or ""))}
    return years.pop() if len(years) == 1 else None


def _rank(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


def _unit_key(record: dict) -> tuple[str, str] | None:
    """(county_code, township code or printed name, '' for the county government itself)."""
    county = record.get("county_code")
    if not county:
        return None
    if record.get("township_code"):
        return county, record["township_code"]
    if record.get("township_name") and record.get("region_match") != "ambiguous":
        return county, "name:" + record["township_name"]
    if record.get("organ_level") == "county_government":
        return county, ""
    return None


def portal_county(portal: str, meta: dict, records: list[dict], div: Divisions) -> tuple[Unit | None, str]:
    """The portal's county: from its metadata, else from its own county government's reports."""
    place = portal_place(meta, div)
    if place.county is not None:
        return place.county, place.note
    codes = {r["county_code"] for r in records if r.get("portal") == portal and r.get("county_code")
             and r.get("organ_level") == "county_government" and r.get("region_match") == "exact"}
    if len(codes) == 1:
        unit = div.unit(codes.pop())
        return unit, f"county inferred from the portal's county government reports: {unit.name}"
    return None, place.note or "no county in the portal list and none inferred from its reports"


def coverage(portals: dict[str, dict], records: list[dict], div: Divisions,
             years: list[int] | None = None) -> list[PortalCoverage]:
    """One PortalCoverage per county (portals of the same county share it: a county site and a
    town site), then one per portal whose county is unknown; records are reports and failed rejects."""
    by_unit: dict[tuple[str, str], dict[int, list[dict]]] = {}
    for r in records:
        key, year = _unit_key(r), year_of(r)
        if key and year and r.get("status") in STATUS_ORDER:
            by_unit.setdefault(key, {}).setdefault(year, []).append(r)
    groups: dict[str, PortalCoverage] = {}
    unplaced = []
    for portal, meta in portals.items():
        county, note = portal_county(portal, meta, records, div)
        own_years = {r["report_year"] for r in records if r.get("portal") == portal
                     and isinstance(r.get("report_year"), int) and r.get("status") in STATUS_ORDER}
        name = str(meta.get("name") or "")
        if county is None:
            unplaced.append(PortalCoverage(portal, name, None, note, sorted(own_years)))
            continue
        pc = groups.get(county.code)
        if pc is None:
            groups[county.code] = PortalCoverage(portal, name, county, note, sorted(own_years))
        else:
            pc.portal += f";{portal}"
            pc.name = "; ".join(n for n in (pc.name, name) if n)
            pc.note = "; ".join(n for n in (pc.note, note) if n)
            pc.years = sorted(set(pc.years) | own_years)
    for pc in groups.values():
        pc.years = years or pc.years
        for unit, code, level, expected in _units(pc.county, by_unit, div):
            for year in pc.years:
                pc.rows.append(_row(pc, unit, code, level, year, expected, by_unit.get((pc.county.code, code), {}).get(year, [])))
    return list(groups.values()) + unplaced


def _units(county: Unit, by_unit: dict, div: Divisions):
    yield county.name, "", "county", True
    for t in div.towns(county.code):
        if t.level in TOWN_LEVELS:
            yield t.name, t.code, t.level, True
    expected = {t.code for t in div.towns(county.code) if t.level in TOWN_LEVELS}
    for c, code in sorted(by_unit):   # units with a report that are not expected: listed farms/zones, unlisted towns
        if c == county.code and code and code not in expected:
            unit = div.unit(code)
            if unit is not None:
                yield unit.name, code, unit.level, False
            else:
                yield code[5:], code, "township (not in list)", False


def _row(pc: PortalCoverage, unit: str, code: str, level: str, year: int, expected: bool, docs: list[dict]) -> dict:
    best = min(docs, key=lambda r: _rank(r["status"])) if docs else None
    return {"portal": pc.portal, "portal_name": pc.name, "county_code": pc.county.code, "county_name": pc.county.name,
            "unit": unit, "code": "" if code.startswith("name:") else code, "level": level, "year": year,
            "status": best["status"] if best else NOT_FOUND, "expected": "yes" if expected else "no",
            "documents": len(docs), "url": (best.get("document_url") or best.get("url") or "") if best else "",
            "record_id": (best.get("record_id") or "") if best else ""}


def rows_csv(rows: list[dict], columns=COLUMNS) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def missing(rows: list[dict]) -> list[dict]:
    """Expected unit × year with no readable report: not found, or only failed documents."""
    return [r for r in rows if r["expected"] == "yes" and r["status"] in (NOT_FOUND, "failed")]
