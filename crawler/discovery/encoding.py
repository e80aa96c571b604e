"""Decode portal pages (docs/portals.md §e).

Scrapy 2.19 lets a declared `<meta charset>` win, so a UTF-8 page that claims gbk (or a GBK page
that claims utf-8) turns into mojibake. `best_encoding` looks at the bytes: a body that decodes as
strict UTF-8 and has non-ASCII bytes is UTF-8 whatever the labels say; otherwise the declared
charsets are tried strictly (GB2312/GBK are read as GB18030, their superset) and GB18030 is the
fallback for charset-less Chinese pages.
"""
from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_SINGLE_BYTE_DEFAULTS = {"iso8859-1", "latin-1", "cp1252", "ascii", "us-ascii"}
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "csgb2312", "euc-cn", "hz-gb-2312"}


def normalise_charset(name: str | None) -> str | None:
    if not name:
        return None
    n = name.strip().strip("'\"").lower()
    if n in _GB:
        return "gb18030"
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


def header_charset(content_type: str | bytes | None) -> str | None:
    if not content_type:
        return None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    m = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.I)
    return normalise_charset(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return normalise_charset(m.group(1).decode("ascii", "ignore")) if m else None


def _strict(body: bytes, enc: str) -> bool:
    try:
        body.decode(enc)
        return True
    except UnicodeDecodeError as e:  # a sample cut inside the last character is still fine
        return e.start >= len(body) - 4 and e.reason.startswith("unexpected end")
    except LookupError:
        return False


def best_encoding(body: bytes, content_type: str | bytes | None = None) -> str:
    """The encoding to read `body` with. Never raises."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = body[:200_000]
    if not sample.isascii() and _strict(sample, "utf-8"):
        return "utf-8"
    for enc in (header_charset(content_type), meta_charset(body)):
        # a Latin-1 label decodes anything: on a page with high bytes it is a server default, not a fact
        if enc and enc != "utf-8" and enc not in _SINGLE_BYTE_DEFAULTS and _strict(sample, enc):
            return enc
    if sample.isascii():
        return header_charset(content_type) or meta_charset(body) or "utf-8"
    return "gb18030"


def looks_mojibake(text: str) -> bool:
    """Typical marks of a wrong decode: replacement chars or Latin-1 runs in a Chinese page."""
    if not text:
        return False
    bad = text.count("\ufffd")
    latin = len(re.findall(r"[\u0080-\u00ff]", text))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return bad > 3 or (latin > 10 and latin > cjk)
