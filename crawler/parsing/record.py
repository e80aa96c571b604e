"""Document → record (docs/record.md). `parse_document` never raises."""
from __future__ import annotations

import hashlib
import re
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import checks as chk
from .classify import blocked_reason, classify, soft_404
from .convert import to_document
from .document import ConversionError, Document, Line
from .labels import iso_date, scan_labels
from .metadata import (finalize_organ, index_no_of, index_no_shape, organ_from_contact, organ_from_title, organ_level,
                       signature, title_from, year_candidates)
from .normalize import compact, one_line
from .regions import table_regions
from .rows import is_prose, logical_rows
from .sections import choose_headings, section_spans, split_at_headings, strip_heading
from .sniff import sniff_type
from .spec import PARSER_VERSION, SECTIONS
from .tables import read_table2, read_table3, read_table4

_PARTIAL_CODES = {"merged_cell", "unparsed", "ambiguous_cells", "missing_cells", "extra_cells",
                  "table2_row_missing", "table3_row_missing", "table2_missing", "table3_missing", "table4_missing",
                  "table2_no_values", "table3_no_values", "table4_no_values"}
_TAIL_CHROME = re.compile(r"相关政策解读|相关解读|扫一扫在手机|打印本页|【打印】|\[打印\]|关闭窗口|【关闭】|上一篇|下一篇|相关链接|分享到|附件下载|相关附件")


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _problem(code, detail, severity="error"):
    return {"code": code, "severity": severity, "detail": detail}


def _base(url: str, document_type: str | None, fetched_at: str | None) -> dict:
    return {
        # record_id stays null here: identity needs the crawl (portal, other copies); the dedup
        # pipeline assigns it (crawler/dedup, crawler/identity.py)
        "record_id": None, "url": url, "document_url": url, "document_type": document_type, "portal": None,
        "title": None, "report_year": None, "organ": None, "organ_level": None, "index_no": None,
        "publisher": None, "written_date": None, "published_date": None,
        "sections": None, "table2": None, "table3": None, "table4": None,
        "checks": [], "problems": [], "status": None, "content_sha1": None,
        "parser_version": PARSER_VERSION, "fetched_at": fetched_at or _now(),
    }


_CONTRACT_TYPES = {"html", "pdf", "docx", "doc", "wps", "ofd", "text"}


def failed_record(url: str, code: str, detail: str, document_type: str | None = None,
                  fetched_at: str | None = None, data: bytes | None = None) -> dict:
    # record.md's document_type names what was read; other sniffed kinds (zip, image, xls, binary,
    # empty) go to `sniffed_type` so the contract field keeps its values
    rec = _base(url, document_type if document_type in _CONTRACT_TYPES else None, fetched_at)
    if document_type and document_type not in _CONTRACT_TYPES:
        rec["sniffed_type"] = document_type
    rec["status"] = "failed"
    rec["problems"] = [_problem(code, detail)]
    if data is not None:
        rec["content_sha1"] = hashlib.sha1(data).hexdigest()
    return rec


def parse_document(data: bytes | str | None, url: str, content_type: str | None = None, *,
                   fetched_at: str | None = None, link_text: str | None = None) -> dict:
    """Parse one fetched document (HTML page, text, or attachment) into a record. Never raises.

    `link_text`: the text of the link the crawler followed to this document (the spider's item
    field `link_text`), if any. It is only a hint: used for the title, and the organ and year the
    title carries, when the document itself prints no report title."""
    try:
        if data is None:
            data = b""
        if isinstance(data, str):
            data = data.encode("utf-8")
        kind = sniff_type(data, url, content_type)
        doc = to_document(data, url, content_type)
        if kind == "html":
            why = blocked_reason(data)
            # a challenge page has a signature and next to no text; a real page may carry a
            # <noscript>请开启JavaScript</noscript> hint and still be a report
            if why and len(compact(_text_of(doc.body_lines()))) < 300:
                return failed_record(url, "blocked_page", f"anti-bot or WAF page, not a document (signature '{why}')",
                                     "html", fetched_at, data)
        return build_record(doc, url, fetched_at, link_text=link_text)
    except ConversionError as exc:
        try:
            kind = sniff_type(data or b"", url, content_type)
        except Exception:
            kind = None
        return failed_record(url, exc.code, exc.detail, kind, fetched_at, data if isinstance(data, bytes) else None)
    except Exception as exc:  # never raise: say what failed and where
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno} in {tb[-1].name}" if tb else "?"
        return failed_record(url, "parser_error", f"{type(exc).__name__}: {exc} (at {where})", None, fetched_at)


