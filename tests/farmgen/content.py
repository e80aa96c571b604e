"""Report bodies (six sections, the three official 2021 tables as real HTML tables), detail page
templates, decoy pages and DOCX attachments built from the same report text."""
from __future__ import annotations

import io
import json
import re
import zlib

from tests.attachment_builders.layouts import _t2_2021, _t3, _t4
from tests.farm import html as H

_CELL = re.compile(r"\{(\w+)\.(\w+)\}")
_T3_KEYS = ("natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
            "legal_service_org", "other_org", "total")


def table_values(rng, zero: bool) -> dict:
    """Cell values whose arithmetic holds (T3 balance, row totals, T4 totals); all zero for templates."""
    n = 0 if zero else rng.randint(1, 40)
    np_, ent = (0, 0) if zero else (n - n // 3, n // 3)
    row = {"natural_person": np_, "commercial_enterprise": ent, "total": n}
    vals = {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_docs": {k: (0 if zero else rng.randint(0, 9)) for k in ("issued", "repealed", "in_force")},
            "licensing": {"decisions": 0 if zero else rng.randint(0, 900)},
            "penalty": {"decisions": 0 if zero else rng.randint(0, 300)},
            "coercion": {"decisions": 0 if zero else rng.randint(0, 20)},
            "admin_fees": {"amount_wan_yuan": 0},
            "new_received": row, "granted": row, "total_processed": row}
    r = 0 if zero else rng.randint(0, 3)
    vals["review"] = {"upheld": r, "total": r}
    return vals


def _fill(text: str, vals: dict) -> str:
    m = _CELL.fullmatch(text)
    if not m:
        return H.esc(text)
    return str(vals.get(m.group(1), {}).get(m.group(2), 0))


def grid_html(layout: list, vals: dict) -> str:
    rows = []
    for r in layout:
        cells = "".join(
            f"<td{f' colspan={cs}' if cs > 1 else ''}{f' rowspan={rs}' if rs > 1 else ''}>{_fill(t, vals)}</td>"
            for t, cs, rs in r)
        rows.append(f"<tr>{cells}</tr>")
    return '<table border="1" cellspacing="0" cellpadding="2" width="100%">' + "".join(rows) + "</table>"


SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def report_parts(rng, organ: str, year: int, template: bool) -> list[tuple[str, object]]:
    """The report as ("p", text) and ("table", layout+values) parts. A template report's parts are
    the same for every organ (boilerplate paragraphs, all-zero tables)."""
    vals = table_values(rng, template)
    who = "本单位" if template else organ
    parts: list[tuple[str, object]] = []
    if not template:
        parts.append(("p", f"本报告由{organ}根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自{year}年1月1日起至"
                           f"{year}年12月31日止。"))
    else:
        parts.append(("p", f"根据《中华人民共和国政府信息公开条例》要求，现公布{year}年度政府信息公开工作年度报告。"))
    parts += [("p", SECTIONS[0]), ("p", f"{year}年，{who}认真贯彻落实政务公开工作部署，主动公开政府信息，依法办理公开申请。"),
              ("p", SECTIONS[1]), ("table", (_t2_2021()[1], vals)),
              ("p", SECTIONS[2]), ("table", (_t3("2021")[1], vals)),
              ("p", SECTIONS[3]), ("table", (_t4()[1], vals)),
              ("p", SECTIONS[4]), ("p", "一是公开内容不够全面；二是公开形式较为单一。下一步将加强培训，提升公开质量。"),
              ("p", SECTIONS[5]), ("p", "本年度未收取信息处理费。")]
    if not template:
        parts.append(("p", f"{organ}\u3000{year + 1}年1月{rng.randint(10, 28)}日"))
    return parts


def parts_html(parts) -> str:
    return "\n".join(f"<p>{H.esc(x)}</p>" if k == "p" else grid_html(*x) for k, x in parts)


def docx_bytes(title: str, parts) -> bytes:
    from docx import Document
    doc = Document()
    doc.add_heading(title, level=1)
    for k, x in parts:
        if k == "p":
            doc.add_paragraph(x)
            continue
        layout, vals = x
        ncols = max(sum(cs for _, cs, _ in r) for r in layout[-1:]) if layout else 1
        ncols = max(ncols, max(sum(cs for _, cs, _ in r) for r in layout))
        table = doc.add_table(rows=len(layout), cols=ncols)
        grid = table._cells          # once: table.cell() rescans the whole table on every call
        at = lambda r, c: grid[r * ncols + c]  # noqa: E731
        occupied: set = set()
        merges = []
        for ri, r in enumerate(layout):
            ci = 0
            for text, cs, rs in r:
                while (ri, ci) in occupied:
                    ci += 1
                at(ri, ci).text = _fill(text, vals).replace("&amp;", "&")
                if cs > 1 or rs > 1:
                    merges.append((at(ri, ci), at(min(ri + rs - 1, len(layout) - 1), min(ci + cs - 1, ncols - 1))))
                occupied.update((ri + a, ci + b) for a in range(rs) for b in range(cs))
                ci += cs
        for a, b in merges:
            a.merge(b)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- detail page templates
def _meta_table(idx, organ, date):
    return (f'<div class="xxgk-table"><table><tr><td>索引号：</td><td>{idx}</td><td>发布机构：</td><td>{H.esc(organ)}</td></tr>'
            f'<tr><td>组配分类：</td><td>政府信息公开年报</td><td>成文日期：</td><td>{date}</td></tr></table></div>')


def detail_page(tpl: str, *, site: str, title: str, organ: str, idx: str | None, date: str, body: str,
                nav, crumbs: str, extra: str = "", column: str = "政府信息公开年报", chrome: str = "政务公开") -> str:
    """A report page in one of the templates of vocab/heldout `detail_templates`."""
    crumb_html = crumbs + f" &gt; {H.esc(column)}"
    content = f'<div id="zoom" class="article-content">\n{body}\n</div>\n{extra}'
    page_title = title
    if tpl == "xxgk_table":
        main = (_meta_table(idx, organ, date) if idx else "") + f'<h1 class="title">{H.esc(title)}</h1>' + \
            f'<div class="info">发布时间：{date} 字体：[大 中 小]</div>' + content
    elif tpl == "inline_meta":
        main = (f'<h2 class="art-title">{H.esc(title)}</h2><div class="art-info">发布机构：{H.esc(organ)} '
                + (f"索引号：{idx} " if idx else "") + f'时间：{date} 【字体：大 中 小】【打印】</div>' + content)
    elif tpl == "byline":
        main = f'<h1>{H.esc(title)}</h1><div class="source">发布时间：{date} 来源：{H.esc(organ)} 浏览次数：</div>' + content
    elif tpl == "chrome_title":   # <title> and breadcrumb name columns (decoy words too); the article has its own heading
        page_title = f"{column}_{chrome}"
        crumb_html = crumbs + f" &gt; {H.esc(chrome)} &gt; {H.esc(column)}"
        main = (_meta_table(idx, organ, date) if idx else "") + f'<div class="article"><h3>{H.esc(title)}</h3></div>' + content
    elif tpl == "dl_meta":        # metadata as a definition list, the title in a div
        dl = "".join(f"<dt>{k}</dt><dd>{H.esc(v)}</dd>" for k, v in
                     (("索引号", idx or ""), ("发布单位", organ), ("发布日期", date), ("信息类别", column)))
        main = f'<dl class="doc-meta">{dl}</dl><div class="doc-title">{H.esc(title)}</div>' + content
    elif tpl == "meta_after_body":   # the title in a div, the 索引号 block printed under the article
        main = (f'<div class="tit">{H.esc(title)}</div><div class="sub">{date}</div>' + content
                + (f'<div class="foot-meta"><span>信息索引号：{idx}</span><span>发文机关：{H.esc(organ)}</span></div>' if idx else ""))
    elif tpl == "table_meta_labels":   # other label wordings in the metadata table
        rows = (("信息索引号", idx or ""), ("发文机关", organ), ("生成日期", date), ("文号", ""))
        main = ('<table class="gk-info">' + "".join(f"<tr><th>{k}</th><td>{H.esc(v)}</td></tr>" for k, v in rows)
                + f'</table><h2 class="news-title">{H.esc(title)}</h2>' + content)
    elif tpl == "breadcrumb_title":   # no heading: the title is the breadcrumb's last step and the <title>
        crumb_html = crumbs + f" &gt; {H.esc(column)} &gt; {H.esc(title)}"
        main = f'<div class="meta">{H.esc(organ)} {date}' + (f" 索引号 {idx}" if idx else "") + "</div>" + content
    else:
        raise ValueError(tpl)
    return H.chrome(site, page_title, main, nav=nav, crumbs=crumb_html)


def json_detail_page(site: str, *, title: str, organ: str, idx: str | None, date: str, body: str, nav, sid: str) -> str:
    """A gkmlpt detail page whose article exists only as JSON in window._CONFIG.DETAIL (drawn by JS)."""
    detail = {"id": zlib.crc32(title.encode()) % 10**7, "title": title, "publisher": organ, "identifier": idx or "", "date": date,
              "content": body, "attachment": []}
    data = json.dumps(detail, ensure_ascii=False).replace("</", "<\\/")
    main = ('<div id="app"><div class="loading">加载中…</div></div>'
            f"<script>window._CONFIG = {{SID: '{sid}', DETAIL: {data}}};</script><script src='/gkmlpt/static/detail.js'></script>")
    return H.chrome(site, f"{title}", main, nav=nav)


def attachment_only_body(title: str, href: str, name: str) -> str:
    return f'<p>{H.esc(title)}详见附件。</p><p>附件：<a href="{href}">{H.esc(name)}</a></p>'
