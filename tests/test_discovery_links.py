"""Link extraction and classification by text (portals.md §0, §a2, §c4, §d)."""
import pytest

from crawler.discovery.links import classify_link, extract_anchors, is_attachment_url


@pytest.mark.parametrize("text,kind", [
    ("政府信息公开", "area"), ("政务公开", "area"), ("法定主动公开内容", "area"),
    ("政府信息公开指南", "other"), ("政府信息公开制度", "other"), ("依申请公开", "other"),
    ("政府信息公开年报", "column"), ("政府信息公开工作年度报告", "column"), ("年度报告", "column"),
    ("2023年度", "column"), ("2022年", "column"), ("公开年报", "column"),
    ("政务公开年报", "column"), ("信息公开年度报告专栏", "column"), ("乡镇政府信息公开年报", "column"),
    ("政府信息公开年报2023", "column"),
    ("XX鎮2023年政府信息公開工作年度報告", "report"), ("二〇二三年度某镇政府信息公开工作年度报告", "report"),
    ("漫湾镇2023年政府信息公开工作年...", "report"), ("隆兴县人民政府二〇二二年度政府信…", "report"), ("某县农业农村局二〇二三年度政府…", "report"),
    ("某县2022年度部门整…", "other"), ("某县2023年度…", "other"), ("更多", "other"),
    ("乡镇街道", "towns"), ("镇街", "towns"), ("部门街镇", "towns"), ("乡(镇)人民政府", "towns"),
    ("乡镇(街道办)", "towns"), ("镇(街道)信息公开", "towns"), ("乡镇信息公开", "towns"),
    ("城关镇", "org"), ("城关街道办事处", "org"), ("五马镇人民政府", "org"), ("县教育局", "org"),
    ("下一页", "pager"), ("尾页", "pager"), ("3", "pager"),
    ("景东彝族自治县漫湾镇2023年政府信息公开工作年度报告", "report"),
    ("2024年度沙塘镇人民政府信息公开年度报告", "report"),
    ("大川镇2023年度政府信息公开工作报告", "report"),
    ("文字解读：XX区YY街道办事处2022年政府信息公开工作年度报告", "decoy:interpretation"),
    ("关于做好2023年政府信息公开工作年度报告编制发布工作的通知", "decoy:compilation_notice"),
    ("石狮市2023年政府信息公开工作年度报告公布情况", "decoy:compliance_summary"),
    ("新闻中心", "other"), ("无障碍", "other"), ("政策解读", "other"), ("财政预决算", "other"),
])
def test_classify_by_text(text, kind):
    assert classify_link(text) == kind


def test_more_links_count_only_with_a_report_slug():
    assert classify_link("更多>>", "http://x.gov.cn/zwgk/zfxxgknb/index.html") == "column"
    assert classify_link("更多>>", "http://x.gov.cn/xwzx/tzgg/index.html") == "other"


def test_attachments_by_extension_and_by_query_parameter():
    assert is_attachment_url("http://x.gov.cn/zfxxgknb/202401/P020240119538195573144.pdf")
    assert is_attachment_url("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=2f3a9b.pdf")
    assert is_attachment_url("http://x.gov.cn/a/b.WPS")
    assert not is_attachment_url("http://x.gov.cn/art/2024/1/1/art_1_2.html")
    assert not is_attachment_url("http://x.gov.cn/search.jsp?q=report.pdf")
    assert classify_link("附件1", "http://x.gov.cn/a/P0.docx") == "attachment"
    assert classify_link("XX县2023年政府信息公开工作年度报告解读.pdf", "http://x.gov.cn/a.pdf").startswith("decoy")


