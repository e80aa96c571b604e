"""DOCX → Document with python-docx (MIT) and lxml.

The body XML is walked in document order, so paragraphs and tables keep their order (python-docx's
`paragraphs`/`tables` lists lose it). Table rows are read from the `w:tc` elements themselves: a
horizontally merged cell (gridSpan) appears once, and a vertically merged continuation
(`<w:vMerge/>` without restart) is omitted like PDF and HTML rowspans, so the reader sees label
cells then value cells exactly as printed; a real blank cell stays "". Content controls (sdt),
tracked insertions, hyperlinks and smart tags are entered; deleted text and field codes are not.

Guards: size cap, zip-bomb checks on declared and actual member sizes before python-docx reads
anything (`_guard.check_zip`), a per-document deadline.
"""
from __future__ import annotations

import io
import posixpath
import re
import threading

from ..document import ConversionError, Document, Line
from . import _guard
from ._layout import _NUMERIC, join_cell_lines
from ._numbering import Numbering

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Not text: properties, deleted/moved-away text, field codes, and the VML fallback copy of a
# drawing/text box (mc:Choice holds the same text).
_SKIP = {W + "delText", W + "instrText", W + "rPr", W + "pPr", W + "tblPr", W + "trPr", W + "tcPr",
         W + "del", W + "moveFrom", W + "fldData", MC + "Fallback"}


def to_document(data: bytes, url: str, content_type: str | None = None, *, document_type: str = "docx") -> Document:
    _guard.check_size(data, "DOCX")
    deadline = _guard.Deadline(what="DOCX")
    return _guard.limited(deadline, _convert, data, deadline, document_type)


def _convert(data: bytes, deadline: _guard.Deadline, document_type: str) -> Document:
    z = _guard.check_zip(data, "DOCX")
    # Read every XML member once through the size-checked reader before any parser touches it.
    parts = {n: _guard.read_member(z, n, "DOCX") for n in z.namelist() if n.endswith((".xml", ".rels"))}
    lines: list[Line] = []
    problems: list[dict] = []
    import docx
    try:
        wdoc = docx.Document(io.BytesIO(data))
        body, numbering = wdoc.element.body, _numbering_of(wdoc)
    except Exception as exc:  # macro-enabled (.docm), Strict OOXML, odd package: read the XML
        wdoc = None
        body, numbering = _raw_body(parts, exc)
        problems.append({"code": "docx_read_raw", "severity": "warning",
                         "detail": f"python-docx could not open the package ({type(exc).__name__}); body XML read directly"})
    _STATE.numbering = numbering  # per thread: the crawl may parse in several threads
    try:
        _walk(body, lines, deadline)
    finally:
        _STATE.numbering = Numbering()
    if wdoc is not None:
        for chunk in body.iter(W + "altChunk"):  # imported HTML/MHT kept as a separate part
            lines.extend(_alt_chunk(wdoc, chunk, problems))
    if not any(ln.text.strip() for ln in lines):
        raise ConversionError("empty_document", "the DOCX body has no text")
    return Document(lines=lines, document_type=document_type, problems=problems)


_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_TRANSITIONAL = W[1:-1].encode()


def _raw_body(parts: dict[str, bytes], why: Exception):
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    main = "word/document.xml"
    rels = parts.get("_rels/.rels", b"")
    m = re.search(rb'Target="/?([^"]+)"[^>]*Type="[^"]*/officeDocument"|Type="[^"]*/officeDocument"[^>]*Target="/?([^"]+)"', rels)
    if m:
        main = (m.group(1) or m.group(2)).decode("utf-8", "replace")
    if main not in parts:
        raise ConversionError("corrupt_file", f"the DOCX cannot be opened ({type(why).__name__}: {why}) "
                              f"and has no {main}")
    try:
        root = etree.fromstring(parts[main].replace(_STRICT, _TRANSITIONAL), parser)
        num = parts.get(posixpath.join(posixpath.dirname(main), "numbering.xml"))
        numbering = Numbering(etree.fromstring(num.replace(_STRICT, _TRANSITIONAL), parser)) if num else Numbering()
    except etree.XMLSyntaxError as exc:
        raise ConversionError("corrupt_file", f"the DOCX body is not well-formed XML: {exc}") from None
    body = root.find(W + "body")
    if body is None:
        raise ConversionError("corrupt_file", f"{main} has no w:body")
    return body, numbering


def _walk(container, lines: list[Line], deadline: _guard.Deadline) -> None:
    for el in container.iterchildren():
        tag = el.tag
        if tag == W + "p":
            _paragraph(_label(el) + _text(el), lines)
        elif tag == W + "tbl":
            deadline.check("table")
            _table(el, lines, deadline)
        elif tag in (W + "sdt", W + "customXml", W + "ins", W + "moveTo"):
            inner = el.find(W + "sdtContent") if tag == W + "sdt" else el
            if inner is not None:
                _walk(inner, lines, deadline)


