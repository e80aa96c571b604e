"""Guard: Scrapy ≥2.16 never calls start_requests(); every project spider must use async start()."""
import inspect

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings


def test_no_spider_defines_start_requests():
    loader = SpiderLoader.from_settings(get_project_settings())
    names = loader.list()
    assert "reports" in names
    for name in names:
        cls = loader.load(name)
        own = [k for klass in cls.__mro__ if klass.__module__.startswith("crawler.") for k in vars(klass)]
        assert "start_requests" not in own, f"{name} defines start_requests()"
        assert inspect.isasyncgenfunction(cls.start), f"{name}.start is not an async generator"


def test_reports_spider_requests_are_picklable():
    import pickle

    from scrapy.utils.request import request_from_dict
    from scrapy.utils.test import get_crawler

    from crawler.spiders.reports import ReportsSpider
    crawler = get_crawler(ReportsSpider)
    spider = ReportsSpider.from_crawler(crawler, url="http://www.example.gov.cn/")
    spider.scopes["http://www.example.gov.cn/"] = __import__("crawler.discovery.scope", fromlist=["Scope"]).Scope(
        "http://www.example.gov.cn/")
    spider.portal_meta["http://www.example.gov.cn/"] = {}
    req = spider.make_request("http://www.example.gov.cn/zwgk/", None, "nav", hops=0, zone=0,
                              portal="http://www.example.gov.cn/")
    d = req.to_dict(spider=spider)
    back = request_from_dict(pickle.loads(pickle.dumps(d)), spider=spider)
    assert back.callback == spider.parse_page and back.meta["doc_kind"] == "nav"
