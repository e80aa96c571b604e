"""Identity keys, junk 索引号, issuer resolution, stable record ids (crawler/identity.py)."""
import pytest

from crawler.identity import (combine, conflict, unit_chain, data_hash, dedup_keys, identity_of, normalise_index_no,
                              normalise_organ, quality, record_id, resolve_issuer)


@pytest.mark.parametrize("value", [
    "11341602003166276W/202412-00035", "11341702486344515H/202110-00013", "0142768-8/2022-00185",
    "014416330/2018-04736", "035210000/2025-00016", "shg58/2024-1525", "tongjiju/2023-00075",
    "000014349/2023-74857", "4303000006/2024-1272031", "xgz/2026-00001", "dczx/1674120257266",
    "shg58 / 2024-1525",
])
def test_real_index_no_shapes_are_kept(value):
    assert normalise_index_no(value) == value.replace(" ", "").upper()


@pytest.mark.parametrize("value", [
    None, "", "/", "无", "暂无", "-",
    "234234234444444444/2024-00001", "123123123000000000/2024-00007",  # keyboard mash (portals.md §c2)
    "111111111111111111/2024-00001", "asdfasdf/2024-1", "qwerty/2023-00001",
    "某某/2024-1", "2024-00001", "shg58/1024-1525", "shg58/2024",
])
def test_junk_and_placeholder_index_no_are_rejected(value):
    assert normalise_index_no(value) is None


def test_organ_normalisation_ignores_hierarchy_and_suffix():
    same = {normalise_organ(o) for o in ("攀枝花市米易县得石镇", "米易县得石镇人民政府", "米易县 得石镇 人民政府")}
    assert same == {"米易县得石镇"}
    assert normalise_organ("山海关区人民政府办公室") == "山海关区人民政府办公室"
    assert normalise_organ("米易县市场监督管理局") == "米易县市场监督管理局"
    assert normalise_organ(None) is None


def test_bare_publisher_is_not_an_issuer():
    assert resolve_issuer({"organ": None, "publisher": "政府办公室"}) is None
    assert resolve_issuer({"organ": None, "publisher": "区人民政府办公室"}) is None
    assert resolve_issuer({"organ": None, "publisher": "大曹庄镇"}) == "大曹庄镇"
    # the resolved organ wins over a county shown as publisher of a town's report (hljwch)
    assert resolve_issuer({"organ": "五常市背荫河镇人民政府", "publisher": "五常市人民政府"}) == "背荫河镇"


def rec(**kw):
    base = {"index_no": None, "organ": None, "publisher": None, "report_year": None, "content_sha1": None,
            "status": "complete", "url": "http://a/x.html", "document_url": "http://a/x.html"}
    base.update(kw)
    return base


def test_keys_in_priority_order_and_fallbacks():
    full = rec(index_no="shg58/2024-1525", organ="秦皇岛市山海关区人民政府办公室", report_year=2023,
               content_sha1="abc", portal="http://www.shanhaiguan.gov.cn/")
    assert [k[0] for k in dedup_keys(full)] == ["index_no", "organ_year", "unit_year", "content", "page"]
    # a one-unit organ (山海关区…, 城关镇) exists in other cities: only its site-scoped key
    short = dict(full, organ="山海关区人民政府办公室")
    assert [k[0] for k in dedup_keys(short)] == ["index_no", "unit_year", "content", "page"]
    junk = rec(index_no="234234234444444444/2024-00001", organ="某某县某镇人民政府", report_year=2023)
    assert [k[0] for k in dedup_keys(junk)] == ["organ_year", "page"]
    generic = rec(index_no="shg58/2024-1525", publisher="政府办公室", content_sha1="abc")
    assert [k[0] for k in dedup_keys(generic)] == ["content", "page"]
    assert dedup_keys(rec(url=None, document_url=None)) == []


def test_page_key_joins_twins_and_attachments_of_one_page():
    page = ("page", "c.gov.cn/ndbg/t1.html")
    html = rec(url="http://c.gov.cn/ndbg/t1.html", document_url="http://c.gov.cn/ndbg/t1.html")
    wap = rec(url="http://c.gov.cn/ndbg/t1_wap.html", document_url="http://c.gov.cn/ndbg/t1_wap.html")
    pdf = rec(url="http://c.gov.cn/ndbg/t1.html", document_url="http://c.gov.cn/ndbg/P1.pdf")
    assert page in dedup_keys(html) and page in dedup_keys(wap) and page in dedup_keys(pdf)
    # ... but it names no report: two attachments of one page get different ids
    other_pdf = dict(pdf, document_url="http://c.gov.cn/ndbg/P2.pdf")
    assert record_id(pdf) != record_id(other_pdf)


