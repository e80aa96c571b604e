"""Converter details at the Document level: DOCX structures seen in real files, PDF page furniture
and layout helpers, OFD glyph positions, antiword text rows. Small documents built here."""
import io

from docx import Document as DocxDocument
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from crawler.parsing import parse_document
from crawler.parsing.formats import _layout, docx, legacy, ofd
from tests.attachment_builders import load_seed


def _save(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_body_order_and_merged_cells():
    d = DocxDocument()
    d.add_paragraph("前言")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（五）项"
    t.cell(1, 0).text = "行政许可"
    t.cell(1, 1).merge(t.cell(1, 3)).text = "3"
    t.cell(2, 0).text = "行政处罚"
    t.cell(2, 2).text = "5"  # a real blank cell at column 1 and 3
    d.add_paragraph("后记")
    lines = docx.to_document(_save(d), "x.docx").lines
    assert [(ln.is_row, ln.cells) for ln in lines] == [
        (False, ["前言"]), (True, ["第二十条第（五）项"]), (True, ["行政许可", "3"]),
        (True, ["行政处罚", "", "5", ""]), (False, ["后记"])]


def test_docx_vertical_merge_continuation_is_omitted():
    d = DocxDocument()
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "（三）不予公开"
    t.cell(0, 1).text, t.cell(0, 2).text = "1.属于国家秘密", "0"
    t.cell(1, 1).text, t.cell(1, 2).text = "2.其他法律行政法规禁止公开", "1"
    rows = [ln.cells for ln in docx.to_document(_save(d), "x.docx").lines]
    assert rows == [["（三）不予公开", "1.属于国家秘密", "0"], ["2.其他法律行政法规禁止公开", "1"]]


def test_docx_cell_paragraphs_join_without_separator_and_tabs_make_rows():
    d = DocxDocument()
    t = d.add_table(rows=1, cols=2)
    c = t.cell(0, 0)
    c.text = "商业"
    c.add_paragraph("企业")
    t.cell(0, 1).text = "0"
    d.add_paragraph("规章\t0\t\t0\t0")
    d.add_paragraph("联系电话：\t0000-1234567 转人工")
    lines = docx.to_document(_save(d), "x.docx").lines
    assert lines[0].cells == ["商业企业", "0"]
    assert lines[1].is_row and lines[1].cells == ["规章", "0", "0", "0"]
    assert not lines[2].is_row


def test_docx_text_box_fallback_not_duplicated_and_deleted_text_dropped():
    d = DocxDocument()
    p = d.add_paragraph()
    mc = ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          '<mc:Choice Requires="wps"><w:r><w:t>框内文字</w:t></w:r></mc:Choice>'
          '<mc:Fallback><w:r><w:t>框内文字</w:t></w:r></mc:Fallback></mc:AlternateContent>')
    p._p.append(parse_xml(mc))
    q = d.add_paragraph("保留")
    q._p.append(parse_xml('<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                          'w:id="1" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'))
    texts = [ln.text for ln in docx.to_document(_save(d), "x.docx").lines]
    assert texts == ["框内文字", "保留"]


def test_docx_alt_chunk_html_is_read():
    """CMS/WPS exports that keep the report as an imported HTML part (w:altChunk)."""
    text, truth = load_seed("001")
    rows, body = [], []
    for line in text.splitlines():
        if "|" in line:
            rows.append("<tr>" + "".join(f"<td>{c.strip()}</td>" for c in line.strip().strip("|").split("|")) + "</tr>")
        else:
            if rows:
                body.append("<table>" + "".join(rows) + "</table>")
                rows = []
            body.append(f"<p>{line}</p>")
    page = f'<html><head><meta charset="utf-8"></head><body>{"".join(body)}</body></html>'.encode()
    d = DocxDocument()
    part = Part(PackURI("/word/afchunk.htm"), "text/html", page, d.part.package)
    rid = d.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    chunk = OxmlElement("w:altChunk")
    chunk.set(qn("r:id"), rid)
    d.element.body.insert(0, chunk)
    rec = parse_document(_save(d), "http://example.gov.cn/a.docx")
    assert rec["document_type"] == "docx"
    assert rec["title"] == truth["title"]
    assert rec["table3"]["rows"] == truth["table3"]["rows"]


def test_page_furniture():
    def line(text, top):
        return _layout.TextLine(text, 100, 140, top, top + 10, 10, [(100, 140, text)])
    for t in ("— 5 —", "- 12 -", "第5页", "第 5 页 共 9 页", "5/9", "－3－"):
        assert _layout.is_page_furniture(line(t, 400), 842), t
    assert _layout.is_page_furniture(line("7", 800), 842)  # bare number in the footer band
    assert not _layout.is_page_furniture(line("7", 400), 842)  # a value in the body
    assert not _layout.is_page_furniture(line("2023年5月", 800), 842)


def test_join_cell_lines():
    assert _layout.join_cell_lines("结\n果\n维\n持") == "结果维持"
    assert _layout.join_cell_lines("商业\n企业") == "商业企业"
    assert _layout.join_cell_lines("Open\nData") == "Open Data"
    assert _layout.join_cell_lines(None) == ""


def test_ofd_glyph_positions_with_deltax_shorthand():
    page = ofd.etree.fromstring(
        '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>'
        '<ofd:TextObject Boundary="10 20 100 10" Size="5"><ofd:TextCode X="0" Y="4" DeltaX="g 2 5 12">规章000</ofd:TextCode>'
        '</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>')
    glyphs, edges = ofd._page_objects(page)
    xs = [round(g[0], 2) for g in glyphs]
    assert [g[4] for g in glyphs] == list("规章000")
    assert xs == [10, 15, 20, 32, 37]  # "g 2 5" = two advances of 5, then 12, then the size
    assert edges == []
    assert ofd._deltas("1 g 3 2.5 4", 10) == [1, 2.5, 2.5, 2.5, 4]


def test_antiword_rows_keep_blank_cells():
    lines = legacy.antiword_lines("标题\n\n|规章   |0  |   |0 |\n|       |   |   |  |\n正文")
    assert [(ln.is_row, ln.cells) for ln in lines] == [
        (False, ["标题"]), (True, ["规章", "0", "", "0"]), (False, ["正文"])]


def test_docx_automatic_list_numbers_are_printed():
    """Headings numbered by Word's list feature ("一、" is not in the text) keep their numbers."""
    text, truth = load_seed("004")
    d = DocxDocument()
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(
        '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="7">'
        '<w:abstractNumId w:val="90"/></w:num>'))

    def item(text, level):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr>'))

    item("总体情况", 0)
    item("主动公开", 1)
    item("依申请公开", 1)
    item("主动公开政府信息情况", 0)
    lines = [ln.text for ln in docx.to_document(_save(d), "x.docx").lines]
    assert lines == ["一、总体情况", "（一）主动公开", "（二）依申请公开", "二、主动公开政府信息情况"]


def test_kangxi_radicals_from_pdf_fonts_become_ideographs():
    assert _layout.join_cell_lines("⼀、本年新收") == "一、本年新收"
    glyphs = [(10 + 10 * i, 20 + 10 * i, 100, 110, ch) for i, ch in enumerate("⼆、主动公开")]
    assert [ln.text for ln in _layout.glyph_lines(glyphs)] == ["二、主动公开"]


def test_macro_enabled_docx_is_read_from_its_xml():
    """python-docx refuses a .docm main part; the body XML is read directly."""
    import zipfile
    from tests.attachment_builders import build_docx, variant_truth
    src = zipfile.ZipFile(io.BytesIO(build_docx("004")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            dst.writestr(info, data)
    rec = parse_document(out.getvalue(), "http://example.gov.cn/a.docm")
    truth = variant_truth("004")
    assert rec["document_type"] == "docx" and rec["status"] == truth["status"]
    assert rec["table3"]["rows"] == truth["table3"]["rows"]
    # besides the metadata the seed does not print (null + *_missing warnings), only the raw read is noted
    assert [p["code"] for p in rec["problems"] if not p["code"].endswith(("_missing", "_table_only"))] == ["docx_read_raw"]
