"""Build real attachments from the seeds' content, as government offices produce them.

* `build_docx(seed)` writes a Word document: the seed's prose as paragraphs (verbatim, in order),
  and tables 2–4 rebuilt as real Word tables in the official layouts (report-format.md §2–§4)
  with merged cells (gridSpan / vMerge) and the values of the seed's truth file.
* `docx_to_pdf(docx_bytes)` converts with LibreOffice headless ("save as PDF"), CJK fonts from
  fonts-noto-cjk.

Options reproduce the PDF quirks the converters must survive: a page break forced inside table 3
(`break_before` a table-3 row key), the table-3 header repeated on the next page
(`repeat_header`), and `values` to print other numbers than the truth (to prove positional
mapping with distinct values).
"""
from __future__ import annotations

import copy
import functools
import glob
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.enum.text import WD_ALIGN_PARAGRAPH

# The seeds as committed with the tests (copies of shared/corpus/seeds).
SEEDS = Path(os.environ.get("SEEDS_DIR", Path(__file__).resolve().parent / "fixtures" / "seeds"))
FONT = "Noto Serif CJK SC"


def seed_paths(prefix: str) -> tuple[Path, Path]:
    txt = next(iter(sorted(glob.glob(str(SEEDS / f"{prefix}_*.txt")))))
    return Path(txt), Path(txt[:-4] + ".truth.json")


