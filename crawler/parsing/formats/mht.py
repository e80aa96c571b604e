"""MHT ("web archive", MIME multipart/related) → Document through the HTML converter.

Word's "save as web page, single file" produces it, and portals serve it behind .doc links.
"""
from __future__ import annotations

import email
from email import policy

from ..document import ConversionError, Document
from . import html


def to_document(data: bytes, url: str, content_type: str | None = None) -> Document:
    try:
        msg = email.message_from_bytes(data, policy=policy.compat32)
    except Exception as exc:  # the stdlib parser is lenient; this is a last resort
        raise ConversionError("corrupt_file", f"MHT archive cannot be read: {exc}") from None
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            doc = html.to_document(payload, url, f"text/html; charset={charset}" if charset else "text/html")
            doc.problems.append({"code": "mht_archive", "severity": "warning",
                                 "detail": "read the HTML part of an MHT web archive"})
            return doc
    raise ConversionError("corrupt_file", "MHT archive has no text/html part")
