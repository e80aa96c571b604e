"""Scope: registrable domain + xxgk siblings; IP portals on any port; never mirrors (§a3, §d)."""
from crawler.discovery.scope import Scope, registrable_domain, site_domain


def test_domains():
    assert registrable_domain("hdzfxxgk.hd.gov.cn") == "hd.gov.cn"
    assert site_domain("www.jingdong.yn.gov.cn") == "jingdong.yn.gov.cn"
    assert site_domain("www.hd.gov.cn") == "hd.gov.cn"


def test_portal_scope_and_siblings():
    s = Scope("http://www.hd.gov.cn/")
    assert s.allowed("http://hdzfxxgk.hd.gov.cn/col/col1/index.html")
    assert s.allowed("https://www.hd.gov.cn/zwgk/")
    assert not s.allowed("http://www.meeios.com/hd.gov.cn/report.html")
    assert not s.allowed("http://www-hd-gov-cn.njmu.s5.bt8.net/a.html")   # host-encoded proxy mirror
    assert not s.allowed("javascript:void(0)")
    county = Scope("http://www.jingdong.yn.gov.cn/")
    assert not county.allowed("http://www.yn.gov.cn/")                       # not the whole province
    assert county.sibling("http://xxgk.yn.gov.cn/jingdong/") and not county.sibling("http://www.yn.gov.cn/")


def test_ip_portal_any_port_but_not_other_hosts():
    s = Scope("http://122.137.242.24:8080/index.html")
    assert s.allowed("http://122.137.242.24:9090/xxgk/")
    assert not s.allowed("http://122.137.242.25:8080/")
    assert not s.allowed("http://localhost:8080/")


def test_attachments_may_sit_on_government_file_hosts():
    s = Scope("http://www.xx.gov.cn/")
    assert s.attachment_allowed("http://zjjcmspublicnew.oss-cn-hangzhou-zwynet-d01-a.internet.cloud.zj.gov.cn/a.pdf")
    assert not s.attachment_allowed("http://cdn.example.com/a.pdf")