def test_short_and_full_organ_names_meet_on_the_same_site():
    town = rec(organ="攀枝花市米易县得石镇人民政府", report_year=2023, portal="http://www.miyi.gov.cn/")
    county_copy = rec(organ="得石镇", report_year=2023, portal="http://deshi.miyi.gov.cn:8080/",
                      url="http://deshi.miyi.gov.cn/1.html", document_url="http://deshi.miyi.gov.cn/1.html")
    other_portal = rec(organ="得石镇", report_year=2023, portal="http://www.elsewhere.gov.cn/",
                       url="http://www.elsewhere.gov.cn/2.html", document_url="http://www.elsewhere.gov.cn/2.html")
    shared = set(dedup_keys(town)) & set(dedup_keys(county_copy))
    assert shared == {("unit_year", "得石镇", 2023, "miyi.gov.cn")}
    assert not set(dedup_keys(town)) & set(dedup_keys(other_portal))


def test_record_id_is_stable_and_shared_by_copies():
    a = rec(index_no="11341602003166276W/202412-00035", organ="谯城区五马镇人民政府", report_year=2024,
            content_sha1="1", document_url="http://a/1.html")
    b = dict(a, content_sha1="2", document_url="http://b/county-copy.html", publisher="谯城区人民政府")
    assert record_id(a) == record_id(b) == record_id(dict(a))
    assert record_id(a).startswith("r") and len(record_id(a)) == 17
    # no key at all: still an id, from the document URL
    assert record_id(rec()) != record_id(rec(document_url="http://a/y.html"))


def ident(**kw):
    return identity_of(rec(**kw))


def test_template_reports_of_two_townships_conflict():
    body = dict(report_year=2023, content_sha1="same-template-body", portal="http://www.xian.gov.cn/")
    a = ident(organ="某县甲乡人民政府", index_no="11510421MB1534267X/2024-00011", **body)
    b = ident(organ="某县乙乡人民政府", index_no="11510421MB1827395Y/2024-00012", **body)
    assert "索引号 differs" in conflict(a, b)
    assert "issuer differs" in conflict(dict(a, index_no=None), dict(b, index_no=None))
    # organ unresolved on both: the titles still name two units
    untitled = dict(report_year=2023, portal="http://www.xian.gov.cn/")
    assert "unit named by the title" in conflict(ident(title="甲乡2023年政府信息公开工作年度报告", **untitled),
                                                ident(title="乙乡2023年政府信息公开工作年度报告", **untitled))
    assert "report year differs" in conflict(ident(organ="甲乡", report_year=2022), ident(organ="甲乡", report_year=2023))


def test_a_copy_in_another_units_catalogue_may_carry_its_own_index_no():
    town = ident(organ="米易县得石镇人民政府", report_year=2023, index_no="11510421MB1534267X/2024-00011")
    county_copy = ident(organ="得石镇", report_year=2023, index_no="115104210084356721/2024-00310")
    assert conflict(town, county_copy) is None
    # ... but not one naming no issuer or year, and never two entries of one catalogue
    assert "索引号 differs" in conflict(town, dict(county_copy, issuer=None))
    assert "索引号 differs" in conflict(town, dict(county_copy, year=None))
    assert "索引号 differs" in conflict(town, dict(town, index_no="11510421MB1534267X/2024-00012"))


def test_an_organ_naming_no_unit_is_no_identity():
    # a column label read as organ (信息类别) must not become a key shared by every report of the site
    junk = rec(organ="信息类别", report_year=2022, portal="http://www.fc.gov.cn/")
    assert resolve_issuer(junk) is None
    assert [k[0] for k in dedup_keys(junk)] == ["page"]
    assert identity_of(junk)["issuer"] is None


def test_titles_tell_two_bureaux_of_one_county_apart():
    a = ident(title="凤长市应急管理局关于2022年度政府信息公开工作情况的报告")
    b = ident(title="凤长市财政局2022年度政府信息公开工作年度报告")
    assert "unit named by the title" in conflict(a, b)
    assert "unit named by the title" in conflict(a, ident(title="凤长市2022年政府信息公开工作年度报告"))
    # the 街道办事处 is the 街道; 人民政府 is the unit itself
    assert conflict(ident(title="凤长市河宝街道办事处关于2022年度政府信息公开工作情况的报告"),
                    ident(title="河宝街道2022年政府信息公开工作年度报告")) is None
    assert conflict(ident(title="米易县人民政府2023年政府信息公开工作年度报告"),
                    ident(title="米易县2023年政府信息公开工作年度报告")) is None