def _without_heading(lines: list[Line], a: int, b: int, spans: dict) -> list[Line]:
    """Region lines with a section heading's own words removed (they name the table's topic)."""
    out = list(lines[a:b])
    for start, _end, heading in spans.values():
        if start == a and out and not out[0].is_row:
            rest = strip_heading(out[0].cells[0], heading)
            out[0] = Line([rest] if rest else [""], in_body=out[0].in_body)
    return out


_SIG_DATE = re.compile(r"^\s*(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$")


def _drop_signature(text: str) -> str:
    """Remove a trailing signature block (organ line + date line); it is metadata, not section text."""
    lines = text.rstrip().split("\n")
    if lines and _SIG_DATE.match(lines[-1]):
        lines.pop()
        if lines and len(lines[-1].strip()) <= 40 and re.search(r"(?:政府|办事处|办公室|局|委员会|中心)\s*$", lines[-1]):
            lines.pop()
    return "\n".join(lines)


def _near_body(all_lines: list[Line], before: int = 60, after: int = 15) -> list[Line]:
    """Page-chrome lines around the article: where metadata blocks (索引号 …) sit."""
    idx = [i for i, ln in enumerate(all_lines) if ln.in_body]
    if not idx:
        return []
    first, last = idx[0], idx[-1]
    return ([ln for ln in all_lines[max(0, first - before):first] if not ln.in_body]
            + [ln for ln in all_lines[last + 1:last + 1 + after] if not ln.in_body])


def _text_of(lines: list[Line]) -> str:
    out = []
    for ln in lines:
        out.append(" | ".join(c for c in ln.cells if c.strip()) if ln.is_row else (ln.cells[0] if ln.cells else ""))
    return "\n".join(t for t in out if t.strip())


# ------------------------------------------------------------------ stages
# build_record = tables → sections → metadata → checks → status; each stage is a function of the
# previous stages' outputs and can be called (and tested) alone.
@dataclass
class Layout:
    """The document cut into lines and section spans (input of every stage)."""
    doc: Document
    body: list[Line]  # body lines as converted
    lines: list[Line]  # body lines with inline headings split off
    chosen: list  # section headings chosen
    spans: dict  # section key -> (start, end, heading)
    body_compact: str


@dataclass
class TablesRead:
    results: dict  # table name -> TableResult or None
    consumed: set[int] = field(default_factory=set)  # line indexes used by a table
    problems: list[dict] = field(default_factory=list)

    def cells(self, name: str):
        res = self.results.get(name)
        return res.cells if res is not None else None


def layout_of(doc: Document) -> Layout:
    body = doc.body_lines()
    lines, cands = split_at_headings(body)
    chosen = choose_headings(cands)
    return Layout(doc, body, lines, chosen, section_spans(len(lines), chosen), compact(_text_of(lines)))


def read_tables(lay: Layout) -> TablesRead:
    """Stage 1: tables 2–4 in their section regions; a table not found is None with a problem."""
    out = TablesRead({})
    regions = table_regions(lay.lines, lay.spans)
    for tname, reader in (("table2", read_table2), ("table3", read_table3), ("table4", read_table4)):
        region = regions.get(tname)
        res = None
        if region is not None:
            a, b = region
            region_lines = _without_heading(lay.lines, a, b, lay.spans)
            res = reader(logical_rows(region_lines, a))
            if res.table is None:
                res2 = reader(logical_rows(region_lines, a, include_prose=True))
                if res2.table is not None:
                    res = res2
        if res is None or res.table is None:
            where = "its section" if region is not None else "the document (section heading not found either)"
            out.problems.append(_problem(f"{tname}_missing", f"{tname} not found in {where}: absent, an image, or stripped"))
            out.results[tname] = None
            continue
        out.results[tname] = res
        out.problems.extend(res.problems)
        out.consumed |= res.lines
    return out


