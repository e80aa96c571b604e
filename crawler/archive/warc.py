"""WARC files of what the crawl fetched (warcio, the web-archiving world's library).

`ArchiveWriter` appends request + response (+ metadata) records to gzip WARC files under one
directory, rotated by size. Each response's WARC-Payload-Digest is ``sha256:<base32>`` of the
payload bytes (the body after HTTP content decoding, which is what the parser reads), so a
record's evidence (`payload_sha256`, hex) and the archive name the same digest.

`read_payloads` reads a directory of WARC files back: record id → (file, type, uri, payload, headers).
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DOCUMENT_META_TYPE = "application/vnd.govreports.document+json"   # a fetched document's item fields
REQUEST_META_TYPE = "application/vnd.govreports.request-meta+json"  # the request's small meta
# headers that describe the wire bytes, not the decoded payload we store
_WIRE_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def warc_digest(hex_digest: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_digest)).decode("ascii")


@dataclass(frozen=True)
class Ref:
    """Where one payload lives: WARC file name (relative to the archive dir), record id, digest."""
    url: str
    warc_file: str
    warc_record_id: str
    payload_sha256: str

    def evidence(self, role: str) -> dict:
        return {"role": role, "url": self.url, "warc_file": self.warc_file,
                "warc_record_id": self.warc_record_id, "payload_sha256": self.payload_sha256}


ROLES = ("page", "document", "list")


def record_evidence(refs: list[dict] | None, url: str | None, document_url: str | None) -> dict | None:
    """record.md's `evidence` from the archive's references (role document/page/list, as the
    archive notes them): ``{"page": ref, "document": ref, "list": ref}`` with ref = ``{"warc",
    "record_id", "sha256", "url"}`` or None. For an HTML report page the parsed bytes are the
    page itself (`document` None); for an attachment, `document` is the file and `page` the
    report page that linked it; `list` is the list page it was found on. None: archiving off."""
    if refs is None:
        return None
    by_role = {e["role"]: e for e in refs}
    if document_url in (None, url) and "page" not in by_role:  # the record is the page itself
        by_role["page"] = by_role.pop("document", None)
    return {role: (None if e is None else {"warc": e["warc_file"], "record_id": e["warc_record_id"],
                                           "sha256": e["payload_sha256"], "url": e["url"]})
            for role in ROLES for e in [by_role.get(role)]}


def evidence_refs(evidence: dict | None) -> list[tuple[str, dict]]:
    """(role, ref) of every piece of a record's evidence (what `verify` checks)."""
    return [(role, ref) for role, ref in (evidence or {}).items() if ref]


def http_header_list(headers) -> list[tuple[str, str]]:
    """Scrapy Headers → [(name, value)] as latin-1 text, every value of a repeated header kept."""
    out = []
    for name, values in headers.items():
        for value in values:
            out.append((name.decode("latin-1"), value.decode("latin-1")))
    return out