def test_extract_anchors_resolves_titles_onclick_and_wap_twins():
    html = """<html><head><base href="http://www.x.gov.cn/zwgk/"></head><body>
    <a href="./202401/t20240117_4405804.shtml" title="某镇2023年政府信息公开工作年度报告">某镇2023年政府信息公…</a>
    <a href="../xxgk/202401/t20240118_1_wap.html">手机版</a>
    <a href="javascript:void(0)" onclick="window.open('/art/2024/1/1/art_5_6.html')">某县2023年政府信息公开工作年度报告</a>
    <a href="#top">顶部</a><a href="mailto:a@b.cn">信箱</a>
    <a href="./202401/t20240117_4405804.shtml">详情</a></body></html>"""
    a = extract_anchors(html, "http://www.x.gov.cn/zwgk/index.html")
    urls = [x.url for x in a]
    assert urls == ["http://www.x.gov.cn/zwgk/202401/t20240117_4405804.shtml",
                    "http://www.x.gov.cn/xxgk/202401/t20240118_1.html",
                    "http://www.x.gov.cn/art/2024/1/1/art_5_6.html"]
    assert a[0].text == "某镇2023年政府信息公开工作年度报告"


def test_download_links_without_extension_and_js_downloads():
    assert classify_link("【下载PDF】", "http://x.gov.cn/system/_content/download.jsp?urltype=news&wbfileid=12") == "attachment"
    assert classify_link("下载Word", "http://x.gov.cn/system/_content/download.jsp?wbfileid=13") == "attachment"
    html = """<a href="javascript:void(0)" onclick="downloadFile('/upload/2024/P020240101.pdf')">某镇2023年政府信息公开工作年度报告</a>"""
    a = extract_anchors(html, "http://x.gov.cn/zwgk/index.html")
    assert [x.url for x in a] == ["http://x.gov.cn/upload/2024/P020240101.pdf"]


def test_links_drawn_by_scripts():
    html = """<html><body><div id="units"></div>
    <script>document.write('<li><a href="/col/col310/index.html" target="_blank">磐石镇</a></li>');</script>
    <script>var units = [{name: '芙蓉镇', url: '/col/col320/index.html'}, {"url": "/col/col330/index.html", "name": "城关街道"}];</script>
    <script type="text/xml"><datastore><recordset></recordset></datastore></script></body></html>"""
    got = {(a.url, a.text) for a in extract_anchors(html, "http://www.x.gov.cn/col/col300/index.html")}
    assert got == {("http://www.x.gov.cn/col/col310/index.html", "磐石镇"),
                   ("http://www.x.gov.cn/col/col320/index.html", "芙蓉镇"),
                   ("http://www.x.gov.cn/col/col330/index.html", "城关街道")}


def test_onclick_of_any_site_function_with_one_url_argument():
    html = ("<div><a href=\"javascript:void(0);\" onclick=\"gotoSite('/x/go/u63/index.html')\">石山镇人民政府</a>"
            "<a href='#' onclick=\"return confirm('确定吗')\">确定</a><a href='javascript:;' onclick=\"show('tab2')\">切换</a>"
            "<a href=\"javascript:__doPostBack('ctl00$Pager','2')\">2</a></div>")
    got = [(a.url, a.text) for a in extract_anchors(html, "http://www.x.gov.cn/a/b.html")]
    assert got == [("http://www.x.gov.cn/x/go/u63/index.html", "石山镇人民政府")]


def test_titles_cut_after_their_year():
    from crawler.discovery.links import cut_list_title
    assert cut_list_title("隆兴县永德街道办事处二〇二三年度…") and cut_list_title("某镇2023年...")
    assert not cut_list_title("某镇2023年度报告") and cut_list_title("某县人力资源和社会保障局关于2…")
    assert not cut_list_title("关于做好…的通知") and not cut_list_title("更多…")
    assert not cut_list_title("关于2023年政府信息公开工作年度报告的解读…")
    assert not cut_list_title("某县人民政府2022年度部门整…") and cut_list_title("某县人民政府2022年度政府信…")
    assert cut_list_title("某县卫生健康委员会关于2024…") and not cut_list_title("某县人民政府2024年度法治政…")
