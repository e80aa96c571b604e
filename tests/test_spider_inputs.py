"""Portal lists: CSV with a url column (+ metadata carried into every document) or plain URLs."""
from crawler.spiders.inputs import read_portals
from crawler.spiders.reports import ReportsSpider


def test_csv_with_metadata(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("\ufeffname,URL,region_code,province,city,county,note\n"
                 "景东县人民政府,www.jingdong.gov.cn,530923,云南省,普洱市,景东县,\n"
                 "# a comment line\n"
                 "山海关区,https://www.shanhaiguan.gov.cn/,130303,河北省,秦皇岛市,山海关区,试点\n", "utf-8")
    got = read_portals(f)
    assert [p["url"] for p in got] == ["http://www.jingdong.gov.cn", "https://www.shanhaiguan.gov.cn/"]
    assert got[0]["meta"] == {"name": "景东县人民政府", "region_code": "530923", "province": "云南省",
                              "city": "普洱市", "county": "景东县"}
    assert got[1]["meta"]["note"] == "试点"


def test_plain_list(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("http://www.a.gov.cn/\n\nwww.b.gov.cn\n", "utf-8")
    assert [p["url"] for p in read_portals(f)] == ["http://www.a.gov.cn/", "http://www.b.gov.cn"]


def test_spider_arguments(tmp_path):
    assert ReportsSpider(url="www.x.gov.cn").load_portals() == [{"url": "http://www.x.gov.cn", "meta": {}}]
    f = tmp_path / "p.txt"
    f.write_text("http://www.a.gov.cn/\n", "utf-8")
    assert ReportsSpider(portals=str(f)).load_portals()[0]["url"] == "http://www.a.gov.cn/"
