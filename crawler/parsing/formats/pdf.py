"""PDF → Document with pdfplumber / pdfminer.six (MIT).

Made for the common case, Word/WPS "save as PDF": ruled tables are read from the page geometry
(`find_tables`: cell boxes from the drawn grid), so each table row keeps its cell boundaries and
blank cells, and a merged cell appears once. Text outside tables becomes paragraphs in reading
order (wrapped lines joined); page numbers/footers are dropped; rows cut by a page break are
re-joined and a repeated header dropped (`_layout.LineBuilder`). Unruled text tables are split on
wide gaps and aligned on column x-positions.

Bad files: `encrypted_pdf` (needs a password), `corrupt_pdf`, `truncated_file`,
`scanned_pdf_no_text` (images and no text layer: we do not OCR and never guess),
`pdf_font_unmapped` (glyphs without a Unicode mapping), `file_too_large`, `time_limit`.
"""
from __future__ import annotations

import io
import logging

from ..document import ConversionError, Document
from . import _guard
from ._layout import LineBuilder, TableBlock, TableRow, emit_page, join_cell_lines

for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

MIN_CHARS_PER_PAGE = 10  # fewer real characters than this: the page has no usable text layer
SCAN_CHARS = 40  # a page mostly covered by an image with fewer characters is a scan (CMS stamps aside)


def to_document(data: bytes, url: str, content_type: str | None = None) -> Document:
    _guard.check_size(data, "PDF")
    deadline = _guard.Deadline(what="PDF")
    return _guard.limited(deadline, _convert, data, deadline)


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    try:
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError:  # older pdfplumber
        PdfminerException = ()  # type: ignore[assignment]
    truncated = b"%%EOF" not in data[-2048:]
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages  # forces the page tree to be read
    except Exception as exc:  # pdfminer raises many types; map them to record problem codes
        root = exc.__cause__ or exc.__context__ or exc
        for e in (exc, root, *(getattr(exc, "args", ()) or ())):
            if isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(e).lower() \
                    or "encrypt" in type(e).__name__.lower():
                raise ConversionError("encrypted_pdf", f"the PDF is encrypted and needs a password ({type(e).__name__})") from None
        if truncated:
            raise ConversionError("truncated_file", f"the PDF ends early (no %%EOF) and cannot be read: {exc}") from None
        raise ConversionError("corrupt_pdf", f"the PDF cannot be parsed: {type(exc).__name__}: {exc}") from None
    _ = PdfminerException
    if not pages:
        code = "truncated_file" if truncated else "corrupt_pdf"
        raise ConversionError(code, "the PDF has no readable pages")
    return pdf, pages, truncated


