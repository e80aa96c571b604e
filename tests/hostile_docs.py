"""Hostile attachments for the resource-limit tests and benchmarks/memory_bench.py.

- `zip_bomb_docx`: a valid DOCX whose word/document.xml is ~`xml_mb` MB of repeated paragraphs
  (it deflates ~1000:1); the member's compressed size is padded so the ratio check of
  formats/_guard.py passes (sizes and CRC are otherwise honest), so python-docx really parses it;
- `huge_pdf`: a PDF header followed by `mb` MB of stream bytes.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from tests.crash_site import docx_bytes, report_text

_PARA = b'<w:p><w:r><w:t xml:space="preserve">' + "一、总体情况 本年度共主动公开政府信息".encode() * 4 + b"</w:t></w:r></w:p>"


def zip_bomb_docx(xml_mb: int = 95) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx_bytes(report_text(7))))
    xml = src.read("word/document.xml")
    head, tail = xml.split(b"<w:body>", 1)
    body = _PARA * (xml_mb * 1024 * 1024 // len(_PARA))
    big = head + b"<w:body>" + body + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info.filename))
    members = out.getvalue()
    return _append_padded_member(members, "word/document.xml", big, ratio=150)


def _append_padded_member(archive: bytes, name: str, data: bytes, ratio: int) -> bytes:
    """Re-write `archive` with one more deflated member whose stored size is padded to
    len(data)/ratio bytes (the deflate stream ends early; the rest is zeros)."""
    z = zipfile.ZipFile(io.BytesIO(archive))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = comp.compress(data) + comp.flush()
    stored = max(len(stream), len(data) // ratio)
    payload = stream + b"\0" * (stored - len(stream))
    crc = zlib.crc32(data)
    out = io.BytesIO()
    central = []
    for info in z.infolist():
        raw = z.read(info.filename)
        central.append(_entry(out, info.filename.encode(), raw, 0, zlib.crc32(raw), len(raw), len(raw)))
    central.append(_entry(out, name.encode(), payload, 8, crc, len(payload), len(data)))
    cd_start = out.tell()
    for offset, fname, method, crc_, csize, usize in central:
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc_, csize, usize,
                              len(fname), 0, 0, 0, 0, 0, offset) + fname)
    cd_size = out.tell() - cd_start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size, cd_start, 0))
    return out.getvalue()


def _entry(out, fname: bytes, payload: bytes, method: int, crc: int, csize: int, usize: int):
    offset = out.tell()
    out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, csize, usize, len(fname), 0) + fname)
    out.write(payload)
    return offset, fname, method, crc, csize, usize


def huge_pdf(mb: int = 200) -> bytes:
    head = b"%PDF-1.4\n1 0 obj\n<< /Length " + str(mb * 1024 * 1024).encode() + b" >>\nstream\n"
    return head + b"0" * (mb * 1024 * 1024) + b"\nendstream\nendobj\n%%EOF\n"
