"""Region codes from the vendored official division list (crawler/regions/): real county and
township names and codes (NBS 2023 list), portal metadata as portals.csv gives it."""
from __future__ import annotations

import pytest

from crawler.regions.divisions import level_of, load, stem
from crawler.regions.pipeline import RegionPipeline
from crawler.regions.resolve import resolve

JINGDONG = {"portal_region_code": "530823", "portal_province": "云南省", "portal_city": "普洱市",
            "portal_county": "景东彝族自治县"}


@pytest.fixture(scope="module")
def div():
    return load()


def rec(organ, level="township", title=None, **portal):
    return {"status": "complete", "organ": organ, "organ_level": level, "title": title, **portal}


def test_the_vendored_list_has_every_level(div):
    codes = div.by_code
    assert sum(len(c) == 2 for c in codes) == 31
    assert sum(len(c) == 6 for c in codes) == 2978
    assert sum(len(c) == 9 for c in codes) == 41352
    assert div.unit("530823").name == "景东彝族自治县"
    assert [u.name for u in div.path("530823103")] == ["云南省", "普洱市", "景东彝族自治县", "漫湾镇"]
    assert div.unit("530823103").code12 == "530823103000"


def test_levels_and_stems():
    assert level_of("530823103", "漫湾镇") == "镇"
    assert level_of("441900003", "东城街道") == "街道"
    assert level_of("530923205", "乌木龙彝族乡") == "乡"
    assert level_of("530923401", "勐底农场") == "other_township"
    assert stem("大雪山彝族拉祜族傣族乡") == "大雪山"
    assert stem("兴化县") == stem("兴化市") == "兴化"
    assert stem("城区") == "城区"          # a one-character stem keeps the whole name
    assert stem("东乡族自治县") == "东乡族自治县"


def test_county_and_township_named_in_full_is_exact(div):
    r = resolve(rec("景东彝族自治县漫湾镇人民政府"), div)
    assert (r["county_code"], r["township_name"], r["township_code"], r["region_match"]) == \
        ("530823", "漫湾镇", "530823103", "exact")


def test_town_name_alone_is_found_in_the_portal_county(div):
    r = resolve(rec("漫湾镇人民政府", **JINGDONG), div)
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("530823", "530823103", "by_name_in_county")


def test_a_town_name_in_two_counties_stays_ambiguous_without_a_portal(div):
    r = resolve(rec("漫湾镇人民政府"), div)
    assert (r["county_code"], r["township_code"], r["region_match"]) == (None, None, "ambiguous")
    assert "530823103" in r["region_note"] and "530922102" in r["region_note"]


def test_the_portal_decides_between_same_named_towns(div):
    r = resolve(rec("漫湾镇人民政府", portal_region_code="530922"), div)   # 云县's 漫湾镇
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("530922", "530922102", "by_name_in_county")


def test_an_organ_of_another_county_is_never_forced_into_the_portals(div):
    r = resolve(rec("米易县得石镇人民政府", portal_region_code="321281", portal_county="兴化市"), div)
    assert (r["county_code"], r["township_code"], r["region_match"]) == (None, None, "ambiguous")
    assert "米易县 (510421)" in r["region_note"] and "兴化市 (321281)" in r["region_note"]


def test_county_level_organs_get_the_county_only(div):
    r = resolve(rec("乐清市教育局", "department", portal_region_code="330382"), div)
    assert (r["county_code"], r["county_name"], r["township_code"], r["region_match"]) == \
        ("330382", "乐清市", None, "exact")


def test_a_12_digit_portal_code_and_a_mismatching_county_name(div):
    r = resolve(rec("磐石镇人民政府", portal_region_code="330382000000", portal_county="磐石县"), div)
    assert (r["county_code"], r["township_code"]) == ("330382", "330382125")
    assert "differs" in r["region_note"]


def test_an_old_county_suffix_matches_by_stem_within_the_province(div):
    r = resolve(rec("兴化县昌荣镇人民政府", portal_county="兴化县", portal_province="江苏省"), div)
    assert (r["county_code"], r["county_name"], r["township_code"]) == ("321281", "兴化市", "321281119")
    assert "stem" in r["region_note"]
    portal = {"portal_county": "兴化县", "portal_province": "江苏省"}
    r = resolve(rec("兴化县人民政府", "county_government", **portal), div)   # the stem alone: not exact
    assert (r["county_code"], r["region_match"]) == ("321281", "by_name_in_county")
    r = resolve(rec("兴化市教育局", "department", **portal), div)            # the list's name printed: exact
    assert (r["county_code"], r["region_match"]) == ("321281", "exact")


