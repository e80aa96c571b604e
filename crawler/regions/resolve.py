"""Which county and township a record belongs to, from the official division list (pure code).

Evidence, strongest first: the portal's metadata (``portal_region_code``, else ``portal_county``
within ``portal_province``/``portal_city``), then the names printed in the organ, title, link text
and publisher; the host name (pinyin, hosts.py) only breaks a tie between the text's candidates.
The portal decides between same-named units; nothing is guessed across counties:

- ``exact``: the unit is named in full and agrees with the portal (a township: county and township
  both named, e.g. 景东彝族自治县漫湾镇人民政府; a county-level organ: its county fixed by code, full
  name or a recorded rename);
- ``by_name_in_county``: a township found by its name among the townships of the county the
  portal (or the text) fixed, e.g. 漫湾镇人民政府 on the 景东 portal, or by its stem when the
  suffix changed (黄花乡 → 黄花镇; the note says so); also a county known only by its name stem
  (a portal's 兴化县 for the list's 兴化市);
- ``ambiguous``: several units fit (a town name in two counties with no portal to decide, or the
  organ names another county than the portal's): codes left null, the note lists the candidates;
- ``none``: nothing in the list fits.

`region_note` says how the match was made or why it failed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.regions.divisions import Divisions, Unit, stem
from crawler.regions.hosts import host_counties

TOWN_LEVELS = ("街道", "镇", "乡")
_TOWN_TOKEN = re.compile(r"(?:街道办事处|街道|镇|乡|苏木)")
_DIGITS = re.compile(r"\d+")
# a township name as printed: starts after the last county-level suffix (青山县黄花乡 → 黄花乡)
_PRINTED_TOWN = re.compile(r"([^县市区旗省州盟\s\d]{2,10}?(?:街道办事处|街道|镇|乡|苏木))")
_TOWN_SUFFIX_AFTER = ("街道", "镇", "乡", "办事处", "社区")
_COUNTY_NAME_MIN = 3  # 2-character county names (城区, 沙县) appear inside other words: never scanned alone


@dataclass
class Place:
    county: Unit | None = None
    prefix: str | None = None      # province/prefecture code the portal pins down when no county
    named: bool = False             # county found by its exact name or code (not by stem or rename)
    note: str = ""
    town: Unit | None = None        # a township portal: its 9/12-digit region_code


def empty_region() -> dict:
    return {"county_code": None, "county_name": None, "township_name": None, "township_code": None,
            "region_match": "none", "region_note": None}


# ---------------------------------------------------------------------- the portal's place
def portal_place(meta: dict, div: Divisions) -> Place:
    """County (or province/prefecture prefix) from the portal's row in portals.csv."""
    code = "".join(_DIGITS.findall(str(meta.get("region_code") or "")))
    prefix = _prefix_from_names(meta, div)
    county_name = str(meta.get("county") or "").strip()
    from_name = not county_name   # a portal name (XX市人民政府) may be a prefecture's: exact names only
    county_name = county_name or _strip_government(str(meta.get("name") or ""))
    if len(code) >= 6:
        unit = div.unit(code[:6])
        if unit is not None:
            note = ""
            if county_name and stem(county_name) != stem(unit.name):
                note = f"portal county {county_name} differs from {unit.name} ({unit.code}) of its region_code; code used"
            return Place(unit, unit.code, True, note, div.unit(code[:9]) if len(code) >= 9 else None)
        # a prefecture (xxxx00) or province (xx0000) code: it narrows the name search
        for n in (4, 2):
            if code[n:6].strip("0") == "" and div.unit(code[:n]):
                prefix = code[:n] if not prefix or code[:n].startswith(prefix) else prefix
                break
    if not county_name:
        return Place(None, prefix, False, "")
    found, exact = div.counties_named(county_name, prefix)
    if from_name and not exact:
        cities = [u for u in div.prefectures_named(county_name, prefix) if u.name == county_name]
        if len(cities) == 1:   # 抚顺市人民政府 is the prefecture's portal, not 抚顺县's
            return Place(None, cities[0].code, False, f"portal {county_name} is a prefecture")
        found = []
    if len(found) == 1:
        note = "" if exact else f"portal county {county_name} matched {found[0].name} ({found[0].code}) by name stem"
        return Place(found[0], found[0].code, exact, note)
    if not found:
        for change, units in div.renamed(county_name, prefix):
            if len(units) == 1:
                return Place(units[0], units[0].code, True,
                             f"portal county {county_name} became {units[0].name} on {change.date}")
        return Place(None, prefix, False, f"portal county {county_name} not in the division list")
    return Place(None, prefix, False, f"portal county {county_name} fits {_names(found)}")


