"""The one home of page-problem signatures (crawler/parsing/pageprobe.py), read by the spider and
the parser: a block is a challenge with nothing else to read; platform shells are never blocks."""
from crawler.discovery.problems import detect_problem
from crawler.parsing import pageprobe as PP
from crawler.parsing.record import parse_document

NOSCRIPT = "<noscript>本站需要开启JavaScript，请开启JavaScript后访问。Please enable JavaScript.</noscript>"


def test_spa_list_shell_with_noscript_is_the_platform_not_a_block():
    shell = ("<html><head><title>政府信息公开</title></head><body>" + NOSCRIPT +
             "<div id='app'></div><script>window._CONFIG = {SID: '9001', TREE: []};</script></body></html>")
    assert detect_problem(200, shell) is None
    assert PP.blocked_reason(shell.encode("utf-8")) is None
    datastore = ("<html><body>" + NOSCRIPT + "<script type='text/xml'><datastore><nextgroup></nextgroup>"
                 "<recordset></recordset></datastore></script></body></html>")
    assert detect_problem(200, datastore) is None


def test_noscript_page_with_real_navigation_is_read():
    nav = "".join(f"<li><a href='/col/{i}/index.html'>栏目{i}</a></li>" for i in range(6))
    page = f"<html><body>{NOSCRIPT}<ul>{nav}</ul></body></html>"
    assert detect_problem(200, page) is None
    assert detect_problem(200, f"<html><body>{NOSCRIPT}<a href='/'>首页</a></body></html>").code == "blocked"


def test_bare_javascript_challenge_is_a_block_for_both_readers():
    page = "<html><head><title>安全验证</title></head><body>" + NOSCRIPT + "<script src='/c.js'></script></body></html>"
    assert detect_problem(200, page).code == "blocked"
    assert PP.blocked_reason(page.encode("utf-8")).startswith("blocked:")
    rec = parse_document(page.encode("utf-8"), "http://x.gov.cn/a.html", "text/html")
    assert rec["status"] == "failed" and rec["problems"][0]["code"] == "blocked_page"


def test_captcha_and_ip_ban_pages_have_their_own_codes():
    captcha = ("<html><head><title>访问验证</title></head><body><form><img src='/captcha.jpg'>"
               "请输入验证码后继续访问<input name='code'></form></body></html>")
    assert detect_problem(200, captcha).code == "captcha"
    assert PP.blocked_reason(captcha.encode("gb18030")).startswith("captcha:")
    ban = "<html><body><h2>您的IP已被封禁</h2><p>访问受限，请稍后再试。</p></body></html>"
    assert detect_problem(200, ban).code == "ip_banned"
    assert detect_problem(403, ban).code == "ip_banned"
    assert detect_problem(403, "<html><body>Forbidden</body></html>").code == "http_error"
    # a report page that mentions 验证码 in its text (an online-application form) is content
    report = ("<html><body><h1>某镇2023年政府信息公开工作年度报告</h1>" + "<p>一、总体情况 申请人须输入验证码提交申请。</p>" * 30
              + "</body></html>")
    assert detect_problem(200, report) is None
    assert PP.blocked_reason(report.encode("utf-8")) is None


def test_soft_404_is_one_rule_for_spider_and_parser():
    page = "<html><body><div>该信息已删除或不存在！</div><a href='/'>返回首页</a></body></html>"
    assert detect_problem(200, page).code == "soft_404"
    assert PP.soft_404("该信息已删除或不存在！返回首页")
    assert not PP.soft_404("一、总体情况" + "本机关已删除过期信息。" * 5)
    assert detect_problem(200, "<html><head><title>404</title></head><body>页面走丢了</body></html>").code == "soft_404"
