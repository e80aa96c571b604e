"""DOC / WPS / RTF → Document: LibreOffice headless converts to DOCX, then the DOCX path reads it.

Kingsoft WPS Writer `.wps` files are OLE2 compound files like Word 97 `.doc`; LibreOffice reads
both (and RTF). The conversion runs in its own process group with a private profile
(`-env:UserInstallation`, one per process, conversions serialised by a lock) and a timeout from the
document's deadline. Fallback for `.doc` when LibreOffice is missing or fails: antiword (text, with
`|`-separated table rows). With neither installed: `converter_missing`, naming both.

`document_type` is what was read: "wps" for an OLE2 file behind a .wps link, "doc" otherwise,
"doc" for RTF too (record.md's document types have no "rtf"; a warning `rtf_document` says it
was RTF). (A .wps/.doc link that serves DOCX, PDF or HTML never reaches this module: the
sniffer routes it by its bytes.)
"""
from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from ..document import ConversionError, Document, Line
from ..sniff import extension_hint
from . import _guard
from . import docx as docx_format

SOFFICE_TIMEOUT = 120.0  # seconds; the first run also creates the private profile
_LOCK = threading.Lock()
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-le")


def to_document(data: bytes, url: str, content_type: str | None = None) -> Document:
    _guard.check_size(data, "DOC/WPS")
    kind = _kind(data, url)
    if data.startswith(_OLE) and _utf16("EncryptedPackage") in data:
        raise ConversionError("encrypted_document", "the file is a password-protected Office document")
    deadline = _guard.Deadline(seconds=max(_guard.TIME_LIMIT, SOFFICE_TIMEOUT), what=kind.upper())
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword") if kind != "rtf" else None
    if not soffice and not antiword:
        raise ConversionError("converter_missing",
                              f"no converter for {kind.upper()} files: LibreOffice (soffice) is not installed"
                              + ("" if kind == "rtf" else " and antiword is not installed either"))
    defect = _container_defect(data, kind)
    if _beyond_repair(defect, data):
        raise defect
    failure = None
    if soffice:
        try:
            converted = _soffice_to_docx(soffice, data, kind, deadline)
            doc = docx_format.to_document(converted, url, document_type="doc" if kind == "rtf" else kind)
            if kind == "rtf":
                doc.problems.append({"code": "rtf_document", "severity": "warning",
                                     "detail": "the file is RTF; read through LibreOffice like a Word document"})
            return doc
        except ConversionError as exc:
            if exc.code in ("time_limit",) and not antiword:
                raise
            failure = exc
    if antiword:
        try:
            doc = _antiword(antiword, data, kind, deadline)
        except ConversionError:
            if defect is not None:
                raise defect from None  # olefile said why before either converter tried
            raise
        if failure is not None:
            doc.problems.append({"code": "converter_fallback", "severity": "warning",
                                 "detail": f"LibreOffice failed ({failure.code}: {failure.detail}); read with antiword"})
        elif not soffice:
            doc.problems.append({"code": "converter_fallback", "severity": "warning",
                                 "detail": "LibreOffice (soffice) is not installed; read with antiword (tables less exact)"})
        return doc
    raise defect if defect is not None else _explain(failure, data, kind)


SMALLEST_WORD_FILE = 4096  # an OLE2 header, its FAT and directory sectors and a text stream


def _container_defect(data: bytes, kind: str) -> ConversionError | None:
    """What olefile finds wrong with an OLE2 file (Word 97, Kingsoft WPS), or None: unreadable
    sector tables or directory (`corrupt_file`, `truncated_file` when it ends mid-sector), or no
    stream with content. RTF and non-OLE bytes are left to the converter."""
    if not data.startswith(_OLE):
        return None
    import olefile
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:  # bytes under 1536 would be taken as a path
            has_content = any(ole.get_size(path) > 0 for path in ole.listdir(streams=True, storages=False))
    except Exception as exc:  # noqa: BLE001 - olefile raises OSError, struct/index errors on bad tables
        return _explain(ConversionError("conversion_failed", f"not a readable OLE2 file: {exc}"[:300]), data, kind,
                        unreadable=True)
    if not has_content:
        return ConversionError("corrupt_file", f"the {kind.upper()} file is an OLE2 container with no content")
    return None