_MEMO_MAX = 4096


def _portal_place_memo(meta: dict, div: Divisions) -> Place:
    """`portal_place`, once per distinct portal metadata and division list (every record of a
    portal has the same); the Place is shared, so it is never modified."""
    try:
        key = ("portal_place", tuple(sorted((k, type(v).__name__, v) for k, v in meta.items())))
        hash(key)
    except TypeError:   # a metadata value that cannot be a key: no memo
        return portal_place(meta, div)
    memo = div.memo
    place = memo.get(key)
    if place is None:
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        place = memo[key] = portal_place(meta, div)
    return place


def _strip_government(name: str) -> str:
    for tail in ("人民政府门户网站", "人民政府网", "人民政府", "政府门户网站", "政府网"):
        if name.endswith(tail):
            return name[: -len(tail)]
    return ""


def _prefix_from_names(meta: dict, div: Divisions) -> str | None:
    prefix = None
    provinces = div.provinces_named(str(meta.get("province") or "").strip()) if meta.get("province") else []
    if len(provinces) == 1:
        prefix = provinces[0].code
    if meta.get("city"):
        cities = div.prefectures_named(str(meta["city"]).strip(), prefix)
        if len(cities) == 1:
            prefix = cities[0].code
    return prefix


def _names(units) -> str:
    return ", ".join(f"{u.name} ({u.code})" for u in list(units)[:5]) + (" …" if len(units) > 5 else "")


# ---------------------------------------------------------------------- names in the text
def counties_in(text: str, div: Divisions, prefix: str | None) -> list[Unit]:
    """Counties named in `text` (longest names first, within `prefix`); a renamed county counts
    as its successor. Same-named counties are narrowed by a prefecture/province name printed before."""
    hits: list[Unit] = []
    heads = div.name_heads()[1]
    by_name = div.counties_by_name
    i = 0
    while i < len(text):
        if text[i:i + _COUNTY_NAME_MIN] not in heads:   # no county (or former county) name starts here
            i += 1
            continue
        for n in range(min(12, len(text) - i), _COUNTY_NAME_MIN - 1, -1):
            piece = text[i:i + n]
            units = by_name.get(piece)
            units = div.within(units, prefix) if units else []
            if not units:
                units = [u for _, us in div.renamed(piece, prefix) for u in us][:1] if piece[-1] in "县市区旗" else []
            if units and text.startswith(_TOWN_SUFFIX_AFTER, i + n):
                units = []   # 新市区街道 is a township's name, not the county 新市区
            if units:
                if len(units) > 1:   # a province/prefecture printed before it (河南省开封市鼓楼区)
                    units = [u for u in units if _parent_named(u, text[:i], div)] or units
                hits += [u for u in units if u not in hits]
                i += n - 1
                break
        i += 1
    return hits


def _parent_named(unit: Unit, text: str, div: Divisions) -> bool:
    return any(stem(p.name, ("省", "市", "自治区", "地区", "自治州", "盟")) in text for p in div.path(unit.code)[:2])


def towns_in(text: str, towns: list[Unit]) -> tuple[list[Unit], bool]:
    """Townships of one county named in `text`: (units, by_exact_name). The longest name wins
    where one name contains another; a stem with another suffix (黄花乡 for 黄花镇) is the fallback."""
    hits = [(t, v) for t in towns for v in _variants(t.name) if v in text]
    if hits:
        longest = [(t, v) for t, v in hits if not any(v != w and v in w for _, w in hits)]
        return _unique([t for t, _ in longest]), True
    stems = []
    for t in towns:
        s = stem(t.name)
        if len(s) >= 2 and s != t.name and re.search(re.escape(s) + _TOWN_TOKEN.pattern, text):
            stems.append(t)
    return _unique(stems), False


def _variants(name: str) -> tuple[str, ...]:
    return (name[:-3],) if name.endswith("办事处") and len(name) > 5 else (name,)