def test_a_renamed_or_merged_county_maps_to_its_successor(div):
    r = resolve(rec("下城区人民政府", "county_government", portal_province="浙江省"), div)
    assert (r["county_code"], r["county_name"], r["region_match"]) == ("330105", "拱墅区", "exact")
    assert "former name" in r["region_note"]
    r = resolve(rec("下城区人民政府", "county_government", portal_county="下城区", portal_province="浙江省"), div)
    assert r["county_code"] == "330105" and "2021-04-09" in r["region_note"]


def test_a_township_whose_suffix_changed_matches_by_stem_in_county(div):
    r = resolve(rec("通山县大路镇人民政府", portal_region_code="421224"), div)   # the list has 大路乡
    assert (r["township_name"], r["township_code"], r["region_match"]) == ("大路乡", "421224200", "by_name_in_county")
    assert "stem" in r["region_note"]


def test_street_office_forms_and_the_title_when_the_organ_is_missing(div):
    r = resolve(rec(None, None, title="东城街道办事处2023年政府信息公开工作年度报告", portal_region_code="441900"), div)
    assert (r["county_code"], r["township_name"], r["township_code"]) == ("441900", "东城街道", "441900003")


def test_a_town_missing_from_the_list_keeps_its_printed_name_without_a_code(div):
    r = resolve(rec("通山县城关镇人民政府", portal_region_code="421224"), div)
    assert (r["county_code"], r["township_name"], r["township_code"], r["region_match"]) == \
        ("421224", "城关镇", None, "none")


def test_a_prefecture_portal_decides_a_town_unique_in_it(div):
    towns = [u for u in div.towns_by_name["通羊镇"]]
    assert len(towns) == 1
    r = resolve(rec("通羊镇人民政府", portal_region_code="421200", portal_province="湖北省"), div)  # 咸宁市
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("421224", "421224100", "by_name_in_county")
    r = resolve(rec("通羊镇人民政府"), div)  # no portal: not assigned, even when the name is unique
    assert r["county_code"] is None and r["township_code"] is None


def test_nothing_to_go_on_is_none(div):
    r = resolve(rec("某某局", "department"), div)
    assert (r["county_code"], r["region_match"]) == (None, "none")


def test_pipeline_adds_the_fields_to_reports_and_rejects():
    p = RegionPipeline()
    r = p.process_item({"status": "failed", "organ": None, "organ_level": None,
                        "link_text": "景东彝族自治县漫湾镇2023年政府信息公开工作年度报告"})
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("530823", "530823103", "exact")
    other = object()
    assert p.process_item(other) is other


def test_the_host_name_breaks_a_tie_between_the_texts_candidates(div):
    org = rec("漫湾镇人民政府")
    r = resolve({**org, "url": "http://www.jingdong.gov.cn/xxgk/2024/1.html"}, div)
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("530823", "530823103", "by_name_in_county")
    assert "host" in r["region_note"]
    r = resolve({**org, "portal": "http://www.yunxian.gov.cn/"}, div)
    assert (r["county_code"], r["township_code"]) == ("530922", "530922102")
    # a host naming neither candidate, an IP address: still ambiguous
    for url in ("http://www.tongshan.gov.cn/", "http://127.0.0.1:8000/a.html"):
        r = resolve({**org, "url": url}, div)
        assert (r["county_code"], r["township_code"], r["region_match"]) == (None, None, "ambiguous")


def test_host_labels():
    from crawler.regions.hosts import host_labels
    assert host_labels("http://xxgk.tongshan.gov.cn:8080/a") == {"tongshan"}
    assert host_labels("http://127.0.0.1/x") == set() and host_labels("not a url") == set()


def test_two_character_county_names_count_right_before_their_township(div):
    r = resolve(rec("赵县谢庄镇人民政府"), div)   # 谢庄镇 is also in 南阳; 赵县 decides
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("130133", "130133108", "exact")
    r = resolve(rec("涉县河南店镇人民政府"), div)  # not also the 店镇 of another county
    assert (r["county_code"], r["township_code"]) == ("130426", "130426101")


def test_a_township_name_containing_a_county_name_is_not_another_county(div):
    r = resolve(rec("新市区街道人民政府", portal_region_code="620981"), div)   # 玉门市, not 乌鲁木齐's 新市区
    town = [t for t in div.towns("620981") if t.name == "新市区街道"][0]
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("620981", town.code, "by_name_in_county")
    r = resolve(rec("新市区街道办事处"), div)     # no portal: never the county 新市区 of 乌鲁木齐
    assert r["county_code"] != "650104"


def test_a_township_portal_code_names_the_township_of_an_organ_that_does_not(div):
    r = resolve(rec("镇人民政府", portal_region_code="530823103000"), div)
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("530823", "530823103", "exact")
    r = resolve(rec("景东彝族自治县锦屏镇人民政府", portal_region_code="530823103000"), div)   # the text wins
    assert (r["township_name"], r["township_code"], r["region_match"]) == ("锦屏镇", "530823101", "exact")


