"""Page templates for the farm: portal chrome, lists, report pages built from the seed reports."""
from __future__ import annotations

import hashlib
import html as _h
import re
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"  # committed copies of the shared seeds
_FALLBACK_SEED = """一、总体情况
本镇认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。
二、主动公开政府信息情况
第二十条第（一）项 | 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数
规章 | 0 | 0 | 0
规范性文件 | 1 | 0 | 3
三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请数量 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计
| 2 | 0 | 0 | 0 | 0 | 0 | 2
四、政府信息公开行政复议、行政诉讼情况
行政复议 | 行政诉讼 | 维持 | 纠正 | 其他结果 | 尚未审结 | 总计
五、存在的主要问题及改进情况
信息公开的及时性有待提高。
六、其他需要报告的事项
本年度未收取信息处理费。"""


def seeds() -> list[str]:
    files = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.exists() else []
    out = [f.read_text("utf-8") for f in files]
    return out or [_FALLBACK_SEED]


def esc(s: str) -> str:
    return _h.escape(s, quote=True)


def seed_body(seed: str, title: str) -> str:
    """Seed text → HTML: `|`- or tab-separated lines become table rows, others paragraphs.
    The seed's own title line is replaced by `title`."""
    lines = [ln.strip() for ln in seed.replace("\r", "").split("\n")]
    out, rows = [], []

    def flush():
        if rows:
            out.append('<table border="1" cellspacing="0">' + "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
            rows.clear()

    title_done = False
    for ln in lines:
        if not ln or set(ln) <= {"|", " "}:
            continue
        if not title_done and re.search(r"信息公开.{0,6}年度报告", ln) and len(ln) < 80:
            title_done = True
            continue
        cells = [c.strip() for c in re.split(r"\s*\|\s*|\t", ln)]
        cells = [c for c in cells if c != ""]
        if len(cells) >= 2 and ("|" in ln or "\t" in ln):
            rows.append(cells)  # table 4 has 15 value cells
        else:
            flush()
            # long single-line seeds: split on section heads so each heading starts a line
            for part in re.split(r"\s(?=[一二三四五六]、)", ln):
                out.append(f"<p>{esc(part)}</p>")
    flush()
    return "\n".join(out)


def chrome(site: str, title: str, body: str, *, nav: list[tuple[str, str]] = (), charset: str = "utf-8",
           head_extra: str = "", crumbs: str = "") -> str:
    navs = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for u, t in nav)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{esc(title)}_{esc(site)}</title>{head_extra}
</head><body>
<div class="top"><a href="javascript:void(0)">无障碍</a> <a href="#">繁體版</a> <a href="#">English</a></div>
<div class="header"><h2 class="logo">{esc(site)}</h2></div>
<div class="nav"><ul>{navs}</ul></div>
<div class="crumbs">当前位置：{crumbs}</div>
<div class="main">
{body}
</div>
<div class="footer"><p>友情链接：<a href="http://www.gov.cn/">中国政府网</a></p>
<p>主办单位：{esc(site)} 网站标识码 1234567890 ICP备案 12345678号</p></div>
</body></html>"""


def list_ul(items: list[tuple[str, str, str]]) -> str:
    """items: (href, title, date)"""
    return '<ul class="list">' + "".join(
        f'<li><a href="{esc(u)}" title="{esc(t)}" target="_blank">{esc(t)}</a><span>{d}</span></li>'
        for u, t, d in items) + "</ul>"


def report_page(site: str, title: str, seed: str, *, charset: str = "utf-8", extra: str = "",
                nav=(), meta_cols: bool = True, body_override: str | None = None) -> str:
    head = (f'<meta name="ArticleTitle" content="{esc(title)}">'
            '<meta name="ColumnName" content="政府信息公开年报"><meta name="ColumnType" content="信息公开年报">'
            if meta_cols else "")
    body = body_override if body_override is not None else seed_body(seed, title)
    ym = re.search(r"(20\d\d)", title)
    year = int(ym.group(1)) if ym else 2023
    idx = f"{int(hashlib.sha1(title.encode()).hexdigest()[:6], 16) % 10**9:09d}/{year + 1}-{len(title):05d}"
    if body_override is None:   # each report's own preface, so no two farm reports share their text
        body = (f"<p>根据《中华人民共和国政府信息公开条例》，现公布《{esc(title)}》。本报告所列数据的统计期限自{year}年1月1日起至"
                f"{year}年12月31日止。</p>\n") + body
    main = f"""<div class="xxgk-table"><table><tr><td>索引号：</td><td>{idx}</td>
<td>发布机构：</td><td>{esc(site)}</td></tr><tr><td>组配分类：</td><td>政府信息公开年报</td><td>成文日期：</td><td>2024-01-18</td></tr></table></div>
<h1 class="title">{esc(title)}</h1>
<div class="info">发布时间：2024-01-18 来源：{esc(site)} 字体：[大 中 小]</div>
<div id="zoom" class="TRS_Editor">
{body}
</div>
{extra}
<div class="related"><a href="javascript:window.print()">打印</a> <a href="javascript:window.close()">关闭</a></div>"""
    return chrome(site, title, main, nav=nav, charset=charset, head_extra=head)


def decoy_page(site: str, title: str, kind: str) -> str:
    bodies = {
        "interpretation": "<p>近日，《{t}》正式发布。现就编制背景、编制依据、编制目的和主要内容解读如下。报告包括总体情况、主动公开政府信息情况、"
                          "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。</p>",
        "notice": "<p>各乡镇人民政府、县直各部门：为做好2023年政府信息公开工作年度报告编制发布工作，现将有关事项通知如下。</p>",
        "summary": "<p>一、工作开展情况</p><p>2024年政务公开工作总结如下。</p><p>二、下一步工作打算</p>",
        "stats": "<p>根据国家统计局统计年报制度，现布置统计年报工作。</p>",
        "budget": "<p>部门决算说明：收入支出决算总体情况。</p>",
        "website": "<p>政府网站工作年度报表：网站名称、首页网址、主办单位、独立用户访问总量。</p>",
    }
    return chrome(site, title, f"<h1>{esc(title)}</h1><div id='zoom'>{bodies.get(kind, '<p>说明。</p>').format(t=esc(title))}</div>")


FAKE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
CORRUPT_DOCX = b"PK\x03\x04" + b"\x00" * 60  # a DOCX cut to its first header: corrupt_file
ASSETS = Path(__file__).resolve().parent / "assets"  # real reports built from the seeds (assets/README.md)
BAD = Path(__file__).resolve().parents[1] / "fixtures" / "attachments"
# Each real report is handed out once per farm (a second copy on another page would be the same report
# twice); later attachments get what portals also publish: scanned PDFs, cut-off DOCX downloads.
REAL = {"pdf": ("report-001.pdf", "report-003.pdf"), "docx": ("report-004.docx",)}
FALLBACK = {"pdf": BAD / "scanned.pdf", "docx": BAD / "truncated.docx"}


def real_attachment(fb, kind: str) -> bytes:
    """The next real report attachment of this kind (pdf | docx) for this farm build, then scans/cut files."""
    used = fb.__dict__.setdefault("_attachments_used", {"pdf": 0, "docx": 0})
    n = used[kind]
    used[kind] += 1
    return (ASSETS / REAL[kind][n]).read_bytes() if n < len(REAL[kind]) else FALLBACK[kind].read_bytes()
