"""Decide what a document is from its bytes, never from the extension or Content-Type alone."""
from __future__ import annotations

import re
import zipfile
import io

_EXT = re.compile(r"\.(html?|shtml|jhtml|txt|pdf|docx|doc|wps|ofd|xlsx?|rtf|jpe?g|png|gif|zip|rar)(?:$|[?#])", re.I)
_QUERY_EXT = re.compile(r"[?&](?:filename|file|name|fileName)=[^&#]*\.(pdf|docx|doc|wps|ofd|xlsx?|rtf)(?:$|[&#])", re.I)


def extension_hint(url: str | None) -> str | None:
    """Extension named by the URL path or by a filename= style query parameter (Hanweb downfile.jsp)."""
    if not url:
        return None
    m = _QUERY_EXT.search(url)
    if m:
        return m.group(1).lower()
    path = url.split("?", 1)[0].split("#", 1)[0]
    m = _EXT.search(path)
    return m.group(1).lower() if m else None


def sniff_type(data: bytes, url: str | None = None, content_type: str | None = None) -> str:
    """Return html | mht | text | pdf | docx | doc | wps | ofd | xls | xlsx | image | zip | empty | binary."""
    head = data[:2048]
    if not data.strip():
        return "empty"
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = z.namelist()
        except Exception:
            # A cut download loses the central directory; the local headers still name the parts,
            # so the format's own converter can say "truncated_file".
            if b"word/document.xml" in data or (b"[Content_Types].xml" in data and b"word/" in data):
                return "docx"
            if b"OFD.xml" in data[:65536] or b"Doc_0/" in data[:65536]:
                return "ofd"
            return "zip"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
            return "ofd"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2 compound file (doc, wps, xls)
        ext = extension_hint(url)
        # Stream names live in directory sectors anywhere in the file: search all of it.
        word = b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data
        book = b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data or b"B\x00o\x00o\x00k\x00\x00\x00" in data
        if word:
            return "wps" if ext == "wps" else "doc"  # Kingsoft .wps is Word-97-compatible OLE2
        if book:
            return "xls"
        if ext in ("wps", "doc", "xls"):
            return ext  # e.g. an encrypted package: the converter says what it is
        return "doc"
    if head[:3] in (b"\xff\xd8\xff",) or head.startswith(b"\x89PNG") or head[:4] in (b"GIF8",):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    low = head.lower()
    if re.match(rb"\s*mime-version:", low) or (b"multipart/related" in low and b"content-type:" in low):
        return "mht"  # Word/IE "web archive" (.mht), often served behind a .doc link
    if re.search(rb"<(?:!doctype\s+html|html|head|body|meta|div|table|p|title|script)\b", low):
        return "html"
    # Text if it decodes and has few control characters.
    sample = data[:8192]
    ctrl = sum(1 for b in sample if b < 9 or (13 < b < 32))
    if ctrl > len(sample) * 0.05:
        return "binary"
    return "text"
