"""OFD (GB/T 33190, China's fixed-layout format) → Document, read from its XML directly.

No maintained MIT/BSD OFD reader exists on PyPI (the candidates are young single-author packages,
Apache-2.0 invoice readers, or pull in AGPL PyMuPDF), and OFD is a zip of XML, so this module reads
it itself: OFD.xml → DocRoot (Document.xml) → each page's Content.xml; every TextObject/TextCode
becomes positioned glyphs (X/Y, DeltaX incl. the "g n d" shorthand, Boundary origin, CTM scale and
translation), every horizontal/vertical PathObject segment becomes a table edge. Ruled tables are
then built from the edges (`_grid`, the same geometry as PDF) and everything goes through the same
`_layout` line builder as PDF. Units are millimetres.

Not handled: text drawn as paths (outlined fonts) or images (→ `ofd_no_text`, we do not OCR),
encrypted/signed-then-encrypted packages (→ `encrypted_document`), template pages (letterheads).
"""
from __future__ import annotations

import posixpath
import re

from lxml import etree

from ..document import ConversionError, Document
from . import _guard
from ._grid import edge, find_tables
from ._layout import LineBuilder, emit_page

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


def to_document(data: bytes, url: str, content_type: str | None = None) -> Document:
    _guard.check_size(data, "OFD")
    deadline = _guard.Deadline(what="OFD")
    return _guard.limited(deadline, _convert, data, deadline)


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str):
    return [c for c in el.iterchildren() if _local(c) == name]


def _xml(z, name: str):
    if name not in z.NameToInfo:
        raise ConversionError("corrupt_file", f"the OFD package has no {name}")
    try:
        return etree.fromstring(_guard.read_member(z, name, "OFD"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ConversionError("corrupt_file", f"OFD part {name} is not well-formed XML: {exc}") from None


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip().replace("\\", "/")
    if loc.startswith("/"):
        return loc.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, loc))


def _convert(data: bytes, deadline: _guard.Deadline) -> Document:
    z = _guard.check_zip(data, "OFD")
    names = {n.lower(): n for n in z.namelist()}
    if any(n.endswith("encryptions.xml") or "/encrypt" in n for n in names):
        raise ConversionError("encrypted_document", "the OFD package is encrypted")
    root = _xml(z, names.get("ofd.xml", "OFD.xml"))
    doc_roots = [el.text for el in root.iter() if _local(el) == "DocRoot" and el.text]
    if not doc_roots:
        raise ConversionError("corrupt_file", "OFD.xml names no DocRoot")
    doc_path = _resolve("", doc_roots[0])
    document = _xml(z, doc_path)
    base = posixpath.dirname(doc_path)
    box = next((el.text for el in document.iter() if _local(el) == "PhysicalBox" and el.text), "0 0 210 297")
    page_height = _floats(box)[3] if len(_floats(box)) == 4 else 297.0
    pages = [el.get("BaseLoc") for el in document.iter() if _local(el) == "Page" and el.get("BaseLoc")]
    problems: list[dict] = []
    if len(pages) > _guard.MAX_PAGES:
        problems.append({"code": "pages_truncated", "severity": "warning",
                         "detail": f"{len(pages)} pages; only the first {_guard.MAX_PAGES} were read"})
        pages = pages[:_guard.MAX_PAGES]
    builder = LineBuilder()
    total = 0
    for number, loc in enumerate(pages, 1):
        deadline.check(f"page {number}")
        path = _resolve(base, loc)
        if path not in z.NameToInfo and loc.strip().lstrip("/") in z.NameToInfo:
            path = loc.strip().lstrip("/")  # some writers give the path from the package root
        page = _xml(z, path)
        glyphs, edges = _page_objects(page)
        total += sum(1 for g in glyphs if not g[4].isspace())
        blocks, free = find_tables(edges, glyphs, unit=0.35)
        emit_page(builder, free, blocks, page_height)
        builder.page_break()
    if total == 0:
        raise ConversionError("ofd_no_text", "the OFD has no text objects (scanned images or outlined text); "
                              "the report needs OCR")
    return Document(lines=builder.finish(), document_type="ofd", problems=problems)