def _unique(units):
    out = []
    for u in units:
        if u not in out:
            out.append(u)
    return out


def national_towns(text: str, div: Divisions, prefix: str | None) -> list[Unit]:
    """Townships anywhere (within `prefix`) whose full name appears in `text`."""
    hits: list[Unit] = []
    heads = div.name_heads()[0]
    by_name = div.towns_by_name
    i = 0
    while i < len(text):
        step = 1
        if text[i:i + 2] not in heads:   # no township name starts here
            i += 1
            continue
        for n in range(min(14, len(text) - i), 1, -1):
            units = by_name.get(text[i:i + n])
            if not units:
                continue
            units = div.within(units, prefix)
            if units and units[0].level in TOWN_LEVELS:
                hits += [u for u in units if u not in hits]
                step = n   # 河南店镇 is not also 店镇
                break
        i += step
    return hits


# ---------------------------------------------------------------------- the record
def resolve(record: dict, div: Divisions) -> dict:
    meta = {k[len("portal_"):]: v for k, v in record.items() if k.startswith("portal_") and v not in (None, "")}
    place = _portal_place_memo(meta, div)
    texts = [str(record.get(k)) for k in ("organ", "title", "link_text", "unit_hint", "list_context", "publisher")
             if record.get(k)]   # unit_hint/list_context: the spider's path hints, when the record carries them
    out = empty_region()
    notes = [place.note] if place.note else []

    county, named, conflict = place.county, place.named, None
    for text in texts[:2]:   # organ, title: the county printed with the organ's name
        # a county the portal fixed is checked against every county named (anywhere in the country),
        # leaving out its own townships' names (玉门市's 新市区街道 does not name 乌鲁木齐's 新市区)
        scan = text
        if county is not None:
            for town in towns_in(text, div.towns(county.code))[0]:
                scan = scan.replace(town.name, "|")
        found = counties_in(scan, div, None if place.county else place.prefix)
        if not found:
            continue
        if county is not None and county not in found:
            conflict = found
        elif county is not None:
            named = named or county.name in text
        elif county is None and len(found) == 1:
            county, named = found[0], True
            if county.name not in text:
                notes.append(f"'{text}' uses a former name of {county.name}")
        elif county is None:
            # same-named counties (朝阳区, 城区): the one that has the township the text names
            with_town = [c for c in found if towns_in(text, div.towns(c.code))[0]]
            if len(with_town) == 1:
                county, named = with_town[0], True
            else:
                conflict = found
        break
    if conflict is not None:   # the organ's own name against the portal: no code rather than a wrong one
        out["region_match"] = "ambiguous"
        where = f"the portal's {county.name} ({county.code})" if county else "no portal county"
        out["region_note"] = "; ".join(notes + [f"organ/title names {_names(conflict)}, {where}"])
        return out

    wants_town = _is_township(record, texts)
    if county is not None:
        out["county_code"], out["county_name"] = county.code, county.name
        if not wants_town:   # a county matched only by its name stem (兴化县 → 兴化市) is not exact
            out["region_match"] = "exact" if named else "by_name_in_county"
            out["region_note"] = "; ".join(notes) or None
            return out
        return _with_town(out, texts, county, div, notes, county_named_in_text=_named_in(county, texts[:2]),
                          portal_town=place.town if county == place.county else None)
    if wants_town and texts:
        urls = [record.get(k) for k in ("portal", "url", "document_url") if record.get(k)]
        return _town_without_county(out, texts, div, place, notes, urls)
    out["region_note"] = "; ".join(notes + ["no county from the portal or the text"])
    return out


def _is_township(record: dict, texts: list[str]) -> bool:
    level = record.get("organ_level")
    if level:
        return level == "township"
    return any(_TOWN_TOKEN.search(t) for t in texts[:2])


def _named_in(county: Unit, texts: list[str]) -> bool:
    return any(county.name in t for t in texts)