def _convert(data: bytes, deadline: _guard.Deadline) -> Document:
    pdf, pages, truncated = _open(data)
    problems: list[dict] = []
    if truncated:
        problems.append({"code": "pdf_missing_eof", "severity": "warning",
                         "detail": "the PDF has no %%EOF marker (possibly a truncated download); its pages were read"})
    if len(pages) > _guard.MAX_PAGES:
        problems.append({"code": "pages_truncated", "severity": "warning",
                         "detail": f"{len(pages)} pages; only the first {_guard.MAX_PAGES} were read"})
        pages = pages[:_guard.MAX_PAGES]
    builder = LineBuilder()
    scanned: list[int] = []
    broken: list[int] = []
    total_chars = cid_chars = 0
    try:
        for number, page in enumerate(pages, 1):
            deadline.check(f"page {number}")
            try:
                n, cid, has_images = _read_page(page, builder)
            except ConversionError:
                raise
            except Exception as exc:
                broken.append(number)
                problems.append({"code": "pdf_page_unreadable", "severity": "warning",
                                 "detail": f"page {number}: {type(exc).__name__}: {exc}"[:300]})
                continue
            finally:
                page.close()
            total_chars += n
            cid_chars += cid
            if n < MIN_CHARS_PER_PAGE and has_images or n < SCAN_CHARS and has_images == "covered":
                scanned.append(number)
            builder.page_break()
    finally:
        pdf.close()
    if scanned and len(scanned) == len(pages) - len(broken) and total_chars - cid_chars < SCAN_CHARS * len(pages):
        raise ConversionError("scanned_pdf_no_text",
                              f"all {len(scanned)} page(s) are scanned images ({total_chars} characters of text "
                              "in all, e.g. a portal stamp); the report needs OCR")
    if total_chars - cid_chars < MIN_CHARS_PER_PAGE:
        if cid_chars:
            raise ConversionError("pdf_font_unmapped", "the PDF's fonts have no Unicode mapping; its text cannot be read without OCR")
        if scanned:
            raise ConversionError("scanned_pdf_no_text",
                                  f"{len(pages)} page(s) are images with no text layer; the report needs OCR")
        if broken and len(broken) == len(pages):
            raise ConversionError("corrupt_pdf", "no page of the PDF could be read")
        raise ConversionError("pdf_no_text", "the PDF has no text layer and no page images")
    if cid_chars > 0.3 * total_chars:
        raise ConversionError("pdf_font_unmapped",
                              f"{cid_chars} of {total_chars} characters have no Unicode mapping; the text is not readable")
    if scanned:
        problems.append({"code": "scanned_pages", "severity": "warning",
                         "detail": f"page(s) {', '.join(map(str, scanned))} are images with no text layer (not read)"})
    if cid_chars:
        problems.append({"code": "pdf_font_unmapped", "severity": "warning",
                         "detail": f"{cid_chars} characters without a Unicode mapping were dropped"})
    return Document(lines=builder.finish(), document_type="pdf", problems=problems)


def _read_page(page, builder: LineBuilder) -> tuple[int, int, bool | str]:
    """Emit one page into the builder; returns (characters, unmapped characters, images), images
    being "covered" when images cover most of the page, else whether there are any."""
    chars = page.chars
    keys = {(c["text"], round(c["x0"]), round(c["top"])) for c in chars}
    if len(keys) < len(chars):  # glyphs drawn twice (WPS fake bold, shadow text)
        page = page.dedupe_chars()
        chars = page.chars
    cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
    real = [c for c in chars if not c["text"].startswith("(cid:")]
    images = page.images
    covered = sum(max(i["x1"] - i["x0"], 0) * max(i["bottom"] - i["top"], 0) for i in images)
    has_images: bool | str = "covered" if covered > 0.5 * page.width * page.height else bool(images)
    if not real:
        return 0, cid, has_images
    tables = page.find_tables() if (page.lines or page.rects or page.curves) else []
    blocks = [(_table_block(t), t.bbox) for t in tables]
    blocks = [(b, box) for b, box in blocks if b.rows]

    def inside(c) -> bool:
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        return any(box[0] <= cx <= box[2] and box[1] <= cy <= box[3] for _, box in blocks)

    free = [c for c in real if not inside(c)]
    slanted = [c for c in free if not c.get("upright", True)]
    if slanted and len(slanted) < 0.2 * len(free):  # a rotated watermark or stamp text, not content
        free = [c for c in free if c.get("upright", True)]
    free = [(c["x0"], c["x1"], c["top"], c["bottom"], c["text"]) for c in free]
    emit_page(builder, free, blocks, page.height)
    return len(real), cid, has_images


def _table_block(table) -> TableBlock:
    rows = []
    texts = table.extract()
    for row, cells_text in zip(table.rows, texts):
        cells = []
        for box, text in zip(row.cells, cells_text):
            if box is None:
                continue  # covered by a merged cell: the merged cell appears once
            cells.append((box[0], box[2], join_cell_lines(text)))
        if cells:
            tops = [b[1] for b in row.cells if b]
            bottoms = [b[3] for b in row.cells if b]
            rows.append(TableRow(cells, min(tops), max(bottoms)))
    return TableBlock(rows, table.bbox[1], table.bbox[3])