_TABLE_OF_SECTION = {"proactive": "table2", "requests": "table3", "review_litigation": "table4"}


def read_sections(lay: Layout, tables: TablesRead) -> tuple[dict, list[dict]]:
    """Stage 2: the prose of the six sections (table lines and table debris left out)."""
    sections, problems = {}, []
    lines = lay.lines
    for sec in SECTIONS:
        span = lay.spans.get(sec.key)
        if span is None:
            sections[sec.key] = None
            problems.append(_problem(f"section_{sec.key}_missing", f"heading {sec.numeral}、{sec.label} not found", "warning"))
            continue
        start, end, heading = span
        parts = []
        first = lines[start]
        if not first.is_row:
            rest = strip_heading(first.cells[0], heading)
            if rest:
                parts.append(rest)
        table_found = tables.results.get(_TABLE_OF_SECTION.get(sec.key, "")) is not None
        for i in range(start + 1, end):
            if i in tables.consumed:
                continue
            ln = lines[i]
            if table_found and (ln.is_row or not is_prose(ln.cells[0])):
                continue  # header/caption fragments of the table, not prose
            parts.append(" | ".join(c.strip() for c in ln.cells if c.strip()) if ln.is_row else ln.cells[0])
        text = "\n".join(p for p in parts if p.strip())
        if sec.key == "other" or end == len(lines):
            m = _TAIL_CHROME.search(text)
            if m:
                text = text[:m.start()]
            text = _drop_signature(text)
        sections[sec.key] = text.strip() or None
        if sections[sec.key] is None and table_found:
            problems.append(_problem(f"section_{sec.key}_table_only",
                                     f"section {sec.numeral} has no text besides its table", "warning"))
        elif sections[sec.key] is None:
            problems.append(_problem(f"section_{sec.key}_empty", f"section {sec.numeral} has no text", "warning"))
    return sections, problems


# absent metadata is null with a problem saying where it was looked for (record.md)
_NOT_FOUND = {
    "index_no": "no 索引号 in the page's metadata block",
    "publisher": "no 发布机构/来源 in the page's metadata block",
    "written_date": "no 成文日期 label and no dated signature",
    "published_date": "no 发布日期 label or publication-date meta tag",
}


def read_metadata(lay: Layout, sections: dict, link_text: str | None = None) -> tuple[dict, list[dict], list, object]:
    """Stage 3: title, organ, 索引号, publisher, dates, report year.

    Returns (fields, problems, year candidates, title match). `link_text` is the text of the link
    the crawler followed to this document: a title (and organ) of last resort."""
    doc, lines, spans = lay.doc, lay.lines, lay.spans
    problems: list[dict] = []
    f: dict = {}
    first_heading = min((v[0] for v in spans.values()), default=min(len(lines), 40))
    labels = scan_labels(_near_body(doc.lines) + lines[:min(first_heading, 40)])
    chrome = [ln for ln in doc.lines if not ln.in_body]
    title, tmatch = title_from(lay.body, chrome, [doc.meta.get("ArticleTitle"), labels.get("title")],
                               [doc.title_hint], link_text)
    f["title"] = title
    if not title:
        problems.append(_problem("title_missing", "no report title in the page title, headings, first lines or link text", "warning"))
    sig_organ, sig_date = signature(lines)
    f["index_no"] = index_no_of(labels.get("index_no"))
    if f["index_no"]:
        f["index_no_shape"] = index_no_shape(f["index_no"])
    f["publisher"] = one_line(labels.get("publisher") or doc.meta.get("ContentSource")) or None
    f["written_date"] = iso_date(labels.get("written_date")) or sig_date
    f["published_date"] = iso_date(labels.get("published_date")) or iso_date(doc.meta.get("PubDate"))
    for key, why in _NOT_FOUND.items():
        if not f[key]:
            problems.append(_problem(f"{key}_missing", why, "warning"))
    organ, organ_source = organ_from_title(tmatch), "title"
    if not organ and sig_organ:
        organ, organ_source = finalize_organ(sig_organ), "signature"
    if not organ:
        organ, organ_source = organ_from_contact(lay.body_compact[:1500]), "contact_sentence"
    if not organ and f["publisher"] and organ_level(finalize_organ(f["publisher"])) in ("township", "county_government", "department"):
        organ, organ_source = finalize_organ(f["publisher"]), "publisher"
    f["organ"] = organ
    f["organ_level"] = organ_level(organ)
    if organ:
        f["organ_source"] = organ_source
    else:
        problems.append(_problem("organ_missing", "no issuing organ in the title, signature, contact sentence or 发布机构", "warning"))
    years = year_candidates(lay.body_compact, tmatch, sections.get("overview"), [f["published_date"], f["written_date"]])
    if years:
        f["report_year"] = years[0][1]
        f["report_year_evidence"] = years[0][0]
        distinct = sorted({y for _, y in years[:2] if _ != "date_minus_one"})
        if len(distinct) > 1:
            problems.append(_problem("year_conflict", "year candidates disagree: " + ", ".join(f"{s}={y}" for s, y in years), "warning"))
    else:
        problems.append(_problem("year_ambiguous", "no statistics period, title year, or dated signature gives the report year"))
    return f, problems, years, tmatch


