"""Plain text (extracted from pages, PDF or Word) → Document.

Rows are recognised by their separators: tab-separated cells (Word/PDF copies), pipe-separated
cells (text dumps and markdown tables, with ragged empty cells). Everything else is a paragraph.
Page footers (`— 5 —`, `第5页`) and markdown separator lines are dropped so that they can never
be read as table values.
"""
from __future__ import annotations

import codecs
import re

from ..document import ConversionError, Document, Line

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_ONLY_PIPES = re.compile(r"^[|\s]*$")
FOOTER_RE = re.compile(
    r"^(?:[—–\-－~～_]+\s*\d{1,4}\s*[—–\-－~～_]+|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|-\s*\d{1,4}\s*-|[Pp]age\s*\d+(?:\s*of\s*\d+)?|共\s*\d+\s*页\s*第\s*\d+\s*页)$"
)


def decode_text(data: bytes, content_type: str | None = None) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(r"charset=([\w\-]+)", content_type or "", re.I)
    for enc in ([m.group(1)] if m else []) + ["gb18030"]:
        enc = "gb18030" if enc.lower().replace("-", "").replace("_", "") in ("gb2312", "gbk", "gb231280", "xgbk") else enc
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except Exception:
        pass
    return data.decode("utf-8", "replace")


def split_row(line: str) -> list[str] | None:
    """Cells of a tab- or pipe-separated line, or None for a paragraph."""
    if "\t" in line:
        return line.split("\t")
    s = line.strip()
    if "|" in s and (s.startswith("|") or s.endswith("|") or s.count("|") >= 2):
        parts = s.split("|")
        if s.startswith("|"):
            parts = parts[1:]
        return parts
    return None


_BARE_NUMBER = re.compile(r"^\d{1,3}$")


def _is_table_row(line: str | None) -> bool:
    cells = split_row(line) if line is not None else None
    return cells is not None and len(cells) >= 3 and any(c.strip() for c in cells)


def text_to_document(text: str, document_type: str = "text") -> Document:
    lines: list[Line] = []
    raws = [r for r in text.splitlines() if r.strip()]
    for i, raw in enumerate(raws):
        stripped = raw.strip()
        if _ONLY_PIPES.match(stripped) or _MD_SEPARATOR.match(stripped):
            continue
        if FOOTER_RE.match(stripped.replace("\xa0", " ")):
            continue
        if (_BARE_NUMBER.match(stripped) and i and _is_table_row(raws[i - 1])
                and _is_table_row(raws[i + 1] if i + 1 < len(raws) else None)):
            continue  # a bare page number between two rows of a pipe/tab table (a value would sit in a cell)
        cells = split_row(raw)
        if cells is None or sum(1 for c in cells if c.strip()) == 0:
            lines.append(Line([stripped]))
        elif sum(1 for c in cells if c.strip()) == 1 and len(stripped) > 80:
            # a prose paragraph that merely ends with a stray pipe
            lines.append(Line([next(c.strip() for c in cells if c.strip())]))
        else:
            lines.append(Line([c.strip() for c in cells], is_row=True))
    return Document(lines=lines, document_type=document_type)


def to_document(data: bytes, url: str, content_type: str | None = None) -> Document:
    text = decode_text(data, content_type)
    if "\x00" in text[:4096]:
        raise ConversionError("unreadable_binary", "text contains NUL bytes")
    return text_to_document(text, "text")