def _floats(s: str | None) -> list[float]:
    return [float(x) for x in _NUM.findall(s or "")]


def _deltas(spec: str | None, n: int) -> list[float]:
    out: list[float] = []
    toks = (spec or "").split()
    i = 0
    while i < len(toks):
        if toks[i] == "g" and i + 2 < len(toks):
            out += [float(toks[i + 2])] * int(float(toks[i + 1]))
            i += 3
        else:
            try:
                out.append(float(toks[i]))
            except ValueError:
                pass
            i += 1
    return out[: max(n - 1, 0)]


def _page_objects(page) -> tuple[list[tuple], list[dict]]:
    glyphs: list[tuple] = []
    edges: list[dict] = []
    for el in page.iter():
        name = _local(el)
        if name == "TextObject":
            _text_object(el, glyphs)
        elif name == "PathObject":
            _path_object(el, edges)
    return glyphs, edges


def _ctm(el) -> tuple[float, ...]:
    m = _floats(el.get("CTM"))
    return tuple(m) if len(m) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _text_object(el, glyphs: list[tuple]) -> None:
    bx, by = (_floats(el.get("Boundary")) + [0.0, 0.0])[:2]
    a, b, c, d, e, f = _ctm(el)
    size = float(el.get("Size") or 3.5) * (abs(d) or 1.0)
    x = y = 0.0
    for code in _children(el, "TextCode"):
        text = code.text or ""
        if code.get("X") is not None:
            x = float(code.get("X"))
        if code.get("Y") is not None:
            y = float(code.get("Y"))
        dxs = _deltas(code.get("DeltaX"), len(text))
        dys = _deltas(code.get("DeltaY"), len(text))
        cx, cy = x, y
        for i, ch in enumerate(text):
            px, py = a * cx + c * cy + e + bx, b * cx + d * cy + f + by
            adv = dxs[i] if i < len(dxs) else size
            width = min(adv, size) if adv > 0 else size
            glyphs.append((px, px + width * (abs(a) or 1.0), py - size * 0.88, py + size * 0.12, ch))
            cx += adv
            cy += dys[i] if i < len(dys) else 0.0
        x, y = cx, cy


def _path_object(el, edges: list[dict]) -> None:
    bx, by, bw, bh = (_floats(el.get("Boundary")) + [0.0] * 4)[:4]
    a, b, c, d, e, f = _ctm(el)
    data = next((ch.text for ch in el.iterchildren() if _local(ch) == "AbbreviatedData"), None)
    if not data:
        return
    toks = data.split()
    pts: list[tuple[float, float]] = []
    start = None
    i = 0

    def at(px: float, py: float) -> tuple[float, float]:
        return a * px + c * py + e + bx, b * px + d * py + f + by

    while i < len(toks):
        op = toks[i]
        if op in ("M", "S") and i + 2 < len(toks):
            pts = [at(float(toks[i + 1]), float(toks[i + 2]))]
            start = pts[0]
            i += 3
        elif op == "L" and i + 2 < len(toks):
            p = at(float(toks[i + 1]), float(toks[i + 2]))
            if pts:
                _add(edges, pts[-1], p)
            pts = [p]
            i += 3
        elif op == "C":
            if pts and start:
                _add(edges, pts[-1], start)
            i += 1
        elif op in ("B", "Q", "A"):
            n = {"B": 6, "Q": 4, "A": 7}[op]
            if i + n < len(toks):
                pts = [at(float(toks[i + n - 1]), float(toks[i + n]))]
            i += n + 1
        else:
            i += 1


def _add(edges: list[dict], p: tuple[float, float], q: tuple[float, float]) -> None:
    e = edge(p[0], p[1], q[0], q[1])
    if e is not None:
        edges.append(e)