def test_merged_copies_keep_the_better_resolved_region(div):
    from crawler.dedup.held import merge
    page = {"status": "partial", "organ": "通山县通羊镇人民政府", "organ_level": "township", "record_id": "r1",
            "url": "http://x/p.html", "document_url": "http://x/p.html", "portal_region_code": "421224"}
    pdf = {"status": "complete", "organ": None, "organ_level": None, "record_id": "r2",
           "url": "http://x/p.html", "document_url": "http://x/p.pdf", "portal_region_code": "421224",
           "table2": {"rows": {}}, "table3": {"rows": {}}, "table4": {"rows": {}}}
    page.update(resolve(page, div))
    pdf.update(resolve(pdf, div))
    assert pdf["township_code"] is None and page["township_code"] == "421224100"
    entry = {"record": page, "urls": []}
    merge(entry, pdf)
    kept = entry["record"]
    assert kept["document_url"] == "http://x/p.pdf"        # the better-parsed copy is kept …
    assert kept["organ"] == "通山县通羊镇人民政府"          # … with the page's organ and its region
    assert (kept["county_code"], kept["township_code"], kept["region_match"]) == ("421224", "421224100", "exact")


def test_the_spiders_unit_hint_places_a_document_that_prints_nothing(div):
    failed = {"status": "failed", "organ": None, "organ_level": None, "link_text": "附件1",
              "unit_hint": "通羊镇", "portal_region_code": "421224"}
    r = resolve(failed, div)
    assert (r["county_code"], r["township_code"], r["region_match"]) == ("421224", "421224100", "by_name_in_county")


def test_same_named_counties_are_told_apart_by_the_printed_parent_or_the_township(div):
    r = resolve(rec("鼓楼区热河南路街道人民政府"), div)   # 河南 inside the street name is not 河南省
    assert r["county_code"] == "320106" and r["township_code"].startswith("320106")
    r = resolve(rec("河南省开封市鼓楼区人民政府", "county_government"), div)
    assert r["county_code"] == "410204"
    r = resolve(rec("鼓楼区人民政府", "county_government"), div)
    assert (r["county_code"], r["region_match"]) == (None, "ambiguous")


def test_the_vendor_script_writes_the_formats_the_loader_reads(tmp_path, monkeypatch):
    import gzip

    from crawler.regions import vendor
    from crawler.regions.divisions import Divisions, _read_changes
    dist = tmp_path / "package" / "dist"
    dist.mkdir(parents=True)
    (dist / "provinces.csv").write_text('code,name\n42,"湖北省"\n', "utf-8")
    (dist / "cities.csv").write_text('code,name,provinceCode\n4212,"咸宁市",42\n', "utf-8")
    (dist / "areas.csv").write_text('code,name,cityCode,provinceCode\n421224,"通山县",4212,42\n', "utf-8")
    (dist / "streets.csv").write_text('code,name,areaCode,provinceCode,cityCode\n421224100,"通羊镇",421224,42,4212\n', "utf-8")
    changes = tmp_path / "change.txt"
    changes.write_text("2021-04-09\t民批\t浙江省\t浙江\t杭州市\t杭州\t下城区\t下城=>浙江省\t杭州市\t拱墅区\n", "utf-8")
    monkeypatch.setattr(vendor, "DATA_DIR", tmp_path)
    assert vendor.main([str(tmp_path / "package"), str(changes)]) == 0
    with gzip.open(tmp_path / "divisions.tsv.gz", "rt", encoding="utf-8") as f:
        rows = [tuple(line.rstrip("\n").split("\t")) for line in f]
    assert rows == [("42", "湖北省"), ("4212", "咸宁市"), ("421224", "通山县"), ("421224100", "通羊镇")]
    [change] = _read_changes(tmp_path / "changes.tsv")
    assert (change.date, change.old, change.new) == ("2021-04-09", ("浙江省", "杭州市", "下城区"), ("浙江省", "杭州市", "拱墅区"))
    div = Divisions(rows)
    assert [u.name for u in div.path("421224100")] == ["湖北省", "咸宁市", "通山县", "通羊镇"]
    assert vendor.main([]) == 2


def test_a_portal_named_after_a_prefecture_is_not_a_county_of_the_same_stem(div):
    r = resolve(rec("抚顺县人民政府", "county_government", portal_name="抚顺市人民政府"), div)
    assert r["county_code"] == "210421" and r["region_match"] == "exact"     # named in full by the organ
    r = resolve(rec("抚顺市教育局", "department", portal_name="抚顺市人民政府"), div)
    assert r["county_code"] is None
    r = resolve(rec("漫湾镇人民政府", portal_name="景东彝族自治县人民政府"), div)   # a county portal's name
    assert r["township_code"] == "530823103"