def load_seed(prefix: str) -> tuple[str, dict]:
    txt, truth = seed_paths(prefix)
    return txt.read_text(encoding="utf-8"), json.loads(truth.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ official table layouts
# Each layout is a list of rows; a row is a list of (text, colspan, rowspan) with rowspan>1 for a
# vertically merged cell (continuations are implied). Values are "{row.col}" placeholders.
def _t2_2021() -> tuple[int, list]:
    r = []
    r.append([("第二十条第（一）项", 4, 1)])
    r.append([("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)])
    for key, label in (("rules", "规章"), ("normative_docs", "行政规范性文件")):
        r.append([(label, 1, 1)] + [(f"{{{key}.{c}}}", 1, 1) for c in ("issued", "repealed", "in_force")])
    for item, rows in (("五", [("licensing", "行政许可")]),
                       ("六", [("penalty", "行政处罚"), ("coercion", "行政强制")])):
        r.append([(f"第二十条第（{item}）项", 4, 1)])
        r.append([("信息内容", 1, 1), ("本年处理决定数量", 3, 1)])
        for key, label in rows:
            r.append([(label, 1, 1), (f"{{{key}.decisions}}", 3, 1)])
    r.append([("第二十条第（八）项", 4, 1)])
    r.append([("信息内容", 1, 1), ("本年收费金额（单位：万元）", 3, 1)])
    r.append([("行政事业性收费", 1, 1), ("{admin_fees.amount_wan_yuan}", 3, 1)])
    return 4, r


def _t2_2019() -> tuple[int, list]:
    r = [[("第二十条第（一）项", 4, 1)],
         [("信息内容", 1, 1), ("本年新制作数量", 1, 1), ("本年新公开数量", 1, 1), ("对外公开总数量", 1, 1)]]
    for key, label in (("rules", "规章"), ("normative_docs", "规范性文件")):
        r.append([(label, 1, 1)] + [(f"{{{key}.{c}}}", 1, 1) for c in ("newly_made", "newly_published", "published_total")])
    for item, rows in (("五", [("licensing", "行政许可"), ("other_admin_services", "其他对外管理服务事项")]),
                       ("六", [("penalty", "行政处罚"), ("coercion", "行政强制")])):
        r.append([(f"第二十条第（{item}）项", 4, 1)])
        r.append([("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 1), ("处理决定数量", 1, 1)])
        for key, label in rows:
            r.append([(label, 1, 1)] + [(f"{{{key}.{c}}}", 1, 1) for c in ("items_prev_year", "items_change", "decisions")])
    r.append([("第二十条第（八）项", 4, 1)])
    r.append([("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 2, 1)])
    r.append([("行政事业性收费", 1, 1), ("{admin_fees.items_prev_year}", 1, 1), ("{admin_fees.items_change}", 2, 1)])
    r.append([("第二十条第（九）项", 4, 1)])
    r.append([("信息内容", 1, 1), ("采购项目数量", 1, 1), ("采购总金额", 2, 1)])
    r.append([("政府集中采购", 1, 1), ("{central_procurement.projects}", 1, 1), ("{central_procurement.amount}", 2, 1)])
    return 4, r


T3_COLS = ("natural_person", "commercial_enterprise", "research_institution",
           "public_interest_org", "legal_service_org", "other_org", "total")
_T3_GROUPS = [
    ("（三）不予公开", [("denied_state_secret", "1.属于国家秘密"), ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
                  ("denied_security_stability", "3.危及“三安全一稳定”"), ("denied_third_party_rights", "4.保护第三方合法权益"),
                  ("denied_internal_affairs", "5.属于三类内部事务信息"), ("denied_process_info", "6.属于四类过程性信息"),
                  ("denied_enforcement_file", "7.属于行政执法案卷"), ("denied_admin_query", "8.属于行政查询事项")]),
    ("（四）无法提供", [("unavailable_not_held", "1.本机关不掌握相关政府信息"),
                  ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
                  ("unavailable_unclear", "3.补正后申请内容仍不明确")]),
    ("（五）不予处理", [("not_processed_complaint", "1.信访举报投诉类申请"), ("not_processed_duplicate", "2.重复申请"),
                  ("not_processed_publication", "3.要求提供公开出版物"), ("not_processed_excessive", "4.无正当理由大量反复申请"),
                  ("not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息")]),
]
_T3_OTHER_2021 = ("（六）其他处理", [
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "3.其他")])


def _vals(key: str) -> list:
    return [(f"{{{key}.{c}}}", 1, 1) for c in T3_COLS]


def _t3(version: str) -> tuple[int, list]:
    r = [[("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 7, 1)],
         [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
         [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)]]
    r.append([("一、本年新收政府信息公开申请数量", 3, 1)] + _vals("new_received"))
    r.append([("二、上年结转政府信息公开申请数量", 3, 1)] + _vals("carried_over"))
    groups = _T3_GROUPS + ([_T3_OTHER_2021] if version == "2021" else [])
    n_result = 3 + sum(len(g[1]) for g in groups) + (0 if version == "2021" else 1)
    first = [("三、本年度办理结果", 1, n_result)]
    r.append(first + [("（一）予以公开", 2, 1)] + _vals("granted"))
    r.append([("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2, 1)] + _vals("partially_granted"))
    for glabel, items in groups:
        for i, (key, label) in enumerate(items):
            lead = [(glabel, 1, len(items))] if i == 0 else []
            r.append(lead + [(label, 1, 1)] + _vals(key))
    if version == "2019":
        r.append([("（六）其他处理", 2, 1)] + _vals("other_handling"))
    r.append([("（七）总计", 2, 1)] + _vals("total_processed"))
    r.append([("四、结转下年度继续办理", 3, 1)] + _vals("carried_forward"))
    return 10, r


def _t4() -> tuple[int, list]:
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    r = [[("行政复议", 5, 1), ("行政诉讼", 10, 1)],
         [(t, 1, 2) for t in five] + [("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)],
         [(t, 1, 1) for t in five * 2]]
    cols = ("upheld", "corrected", "other", "pending", "total")
    r.append([(f"{{{row}.{c}}}", 1, 1) for row in ("review", "litigation_direct", "litigation_after_review") for c in cols])
    return 15, r


# ------------------------------------------------------------------ docx writing
def _set_cell_text(cell, text: str, size: float) -> None:
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.font.size = Pt(size)


def _place(layout: list) -> list[tuple[int, int, str, int, int]]:
    """Grid positions of a layout's cells: (row, col, text, colspan, rowspan)."""
    occupied: set[tuple[int, int]] = set()
    out = []
    for ri, row in enumerate(layout):
        ci = 0
        for text, cs, rs in row:
            while (ri, ci) in occupied:
                ci += 1
            out.append((ri, ci, text, cs, rs))
            occupied.update((ri + dr, ci + dc) for dr in range(rs) for dc in range(cs))
            ci += cs
    return out


def _split(placed: list, k: int, header_rows: int) -> tuple[list, list]:
    """Cut a table before row k (Word's "split table"): a cell spanning the cut keeps its text above
    and continues as an empty merged cell below; the second part may repeat the header rows."""
    top, bottom = [], []
    head = [c for c in placed if c[0] < header_rows]
    for ri, ci, text, cs, rs in placed:
        if ri < k:
            top.append((ri, ci, text, cs, min(rs, k - ri)))
            if ri + rs > k:
                bottom.append((k, ci, "", cs, ri + rs - k))
        else:
            bottom.append((ri, ci, text, cs, rs))
    shift = k - header_rows
    bottom = head + [(ri - shift, ci, t, cs, rs) for ri, ci, t, cs, rs in bottom]
    return top, bottom


_BORDERS = {"on": True}


def _add_table(doc, ncols: int, placed: list, fill, size: float = 9.0, header_rows: int = 0,
               widths_cm: list[float] | None = None):
    nrows = max(ri + rs for ri, _, _, _, rs in placed)
    table = doc.add_table(rows=nrows, cols=ncols)
    if _BORDERS["on"]:
        table.style = "Table Grid"
    table.autofit = False
    if widths_cm:
        grid = table._tbl.tblGrid
        for gc, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
            gc.set(qn("w:w"), str(int(w * 567)))
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm):
                cell.width = Cm(w)
    for ri, ci, text, cs, rs in placed:
        a = table.cell(ri, ci)
        if cs > 1 or rs > 1:
            a = a.merge(table.cell(ri + rs - 1, ci + cs - 1))
        _set_cell_text(a, fill(text), size)
    for ri in range(header_rows):
        trpr = table.rows[ri]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:tblHeader"))
    return table


def _page_break(doc) -> None:
    from docx.enum.text import WD_BREAK
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _filler(values: dict):
    def fill(text: str) -> str:
        m = re.fullmatch(r"\{(\w+)\.(\w+)\}", text)
        if not m:
            return text
        return _fmt(values.get(m.group(1), {}).get(m.group(2)))
    return fill


_HEADING = re.compile(r"^\s*([一二三四五六])、(?=[^\t|]*(?:总体情况|主动公开|收到和处理|行政复议|存在的?主要问题|其他需要))[^\t|]*$")


def _style(doc) -> None:
    st = doc.styles["Normal"]
    st.font.name = FONT
    st.font.size = Pt(12)
    rpr = st.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def build_docx(prefix: str, *, break_before: str | None = None, repeat_header: bool = False,
               values: dict | None = None, borders: bool = True, autonum: bool = False) -> bytes:
    """The seed's report as a DOCX with real Word tables (see module doc); `borders=False` prints
    the report tables without ruling lines (an unruled PDF table, read from x-positions);
    `autonum=True` numbers the six section headings with Word's automatic list numbering
    (chineseCounting "%1、"), so "一、" is not in their text."""
    _BORDERS["on"] = borders
    try:
        return _build_docx(prefix, break_before, repeat_header, values, autonum)
    finally:
        _BORDERS["on"] = True


_NUM_XML = ('<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>')


def _autonumber(doc, p, text: str) -> None:
    from docx.oxml import parse_xml
    numbering = doc.part.numbering_part.element
    if numbering.find(qn("w:num") + "[@" + qn("w:numId") + "='77']") is None:
        numbering.insert(0, parse_xml(_NUM_XML))
        numbering.append(parse_xml('<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                                   'w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    p.text = text
    p._p.get_or_add_pPr().append(parse_xml(
        '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr>'))


def _build_docx(prefix: str, break_before, repeat_header, values, autonum=False) -> bytes:
    text, truth = load_seed(prefix)
    vals = values or {}
    doc = DocxDocument()
    _style(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.5)
    _footer_page_number(sec)
    lines = text.splitlines()
    region = None  # None before 二, then "2"/"3"/"4" inside the table sections, "done" after 五
    pending_meta: list[list[str]] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        m = _HEADING.match(line)
        if m and region != "done":
            n = m.group(1)
            if n in "二三四" and region != "done":
                region = n
            elif n in "五六" and region in ("二", "三", "四"):
                region = "done"
        if region in ("二", "三", "四") and not m:
            continue  # table cells of the seed's text: replaced by real tables below
        if " | " in raw or raw.rstrip().endswith("|"):
            pending_meta.append([c.strip() for c in raw.split("|") if c.strip()])
            continue
        if pending_meta:
            _meta_table(doc, pending_meta)
            pending_meta = []
        p = doc.add_paragraph(line)
        if m and autonum:
            _autonumber(doc, p, line[2:])
        if raw.startswith("    ") or re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if m and region in ("二", "三", "四"):
            _emit_table(doc, region, truth, vals, break_before, repeat_header)
    return _save(doc)


def _footer_page_number(section) -> None:
    """A centred "— N —" page number in the footer, as government documents print it."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)
    p.add_run(" —")


def _meta_table(doc, rows: list[list[str]]) -> None:
    n = max(len(r) for r in rows)
    t = doc.add_table(rows=len(rows), cols=n)
    t.style = "Table Grid"
    for ri, r in enumerate(rows):
        for ci, c in enumerate(r):
            t.cell(ri, ci).text = c


def _emit_table(doc, region: str, truth: dict, vals: dict, break_before, repeat_header) -> None:
    if region == "二":
        t = truth["table2"]
        ncols, layout = _t2_2021() if t["format_version"] == "2021" else _t2_2019()
        rows = {**t["rows"], **vals.get("table2", {})}
        _add_table(doc, ncols, _place(layout), _filler(rows), size=10.5, widths_cm=[5, 4, 4, 4])
    elif region == "三":
        t = truth["table3"]
        ncols, layout = _t3(t["format_version"])
        label = None
        if break_before:
            label = next((lab for _, items in _T3_GROUPS + [_T3_OTHER_2021] for key, lab in items if key == break_before), None)
        rows = {**t["rows"], **vals.get("table3", {})}
        placed = _place(layout)
        heads = 3 if repeat_header else 0
        widths = [1.8, 2.0, 4.2] + [1.3] * 7
        if label:
            k = next(ri for ri, _, text, _, _ in placed if text == label)
            top, bottom = _split(placed, k, heads)
            _add_table(doc, ncols, top, _filler(rows), size=9, header_rows=heads, widths_cm=widths)
            _page_break(doc)
            placed = bottom
        _add_table(doc, ncols, placed, _filler(rows), size=9, header_rows=heads, widths_cm=widths)
    else:
        rows = {**truth["table4"]["rows"], **vals.get("table4", {})}
        ncols, layout = _t4()
        _add_table(doc, ncols, _place(layout), _filler(rows), size=9, header_rows=3 if repeat_header else 0,
                   widths_cm=[1.13] * 15)


def _save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ LibreOffice
def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_convert_many(files: dict[str, bytes], target: str, timeout: float = 300) -> dict[str, bytes]:
    """Convert several files in one LibreOffice run (private profile): {name.ext: bytes} → {name: bytes}."""
    exe = soffice()
    if not exe:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="attach_build_") as tmp:
        srcs = []
        for name, data in files.items():
            Path(tmp, name).write_bytes(data)
            srcs.append(str(Path(tmp, name)))
        out_dir = Path(tmp, "out")
        profile = Path(tmp, "profile").as_uri()
        subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        "--convert-to", target, "--outdir", str(out_dir), *srcs],
                       check=True, timeout=timeout, capture_output=True, env=dict(os.environ, HOME=tmp))
        ext = target.split(":")[0]
        return {n.rsplit(".", 1)[0]: (out_dir / (n.rsplit(".", 1)[0] + "." + ext)).read_bytes() for n in files}


def lo_convert(data: bytes, src_ext: str, target: str, timeout: float = 180) -> bytes:
    return lo_convert_many({f"in.{src_ext}": data}, target, timeout)["in"]


def docx_to_pdf(data: bytes) -> bytes:
    return lo_convert(data, "docx", "pdf")


def docx_to_doc(data: bytes) -> bytes:
    return lo_convert(data, "docx", "doc:MS Word 97")


def distinct_values(version: str = "2021") -> dict:
    """Distinct non-zero numbers in every table-3 and table-4 cell (to prove positional mapping)."""
    rows = _t3(version)[1]
    keys = [re.fullmatch(r"\{(\w+)\.total\}", c[0]).group(1) for r in rows for c in r
            if re.fullmatch(r"\{\w+\.total\}", c[0])]
    t3 = {k: {c: 100 + i * 10 + j for j, c in enumerate(T3_COLS)} for i, k in enumerate(keys)}
    t4 = {row: {c: 1 + i * 5 + j for j, c in enumerate(("upheld", "corrected", "other", "pending", "total"))}
          for i, row in enumerate(("review", "litigation_direct", "litigation_after_review"))}
    return {"table3": t3, "table4": t4}


def truth_with(truth: dict, values: dict) -> dict:
    out = copy.deepcopy(truth)
    for table, rows in values.items():
        out[table]["rows"].update(copy.deepcopy(rows))
    return out


# ------------------------------------------------------------------ OFD
_OFD_NS = "http://www.ofdspec.org/2016"
_MM = 25.4 / 72


def _deltax(xs: list[float]) -> str:
    """DeltaX with the "g n d" shorthand for runs of equal advances, as OFD writers emit it."""
    ds = [round((b - a) * _MM, 3) for a, b in zip(xs, xs[1:])]
    out, i = [], 0
    while i < len(ds):
        j = i
        while j < len(ds) and ds[j] == ds[i]:
            j += 1
        out.append(f"g {j - i} {ds[i]}" if j - i > 2 else " ".join(str(d) for d in ds[i:j]))
        i = j
    return " ".join(out)


def pdf_to_ofd(pdf: bytes) -> bytes:
    """Re-express a PDF's layout as an OFD package: one TextObject per run of glyphs on a line
    (TextCode with DeltaX), one PathObject per ruling line. Units: millimetres."""
    import pdfplumber
    import zipfile
    from xml.sax.saxutils import escape
    pages_xml = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        w, h = doc.pages[0].width * _MM, doc.pages[0].height * _MM
        for page in doc.pages:
            objs, oid = [], 1
            runs: list[list[dict]] = []
            for ch in sorted(page.chars, key=lambda c: (round(c["top"], 1), c["x0"])):
                if runs and abs(runs[-1][-1]["top"] - ch["top"]) < 0.5 and 0 <= ch["x0"] - runs[-1][-1]["x1"] < 2 \
                        and runs[-1][-1]["size"] == ch["size"]:
                    runs[-1].append(ch)
                else:
                    runs.append([ch])
            for run in runs:
                size = run[0]["size"] * _MM
                x0, top = run[0]["x0"] * _MM, run[0]["top"] * _MM
                x1 = run[-1]["x1"] * _MM
                text = escape("".join(c["text"] for c in run))
                objs.append(f'<ofd:TextObject ID="{oid}" Boundary="{x0:.3f} {top:.3f} {x1 - x0 + 1:.3f} {size * 1.2:.3f}" '
                            f'Font="1" Size="{size:.3f}"><ofd:TextCode X="0" Y="{size * 0.88:.3f}" '
                            f'DeltaX="{_deltax([c["x0"] for c in run])}">{text}</ofd:TextCode></ofd:TextObject>')
                oid += 1
            for e in page.edges:
                ex0, etop = e["x0"] * _MM, e["top"] * _MM
                ew, eh = (e["x1"] - e["x0"]) * _MM, (e["bottom"] - e["top"]) * _MM
                objs.append(f'<ofd:PathObject ID="{oid}" Boundary="{ex0:.3f} {etop:.3f} {ew + 0.2:.3f} {eh + 0.2:.3f}" '
                            f'LineWidth="0.2"><ofd:AbbreviatedData>M 0 0 L {ew:.3f} {eh:.3f}</ofd:AbbreviatedData></ofd:PathObject>')
                oid += 1
            pages_xml.append(f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
                             f'<ofd:Layer ID="0">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0" '
                   f'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>'
                   f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        plist = "".join(f'<ofd:Page ID="{i + 100}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages_xml)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD_NS}">'
                   f'<ofd:CommonData><ofd:MaxUnitID>9999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {w:.1f} {h:.1f}'
                   f'</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>{plist}</ofd:Pages></ofd:Document>')
        for i, xml in enumerate(pages_xml):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", xml)
    return buf.getvalue()


# ------------------------------------------------------------------ one build per test session
VARIANTS = {
    # name: (seed prefix, build options)
    "001": ("001", {}),
    "003": ("003", {}),
    "004": ("004", {}),  # natural page break cuts the row (六)1. in two
    "004_break": ("004", {"break_before": "denied_internal_affairs"}),
    "004_break_hdr": ("004", {"break_before": "denied_internal_affairs", "repeat_header": True}),
    "001_distinct": ("001", {"values": "distinct2021"}),
    "003_distinct": ("003", {"values": "distinct2019"}),
    "004_unruled": ("004", {"borders": False}),  # tables without ruling lines
    "001_unruled_distinct": ("001", {"borders": False, "values": "distinct2021"}),
    "003_autonum": ("003", {"autonum": True}),  # section headings numbered by Word, not typed
}


def variant_truth(name: str) -> dict:
    prefix, opts = VARIANTS[name]
    truth = load_seed(prefix)[1]
    if opts.get("values"):
        truth = truth_with(truth, distinct_values(opts["values"][-4:]))
    return truth


@functools.lru_cache(maxsize=None)
def built() -> dict[str, dict[str, bytes]]:
    """Every variant as DOCX and PDF, two as DOC, one as RTF, two as OFD; LibreOffice runs 3 times."""
    docx = {}
    for name, (prefix, opts) in VARIANTS.items():
        o = dict(opts)
        if o.get("values"):
            o["values"] = distinct_values(o["values"][-4:])
        docx[name] = build_docx(prefix, **o)
    pdf = lo_convert_many({f"{n}.docx": d for n, d in docx.items()}, "pdf")
    doc = lo_convert_many({f"{n}.docx": docx[n] for n in ("003", "004_break")}, "doc:MS Word 97")
    rtf = lo_convert_many({"001.docx": docx["001"]}, "rtf")
    ofd = {n: pdf_to_ofd(pdf[n]) for n in ("001", "004_break_hdr")}
    return {"docx": docx, "pdf": pdf, "doc": doc, "rtf": rtf, "ofd": ofd}
