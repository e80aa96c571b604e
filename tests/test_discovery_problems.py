"""Soft 404s, anti-bot pages, redirect shells (portals.md §e) and decoding (§e encodings)."""
from crawler.discovery.encoding import best_encoding, looks_mojibake
from crawler.discovery.problems import detect_problem, redirect_target

REPORT = "<html><body><h1>某镇2023年政府信息公开工作年度报告</h1>" + "<p>一、总体情况</p>" * 50 + "</body></html>"


def test_real_page_is_no_problem():
    assert detect_problem(200, REPORT) is None


def test_jiasule_521_and_cookie_script_200():
    js = "<script>document.cookie=('__jsl_clearance_s=1|0|x');location.href=location.pathname+location.search</script>"
    assert detect_problem(521, js).code == "blocked"
    assert detect_problem(200, js).code == "blocked"


def test_ruishu_412_and_ts_script():
    assert detect_problem(412, "<html></html>").code == "blocked"
    assert detect_problem(200, "<script>$_ts=window['$_ts'];if(!$_ts)$_ts={};</script>").code == "blocked"


def test_safedog_blank_and_generic_verification():
    assert detect_problem(200, "<html><body>safedog-flow-item</body></html>").code == "blocked"
    assert detect_problem(200, "").code == "blank"
    assert detect_problem(200, "<html><body>   </body></html>").code == "blank"
    assert detect_problem(200, "<html><title>Just a moment...</title></html>").code == "blocked"


def test_soft_404_in_a_200():
    p = detect_problem(200, "<html><body><div>该信息已删除或不存在！</div><a href='/'>返回首页</a></body></html>")
    assert p.code == "soft_404"
    # a long report that mentions deletion in passing is not a soft 404
    assert detect_problem(200, REPORT.replace("</body>", "<p>已被删除的信息</p></body>") * 3) is None


def test_http_errors():
    assert detect_problem(404, "<h1>Not Found</h1>").code == "http_error"
    assert detect_problem(500, "oops").code == "http_error"


def test_redirect_shells():
    base = "http://www.x.gov.cn/zwgk/jgmjdgs/"
    assert redirect_target("<script>window.location.href='./jbxxjgm/';</script>", base) == base + "jbxxjgm/"
    assert redirect_target('<meta http-equiv="refresh" content="0; url=../xxgk/index.html">', base) == \
        "http://www.x.gov.cn/zwgk/xxgk/index.html"
    assert redirect_target("<script>location.replace('/a.html')</script>", base) == "http://www.x.gov.cn/a.html"
    assert redirect_target(REPORT, base) is None
    # the 加速乐 reload is not a redirect to follow
    assert redirect_target("<script>location.href=location.pathname+location.search</script>", base) is None


def test_encoding_charsetless_gbk_and_lying_meta():
    text = "<html><head><title>某镇2023年政府信息公开工作年度报告</title></head><body>镕喆堃</body></html>"
    gbk = text.encode("gb18030")
    assert best_encoding(gbk, None) == "gb18030"
    assert best_encoding(gbk, "text/html") == "gb18030"
    meta_gbk_utf8 = text.replace("<head>", '<head><meta charset="gbk">').encode("utf-8")
    assert best_encoding(meta_gbk_utf8, "text/html") == "utf-8"          # meta lies: bytes win
    meta_utf8_gbk = text.replace("<head>", '<head><meta charset="utf-8">').encode("gb18030")
    assert best_encoding(meta_utf8_gbk, "text/html; charset=utf-8") == "gb18030"
    assert best_encoding(text.replace("<head>", '<head><meta charset="gb2312">').encode("gb18030"), None) == "gb18030"
    assert meta_utf8_gbk.decode(best_encoding(meta_utf8_gbk, None)) .find("某镇") > 0
    assert looks_mojibake(gbk.decode("latin-1")) and not looks_mojibake(text)


def test_js_app_shells_are_not_blank_pages():
    shell = "<html><body><div id='app'></div><script>window._CONFIG = {SID: '1'};</script><script src='/app.js'></script></body></html>"
    assert detect_problem(200, shell) is None


def test_gbk_served_as_latin1_is_read_as_gbk():
    body = "<html><head><title>某镇2023年政府信息公开工作年度报告</title></head><body>镕</body></html>".encode("gb18030")
    assert best_encoding(body, "text/html; charset=ISO-8859-1") == "gb18030"
    assert best_encoding(b"<p>plain ascii</p>", "text/html; charset=ISO-8859-1") == "iso8859-1"