_STATE = threading.local()


def _label(p) -> str:
    numbering = getattr(_STATE, "numbering", None)
    return numbering.label(p) if numbering is not None else ""


def _numbering_of(wdoc) -> Numbering:
    """List numbering definitions and the numbering that paragraph styles carry."""
    try:
        root = wdoc.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return Numbering()
    style_numpr = {}
    try:
        for st in wdoc.styles.element.iter(W + "style"):
            ppr = st.find(W + "pPr")
            numpr = ppr.find(W + "numPr") if ppr is not None else None
            if numpr is not None:
                style_numpr[st.get(W + "styleId")] = numpr
    except Exception:
        pass
    return Numbering(root, style_numpr)


def _alt_chunk(wdoc, el, problems: list[dict]) -> list[Line]:
    """Lines of a w:altChunk part (HTML or MHT that a CMS or WPS "imported" into the DOCX)."""
    rid = el.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    try:
        part = wdoc.part.rels[rid].target_part
        blob, ctype = part.blob, (part.content_type or "").lower()
    except Exception:
        problems.append({"code": "docx_part_missing", "severity": "warning", "detail": f"altChunk {rid} cannot be read"})
        return []
    if "rfc822" in ctype or blob[:200].lower().find(b"mime-version") >= 0:
        import email
        msg = email.message_from_bytes(blob)
        html = next((p.get_payload(decode=True) for p in msg.walk() if p.get_content_type() == "text/html"), None)
        blob = html or b""
    if not blob.strip():
        return []
    from . import html as html_format
    try:
        return html_format.to_document(blob, "altchunk.html").body_lines()
    except ConversionError as exc:
        problems.append({"code": "docx_part_unreadable", "severity": "warning", "detail": f"altChunk {rid}: {exc.detail}"})
        return []


def _paragraph(text: str, lines: list[Line]) -> None:
    """A body paragraph; a manual line break starts a new line, and a tab-aligned line with
    numbers (a table typed with tabs instead of a grid) becomes a row of its tab-separated cells."""
    for part in text.split("\n"):
        part = part.strip()
        if not part:
            continue
        cells = [c.strip() for c in re.split(r"\t+", part) if c.strip()]
        if len(cells) >= 2 and any(_NUMERIC.match(c) for c in cells[1:]):
            lines.append(Line(cells, is_row=True))
        else:
            lines.append(Line([re.sub(r"\t+", " ", part)]))


def _table(tbl, lines: list[Line], deadline: _guard.Deadline) -> None:
    for tr in _rows(tbl):
        cells: list[str] = []
        for tc in _cells(tr):
            pr = tc.find(W + "tcPr")
            vmerge = pr.find(W + "vMerge") if pr is not None else None
            if vmerge is not None and vmerge.get(W + "val") in (None, "continue"):
                continue  # continuation of a vertically merged cell: printed once, above
            nested = tc.findall(".//" + W + "tbl")
            if nested:  # a table inside a cell: its rows are emitted after this row
                for t in nested:
                    t.getparent().remove(t)
                cells.append(_cell_text(tc))
                lines.append(Line(cells, is_row=True))
                cells = []
                for t in nested:
                    _table(t, lines, deadline)
                continue
            cells.append(_cell_text(tc))
        if cells:
            lines.append(Line(cells, is_row=True))


def _rows(tbl):
    for el in tbl.iterchildren():
        if el.tag == W + "tr":
            yield el
        elif el.tag in (W + "sdt", W + "customXml"):
            inner = el.find(W + "sdtContent") if el.tag == W + "sdt" else el
            if inner is not None:
                yield from _rows(inner)


def _cells(tr):
    for el in tr.iterchildren():
        if el.tag == W + "tc":
            yield el
        elif el.tag in (W + "sdt", W + "customXml"):
            inner = el.find(W + "sdtContent") if el.tag == W + "sdt" else el
            if inner is not None:
                yield from _cells(inner)


def _cell_text(tc) -> str:
    """A cell's paragraphs joined like visual lines (no separator: "商业" + "企业")."""
    parts = [_label(p) + _text(p) for p in tc.iter(W + "p")]
    return join_cell_lines("\n".join(p.replace("\n", " ") for p in parts))


def _text(el) -> str:
    out: list[str] = []
    _collect(el, out)
    return "".join(out)


def _collect(el, out: list[str]) -> None:
    for ch in el.iterchildren():
        tag = ch.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "t":
            out.append(ch.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "sym":
            out.append("")
        elif tag == W + "p":  # paragraphs inside text boxes
            _collect(ch, out)
            out.append("\n")
        else:
            _collect(ch, out)