def _with_town(out: dict, texts: list[str], county: Unit, div: Divisions, notes: list[str],
               county_named_in_text: bool, portal_town: Unit | None = None) -> dict:
    towns = div.towns(county.code)
    for text in texts:
        found, exact = towns_in(text, towns)
        if not found:
            continue
        if len(found) > 1:
            out["region_match"] = "ambiguous"
            out["region_note"] = "; ".join(notes + [f"'{text}' names several townships of {county.name}: {_names(found)}"])
            return out
        town = found[0]
        out["township_name"], out["township_code"] = town.name, town.code
        if exact and county_named_in_text:
            out["region_match"] = "exact"
        else:
            out["region_match"] = "by_name_in_county"
            if not exact:
                notes = notes + [f"'{text}' matched {town.name} by name stem (renamed or suffix changed)"]
        out["region_note"] = "; ".join(notes) or None
        return out
    out["township_name"] = _town_token(texts)
    if portal_town is not None and out["township_name"] is None:   # 本镇/镇人民政府 on a township's own portal
        out.update(township_name=portal_town.name, township_code=portal_town.code, region_match="exact",
                   region_note="; ".join(notes + ["township from the portal's region_code"]))
        return out
    out["region_match"] = "none"
    out["region_note"] = "; ".join(notes + [f"township not in the division list of {county.name} ({county.code})"])
    return out


def _town_token(texts: list[str]) -> str | None:
    """The township name as printed (for a unit the list does not have): the shortest tail of the
    organ ending in a township suffix after the county-level name."""
    for text in texts[:1]:
        m = _PRINTED_TOWN.search(text)
        if m:
            name = m.group(1)
            return name[:-3] if name.endswith("街道办事处") else name
    return None


def _town_without_county(out: dict, texts: list[str], div: Divisions, place: Place, notes: list[str],
                         urls: list[str]) -> dict:
    for text in texts:
        found = national_towns(text, div, place.prefix)
        if not found:
            continue
        counties = _unique([f.code[:6] for f in found])
        why = None
        # a two-character county name (赵县, 涉县) printed right before one of its townships
        prefixed = [f for f in found if div.unit(f.code[:6]).name + f.name in text]
        if len(prefixed) == 1:
            town, county = prefixed[0], div.unit(prefixed[0].code[:6])
            out.update(county_code=county.code, county_name=county.name, township_name=town.name,
                       township_code=town.code, region_match="exact")
            out["region_note"] = "; ".join(notes) or None
            return out
        if len(found) == 1 and place.prefix and len(place.prefix) == 4:
            why = f"the only {found[0].name} in the portal's prefecture {place.prefix}"
        else:   # the host name decides between the text's candidates, never alone
            by_host = {u.code for u in host_counties(urls, div, place.prefix)}
            fits = [f for f in found if f.code[:6] in by_host]
            if len(fits) == 1:
                found = fits
                why = f"of the {len(counties)} counties with a {fits[0].name}, only {div.unit(fits[0].code[:6]).name} matches the host name"
        if why:
            town = found[0]
            county = div.unit(town.code[:6])
            out.update(county_code=county.code, county_name=county.name, township_name=town.name,
                       township_code=town.code, region_match="by_name_in_county")
            out["region_note"] = "; ".join(notes + [why])
            return out
        out["region_match"] = "ambiguous"
        out["township_name"] = found[0].name if len({f.name for f in found}) == 1 else None
        out["region_note"] = "; ".join(notes + [
            f"'{text}' fits township(s) in {len(counties)} count{'y' if len(counties) == 1 else 'ies'}: {_names(found)}; "
            + ("no portal county or host name to decide" if len(found) > 1 else
               "not assigned: no portal county or host name confirms it")])
        return out
    out["township_name"] = _town_token(texts)
    out["region_note"] = "; ".join(notes + ["no county from the portal or the text; township not found"])
    return out


REGION_FIELDS = ("county_code", "county_name", "township_name", "township_code", "region_match", "region_note")
_MATCH_RANK = {"exact": 3, "by_name_in_county": 2, "ambiguous": 1, "none": 0}


def adopt_better_region(winner: dict, loser: dict) -> None:
    """Two copies of one report merged (dedup): the kept copy takes the other's region when that was
    resolved better (the page named the town, the PDF printed no organ)."""
    def rank(r):
        return _MATCH_RANK.get(r.get("region_match") or "none", 0), bool(r.get("township_code")), bool(r.get("county_code"))
    if rank(loser) > rank(winner):
        for f in REGION_FIELDS:
            winner[f] = loser.get(f)