def _beyond_repair(defect: ConversionError | None, data: bytes) -> bool:
    """A defect no converter gets past, so LibreOffice (about a second of CPU) is not started: a
    file cut mid-sector, a container with no content, or one too small to hold a document. A larger
    file olefile cannot read still goes to LibreOffice, which is more lenient; if that fails too,
    olefile's diagnosis is the answer."""
    return defect is not None and (defect.code == "truncated_file" or "no content" in defect.detail
                                   or len(data) < SMALLEST_WORD_FILE)


def _explain(exc: ConversionError, data: bytes, kind: str, unreadable: bool = False) -> ConversionError:
    """A failed conversion of an OLE2 file that ends mid-sector is a cut download."""
    if exc.code == "conversion_failed" and data.startswith(_OLE) and len(data) % 512 != 0:
        return ConversionError("truncated_file", f"the {kind.upper()} file ends mid-sector ({len(data)} bytes) "
                               f"and cannot be converted: {exc.detail}")
    if unreadable:
        return ConversionError("corrupt_file", f"the {kind.upper()} file is damaged: {exc.detail}")
    return exc


def _kind(data: bytes, url: str) -> str:
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    return "wps" if extension_hint(url) == "wps" else "doc"


def _profile_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"govreports-lo-{os.getuid()}-{os.getpid()}"


def _soffice_to_docx(exe: str, data: bytes, kind: str, deadline: _guard.Deadline) -> bytes:
    suffix = "rtf" if kind == "rtf" else "doc"  # LibreOffice detects a Kingsoft .wps by content
    with _LOCK, tempfile.TemporaryDirectory(prefix="govreports-conv-") as tmp:
        src = Path(tmp, f"input.{suffix}")
        src.write_bytes(data)
        out_dir = Path(tmp, "out")
        out_dir.mkdir()
        env = dict(os.environ, HOME=tmp)
        args = [exe, f"-env:UserInstallation={_profile_dir().as_uri()}", "--headless", "--norestore",
                "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
                "--outdir", str(out_dir), str(src)]
        timeout = min(SOFFICE_TIMEOUT, deadline.remaining())
        proc = _guard.run_tool(args, timeout=timeout, cwd=tmp, env=env)
        out = out_dir / "input.docx"
        if not out.exists() or out.stat().st_size == 0:
            err = (proc.stderr or b"").decode("utf-8", "replace").strip()[-300:]
            raise ConversionError("conversion_failed",
                                  f"LibreOffice could not convert the {kind.upper()} file (exit {proc.returncode}) {err}".strip())
        return out.read_bytes()


def _antiword(exe: str, data: bytes, kind: str, deadline: _guard.Deadline) -> Document:
    with tempfile.TemporaryDirectory(prefix="govreports-aw-") as tmp:
        src = Path(tmp, "input.doc")
        src.write_bytes(data)
        proc = _guard.run_tool([exe, "-m", "UTF-8.txt", "-w", "0", str(src)],
                               timeout=min(60.0, deadline.remaining()), cwd=tmp)
    text = (proc.stdout or b"").decode("utf-8", "replace")
    if proc.returncode != 0 or not text.strip():
        err = (proc.stderr or b"").decode("utf-8", "replace").strip()[-300:]
        code = "encrypted_document" if "encrypt" in err.lower() else "conversion_failed"
        raise _explain(ConversionError(code, f"antiword could not read the {kind.upper()} file: {err}"), data, kind)
    return Document(lines=antiword_lines(text), document_type=kind)


def antiword_lines(text: str) -> list[Line]:
    """antiword text → Lines: `|a |b |` table lines become rows (blank cells kept), the rest paragraphs."""
    lines: list[Line] = []
    for raw in text.splitlines():
        s = raw.strip()
        if not s:
            continue
        if s.startswith("|") and s.endswith("|") and len(s) > 1:
            cells = [c.strip() for c in s[1:-1].split("|")]
            if any(cells):
                lines.append(Line(cells, is_row=True))
        else:
            lines.append(Line([re.sub(r"\s+", " ", s) if not re.search(r"[\u4e00-\u9fff]", s) else s]))
    return lines
