"""The seed's report as a DOCX with real Word tables, merged cells, a page-number footer."""
from __future__ import annotations

import io
import re

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .layouts import _T3_GROUPS, _T3_OTHER_2021, _t2_2019, _t2_2021, _t3, _t4, load_seed

FONT = "Noto Serif CJK SC"


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


