"""Bytes → Document: sniff the real type, then call that format's converter.

Each format lives in `crawler/parsing/formats/<kind>.py` and exposes
`to_document(data: bytes, url: str, content_type: str | None) -> Document`, raising
`ConversionError(code, detail)` when the file cannot be read.
"""
from __future__ import annotations

import importlib
import io
import zipfile

from .document import ConversionError, Document
from .sniff import extension_hint, sniff_type

# sniffed kind -> converter module
_MODULES = {
    "html": "html", "mht": "mht", "text": "text", "pdf": "pdf", "docx": "docx",
    "doc": "legacy", "wps": "legacy", "rtf": "legacy", "ofd": "ofd",
}


def to_document(data: bytes, url: str, content_type: str | None = None) -> Document:
    kind = sniff_type(data, url, content_type)
    if kind == "empty":
        raise ConversionError("empty_document", "the document has no content (0 bytes or only whitespace)")
    if kind == "binary":
        raise ConversionError("unreadable_binary", "the bytes are neither text, HTML nor a known document format")
    if kind in ("image",):
        raise ConversionError("image_only", "the document is an image; the report needs OCR")
    if kind == "zip" and (extension_hint(url) in ("docx", "wps", "ofd") or not zipfile.is_zipfile(io.BytesIO(data))):
        # a damaged DOCX/OFD container (or one holding neither) is a corrupt document, not "a zip file"
        raise ConversionError("corrupt_file", "the file is a ZIP container (as DOCX/OFD are) that cannot be opened "
                                              "or holds no Word/OFD document")
    if kind in ("xls", "xlsx", "zip"):
        raise ConversionError("unsupported_type", f"{kind} files are not report documents this parser reads")
    module_name = _MODULES.get(kind)
    try:
        module = importlib.import_module(f"{__package__}.formats.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith(f"formats.{module_name}"):
            raise ConversionError("unsupported_type", f"{kind} documents are not supported yet") from None
        raise ConversionError("converter_unavailable", f"{kind} converter cannot load: {exc}") from None
    doc = module.to_document(data, url, content_type)
    ext = extension_hint(url)
    if ext and ext != doc.document_type and ext in ("pdf", "doc", "docx", "wps", "ofd") and kind != ext:
        doc.problems.append({"code": "extension_mismatch", "severity": "warning",
                             "detail": f"URL says .{ext} but the bytes are {kind}"})
    return doc