def payload_headers(headers: list[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    """Response headers for a stored decoded payload: wire encodings kept as X-Archive-Orig-*."""
    out = []
    for name, value in headers:
        if name.lower() in _WIRE_HEADERS:
            out.append(("X-Archive-Orig-" + name, value))
        else:
            out.append((name, value))
    out.append(("Content-Length", str(length)))
    return out


class ArchiveWriter:
    """Appends records to ``<dir>/<prefix>-<n>.warc.gz``; a new file once one passes `max_bytes`."""

    def __init__(self, directory: str | os.PathLike, max_bytes: int, prefix: str | None = None):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.prefix = prefix or "govreports-{}-{}".format(time.strftime("%Y%m%dT%H%M%S", time.gmtime()), os.getpid())
        self.seq = 0
        self.file = None
        self.name = ""
        self.writer: WARCWriter | None = None
        self.files: list[str] = []

    def _open(self) -> None:
        self.seq += 1
        self.name = f"{self.prefix}-{self.seq:05d}.warc.gz"
        self.file = open(self.dir / self.name, "wb")
        self.files.append(self.name)
        self.writer = WARCWriter(self.file, gzip=True)
        info = self.writer.create_warcinfo_record(self.name, {"software": "govreports-crawler",
                                                              "format": "WARC File Format 1.1"})
        self.writer.write_record(info)

    def _ready(self) -> WARCWriter:
        if self.writer is None or self.file.tell() >= self.max_bytes:
            self.close()
            self._open()
        return self.writer

    def write_exchange(self, url: str, *, method: str, request_headers, request_body: bytes,
                       status: int, reason: str, protocol: str, response_headers, body: bytes,
                       meta: dict) -> Ref:
        """Request, response and request-meta records for one fetch; returns the response's Ref."""
        writer = self._ready()
        digest = sha256_hex(body)
        resp = writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body),
            warc_headers_dict={"WARC-Payload-Digest": warc_digest(digest)},
            http_headers=StatusAndHeaders(f"{status} {reason}".strip(), payload_headers(response_headers, len(body)),
                                          protocol=protocol or "HTTP/1.1"))
        resp_id = resp.rec_headers.get_header("WARC-Record-ID")
        path = _request_path(url)
        req = writer.create_warc_record(
            url, "request", payload=BytesIO(request_body), length=len(request_body),
            warc_headers_dict={"WARC-Concurrent-To": resp_id},
            http_headers=StatusAndHeaders(f"{method} {path} HTTP/1.1", request_headers, is_http_request=True))
        writer.write_record(resp)
        writer.write_record(req)
        self._write_json(writer, url, "metadata", REQUEST_META_TYPE, meta, {"WARC-Concurrent-To": resp_id})
        self.file.flush()
        return Ref(url, self.name, resp_id, digest)

    def write_conversion(self, url: str, body: bytes, refers_to: str | None, content_type: str | None) -> Ref:
        """The bytes the parser read when they are not a stored response (a page the spider rebuilt)."""
        writer = self._ready()
        digest = sha256_hex(body)
        headers = {"WARC-Payload-Digest": warc_digest(digest), "WARC-Block-Digest": warc_digest(digest)}
        if refers_to:
            headers["WARC-Refers-To"] = refers_to
        rec = writer.create_warc_record(url, "conversion" if refers_to else "resource", payload=BytesIO(body),
                                        length=len(body), warc_content_type=content_type or "application/octet-stream",
                                        warc_headers_dict=headers)
        writer.write_record(rec)
        self.file.flush()
        return Ref(url, self.name, rec.rec_headers.get_header("WARC-Record-ID"), digest)

    def write_document(self, url: str, fields: dict, refers_to: str | None) -> None:
        """The item fields of one document (everything but the body) for an offline re-parse."""
        writer = self._ready()
        self._write_json(writer, url, "metadata", DOCUMENT_META_TYPE, fields,
                         {"WARC-Refers-To": refers_to} if refers_to else {})
        self.file.flush()

    @staticmethod
    def _write_json(writer, url, rec_type, content_type, data, headers) -> None:
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        rec = writer.create_warc_record(url, rec_type, payload=BytesIO(payload), length=len(payload),
                                        warc_content_type=content_type, warc_headers_dict=headers)
        writer.write_record(rec)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        self.file = None
        self.writer = None


def _request_path(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


@dataclass
class StoredRecord:
    warc_file: str
    record_id: str
    rec_type: str
    uri: str
    content_type: str
    payload: bytes
    headers: dict


def warc_files(directory: str | os.PathLike) -> list[Path]:
    root = Path(directory)
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.name.endswith((".warc", ".warc.gz")))


def iter_records(path: Path) -> Iterator[StoredRecord]:
    """Every record of one WARC file, payload read whole (HTTP headers parsed off responses)."""
    name = path.name  # unique (run start, pid, number): a parent of several archives works too
    with open(path, "rb") as f:
        for rec in ArchiveIterator(f):
            payload = rec.content_stream().read()
            h = rec.rec_headers
            yield StoredRecord(name, h.get_header("WARC-Record-ID") or "", rec.rec_type,
                               h.get_header("WARC-Target-URI") or "", h.get_header("Content-Type") or "",
                               payload, dict(h.headers))



def truncated(path: Path) -> bool:
    """True when a .warc.gz ends inside a gzip member (a crawl killed while writing)."""
    return cut_at(path) is not None


def cut_at(path: Path) -> int | None:
    """Where the gzip member the file ends inside starts (a crawl killed while writing it), or None
    when the file ends on a member boundary. Records at or after this offset are incomplete:
    depending on where the cut falls, warcio either stops silently before that record or hands
    back its first part as if whole."""
    inflater, fed, start, read = zlib.decompressobj(wbits=31), False, 0, 0
    with open(path, "rb") as f:
        if f.read(2) != b"\x1f\x8b":  # not gzip (warcio reads plain WARC whatever the name)
            return None
        f.seek(0)
        while chunk := f.read(1 << 20):
            read += len(chunk)
            while chunk:
                fed = True
                inflater.decompress(chunk)
                if not inflater.eof:
                    break
                chunk = inflater.unused_data  # the next member starts here
                start = read - len(chunk)
                inflater, fed = zlib.decompressobj(wbits=31), False
    return start if fed else None