def test_another_countys_town_of_the_same_name_conflicts():
    a = ident(organ="甲县城关镇人民政府", report_year=2023)
    b = ident(organ="乙县城关镇", report_year=2023)
    assert "parent unit differs" in conflict(a, b)
    assert conflict(a, ident(organ="城关镇", report_year=2023)) is None  # missing ≠ conflicting
    # 攀枝花市得石镇 skips the county level: not a conflict with 米易县得石镇
    assert conflict(ident(organ="米易县得石镇"), ident(organ="攀枝花市得石镇")) is None
    # 县, 区 and 旗 are one level: two counties' same-named bureaux on their own portals, each in its
    # own catalogue, are two reports (the 索引号 difference is no catalogue copy of one issuer)
    a = ident(organ="华宁区住房和城乡建设局", report_year=2023, index_no="11530424MB0001234A/2024-00007",
              portal="http://www.huaning.gov.cn/")
    b = ident(organ="安湖县住房和城乡建设局", report_year=2023, index_no="11530425MB0005678B/2024-00003",
              portal="http://www.anhu.gov.cn/")
    assert "索引号 differs" in conflict(a, b)
    assert "issuer differs" in conflict(dict(a, index_no=None), dict(b, index_no=None))
    assert "parent unit differs" in conflict(ident(organ="甲旗乙镇"), ident(organ="丙区乙镇"))
    # real units are judged by the national division list: a county inside the other parent may
    # be the same town written with or without its county; two units apart are two reports
    assert conflict(ident(organ="永胜县城关镇", report_year=2023), ident(organ="丽江市城关镇", report_year=2023)) is None
    assert conflict(ident(organ="昆明市连然街道"), ident(organ="安宁市连然街道")) is None   # 安宁市 is in 昆明市
    assert "neither contains the other" in conflict(ident(organ="丽江市城关镇", report_year=2023),
                                                    ident(organ="米易县城关镇", report_year=2023))  # 米易县: 攀枝花市
    assert "neither contains the other" in conflict(ident(organ="安宁市城关镇"), ident(organ="永胜县城关镇"))  # 市 and 县 both counties
    assert "neither contains the other" in conflict(ident(organ="北京市朝阳区某街道"), ident(organ="海淀区某街道"))
    # 城乡 of a bureau's name is no township: the county stays part of the issuer
    assert unit_chain("安湖县住房和城乡建设局") == (["安湖县"], "住房和城乡建设局")
    assert unit_chain("某县古城乡人民政府") == (["某县", "古城乡"], "")
    bare = ident(organ="住房和城乡建设局", report_year=2023, portal="http://www.huaning.gov.cn/")
    assert bare["issuer"] is None  # a bureau's name alone names no unit: no identity of its own
    assert "issuer is not known on both" in conflict(bare, b)


def test_portals_decide_only_with_the_issuer():
    town = ident(organ="米易县得石镇人民政府", report_year=2023, portal="http://deshi.example.cn/")
    county_copy = ident(organ="得石镇", report_year=2023, portal="http://www.miyi.gov.cn/")
    assert conflict(town, county_copy) is None  # the county copy of a town's report
    unknown = ident(report_year=2023, portal="http://www.miyi.gov.cn/")
    assert "issuer is not known on both" in conflict(town, unknown)
    assert conflict(unknown, ident(report_year=2023, portal="http://xxgk.miyi.gov.cn/")) is None  # one site
    # different counties in the portals file (region codes; township codes cut to the county)
    a = ident(organ="得石镇", portal_region_code="510421101")
    assert conflict(a, ident(organ="得石镇", portal_region_code="510421")) is None
    assert "portal county differs" in conflict(a, ident(organ="得石镇", portal_region_code="510422"))
    assert "portal county differs" in conflict(ident(portal_county="米易县"), ident(portal_county="盐边县"))
    assert conflict(ident(portal_county="盐边县"), ident(portal_region_code="510421")) is None  # not comparable


def test_combine_fills_missing_fields_and_unions_sites():
    a = ident(organ="米易县得石镇", portal="http://www.miyi.gov.cn/")
    b = ident(index_no="shg58/2024-1525", report_year=2023, portal="http://deshi.example.cn/")
    c = combine(a, b)
    assert (c["issuer"], c["index_no"], c["year"], c["parent"]) == ("得石镇", "SHG58/2024-1525", 2023, "米易县")
    assert c["sites"] == ["example.cn", "miyi.gov.cn"]


def test_quality_orders_status_then_tables_then_cells():
    table = {"rows": {"granted": {"total": 1, "natural_person": None}}}
    complete = rec(status="complete", table2=table, table3=table, table4=table)
    partial = rec(status="partial", table2=table)
    inconsistent = rec(status="inconsistent", table2=table, table3=table, table4=table)
    assert quality(complete) > quality(inconsistent) > quality(partial)
    wap = dict(complete, document_url="http://a/t1_wap.html")
    assert quality(complete) > quality(wap)


def test_data_hash_ignores_urls_but_not_numbers():
    t = {"rows": {"new_received": {"total": 2}}}
    a = rec(organ="X镇", report_year=2023, table3=t)
    b = dict(a, document_url="http://other/", content_sha1="zzz", organ="某县X镇人民政府")
    assert data_hash(a) == data_hash(b)
    c = dict(a, table3={"rows": {"new_received": {"total": 3}}})
    assert data_hash(a) != data_hash(c)