def run_checks(rec: dict, tables: TablesRead, sections: dict, years: list) -> tuple[list[dict], list[dict]]:
    """Stage 4: the arithmetic identities and the softer checks; failed warnings become problems."""
    checks: list[dict] = []
    if tables.results.get("table2") is not None:
        checks += chk.table2_checks(rec["table2"], tables.cells("table2"), rec["organ_level"])
    if tables.results.get("table3") is not None:
        checks += chk.table3_checks(rec["table3"], tables.cells("table3"))
    if tables.results.get("table4") is not None:
        checks += chk.table4_checks(tables.cells("table4"))
    checks += chk.prose_checks(compact(sections.get("overview") or ""), tables.cells("table3"), tables.cells("table4"))
    checks += chk.year_checks(rec, years)
    problems = [_problem(f"check_{c['id'].lower()}", f"{c['id']} ({c['scope']}): {c['detail']}", "warning")
                for c in checks if c["status"] == "failed" and c["severity"] == "warning"]
    return checks, problems


def decide_status(problems: list[dict], checks: list[dict]) -> str:
    """Stage 5 (record.md): partial beats inconsistent beats complete."""
    codes = {p["code"] for p in problems if p["severity"] == "error"}
    if codes & _PARTIAL_CODES:
        return "partial"
    if any(c["status"] == "failed" and c["severity"] == "error" for c in checks):
        return "inconsistent"
    return "complete"


def build_record(doc: Document, url: str, fetched_at: str | None = None, *, link_text: str | None = None) -> dict:
    rec = _base(url, doc.document_type, fetched_at)
    lay = layout_of(doc)
    rec["content_sha1"] = hashlib.sha1(lay.body_compact.encode("utf-8")).hexdigest()
    if not lay.body_compact:
        return failed_record(url, "no_text", "the document has no readable text", doc.document_type, fetched_at)
    if soft_404(lay.body_compact):
        return failed_record(url, "soft_404", "the page says the document was deleted or does not exist",
                             doc.document_type, fetched_at)
    tables = read_tables(lay)
    for name, res in tables.results.items():
        rec[name] = res.table if res is not None else None
    sections, section_problems = read_sections(lay, tables)
    rec["sections"] = sections
    meta, meta_problems, years, _tmatch = read_metadata(lay, sections, link_text)
    rec.update(meta)

    has_tables = any(res is not None for res in tables.results.values())
    first_title_like = doc.meta.get("ArticleTitle") or doc.title_hint
    is_report, why = classify(rec["title"], first_title_like, len(lay.chosen), has_tables, lay.body_compact)
    if not is_report:
        rec["status"] = "not_a_report"
        rec["problems"] = [_problem("not_a_report", why, "warning")]
        return rec

    checks, check_problems = run_checks(rec, tables, sections, years)
    rec["checks"] = checks
    rec["problems"] = list(doc.problems) + tables.problems + section_problems + meta_problems + check_problems
    rec["status"] = decide_status(rec["problems"], checks)
    return rec
