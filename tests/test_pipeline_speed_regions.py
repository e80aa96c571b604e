"""Issue 15: the region resolution's shortcuts (crawler/regions/resolve.py) give exactly the answers
of the plain scans: the skip of text positions where no name starts (`Divisions.name_heads`), and
the memo of the portal's place (one per distinct portal metadata)."""
from __future__ import annotations

import random

import pytest

from crawler.regions.divisions import load
from crawler.regions.resolve import (TOWN_LEVELS, _TOWN_SUFFIX_AFTER, _parent_named, counties_in,
                                     national_towns, portal_place, resolve)


@pytest.fixture(scope="module")
def div():
    return load()


# ------------------------------------------------------------------ the plain scans (before issue 15)
def plain_counties_in(text, div, prefix):
    hits = []
    i = 0
    while i < len(text):
        for n in range(min(12, len(text) - i), 2, -1):
            piece = text[i:i + n]
            units = div.within(div.counties_by_name.get(piece, ()), prefix)
            if not units:
                units = [u for _, us in div.renamed(piece, prefix) for u in us][:1] if piece[-1] in "县市区旗" else []
            if units and text.startswith(_TOWN_SUFFIX_AFTER, i + n):
                units = []
            if units:
                if len(units) > 1:
                    units = [u for u in units if _parent_named(u, text[:i], div)] or units
                hits += [u for u in units if u not in hits]
                i += n - 1
                break
        i += 1
    return hits


def plain_national_towns(text, div, prefix):
    hits = []
    i = 0
    while i < len(text):
        step = 1
        for n in range(min(14, len(text) - i), 1, -1):
            units = div.within(div.towns_by_name.get(text[i:i + n], ()), prefix)
            if units and units[0].level in TOWN_LEVELS:
                hits += [u for u in units if u not in hits]
                step = n
                break
        i += step
    return hits


def texts(div, n=400, seed=15):
    rnd = random.Random(seed)
    towns = sorted(div.towns_by_name)
    counties = sorted(div.counties_by_name)
    former = sorted(div.changes_by_old)
    provinces = [u.name for u in div.children[""]]
    filler = ["人民政府", "关于", "年度报告", "政府信息公开工作", "办公室", "街道", "镇", "乡", "县", "市", "区",
              "2023年", " ", "（", "）", "新", "城", "东"]
    out = ["", "镇", "漫湾镇人民政府", "景东彝族自治县漫湾镇人民政府", "米易县得石镇人民政府", "新市区街道办事处",
           "河南省开封市鼓楼区人民政府", "赵县沙河店镇", "朝阳区", "城区"]
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 6)):
            pick = rnd.random()
            pool = (towns if pick < 0.35 else counties if pick < 0.6 else former if pick < 0.7 and former
                    else provinces if pick < 0.75 else filler)
            word = rnd.choice(pool)
            if rnd.random() < 0.1 and len(word) > 2:   # a cut name: the scans must not invent a match
                word = word[rnd.randint(1, len(word) - 1):]
            parts.append(word)
        out.append("".join(parts))
    return out


def prefixes(div):
    return [None, "53", "5308", "530823", "41", "4102", "99"]


def test_county_scan_with_skips_finds_what_the_plain_scan_finds(div):
    for text in texts(div):
        for prefix in prefixes(div):
            assert counties_in(text, div, prefix) == plain_counties_in(text, div, prefix), (text, prefix)


def test_township_scan_with_skips_finds_what_the_plain_scan_finds(div):
    for text in texts(div):
        for prefix in prefixes(div):
            assert national_towns(text, div, prefix) == plain_national_towns(text, div, prefix), (text, prefix)


def test_the_portal_memo_never_answers_for_another_portal(div):
    """Same organ, same text: the portal's county decides (漫湾镇 is in 景东 and in 云县); a memo keyed
    on the organ alone would give the second record the first one's township."""
    organ = {"status": "complete", "organ": "漫湾镇人民政府", "organ_level": "township"}
    div.memo.clear()
    first = resolve({**organ, "portal_region_code": "530823"}, div)
    second = resolve({**organ, "portal_region_code": "530922"}, div)
    third = resolve({**organ, "portal_county": "云县", "portal_province": "云南省"}, div)
    fourth = resolve(dict(organ), div)
    assert (first["county_code"], first["township_code"]) == ("530823", "530823103")
    assert (second["county_code"], second["township_code"]) == ("530922", "530922102")
    assert (third["county_code"], third["township_code"]) == ("530922", "530922102")
    assert (fourth["county_code"], fourth["region_match"]) == (None, "ambiguous")
    again = resolve({**organ, "portal_region_code": "530823"}, div)   # from the memo now
    assert again == first


def test_resolving_with_a_warm_memo_equals_resolving_cold(div):
    metas = [{}, {"portal_region_code": "530823"}, {"portal_region_code": "530922"},
             {"portal_county": "兴化县", "portal_province": "江苏省"}, {"portal_county": "云县"},
             {"portal_name": "抚顺市人民政府"}, {"portal_region_code": "410200"},
             {"portal_region_code": "530823103000", "portal_county": "景东县"}]
    records = [{"status": "complete", "organ": t, "title": f"{t}2023年政府信息公开工作年度报告", **m}
               for t in texts(div, 60, seed=7) for m in metas]
    cold = []
    for r in records:
        div.memo.clear()
        cold.append(resolve(dict(r), div))
    div.memo.clear()
    warm = [resolve(dict(r), div) for r in records]
    assert warm == cold
    for m in metas:   # the memoised place is the place
        meta = {k[len("portal_"):]: v for k, v in m.items()}
        assert portal_place(meta, div) == portal_place(dict(meta), div)
