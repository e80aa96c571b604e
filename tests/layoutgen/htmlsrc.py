"""Reports taken from the realistic portal pages of tests/fixtures/html (their article text and
table markup as the portal serves it), so the damage is applied to layouts other than the seeds'.

Truth: the record of the undamaged page. These pages read 100 % clean (their numbers are stated
by hand in tests/test_parse_html.py), so a damaged rendering must read the same numbers or null
with a problem. Only pages whose clean record has all three tables and is `complete` or
`inconsistent` are used.
"""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from crawler.parsing import parse_document
from crawler.parsing.formats.html import _cell_text, _choose_root, decode_html

from .model import META_FIELDS, Cell, Report, Table

HTML = Path(__file__).resolve().parents[1] / "fixtures" / "html"
_NUMBER = re.compile(r"^\s*-?[\d,.，]+\s*$")
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "section", "article", "td", "center"}


def _table(el, name: str) -> Table:
    rows = []
    for tr in el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = []
        for td in tr.xpath("./td|./th"):
            text = _cell_text(td)
            value = ("?", "?") if _NUMBER.match(text) else None
            cells.append(Cell(text, int(td.get("colspan") or 1), int(td.get("rowspan") or 1), value))
        if cells:
            rows.append(cells)
    head = 0
    while head < min(3, len(rows)) and not any(c.value_of for c in rows[head]):
        head += 1
    ncols = max(sum(c.colspan for c in r) for r in rows)
    return Table(name, ncols, rows, head if head < len(rows) else 0)


def _blocks(el, out: list) -> None:
    """Article content in document order: ('p', text) for leaf blocks, ('table', Table) for data tables."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in ("script", "style"):
        return
    if tag == "table" and el.find(".//table") is None:
        out.append(("table", _table(el, f"t{sum(1 for k, _ in out if k == 'table')}")))
        return
    has_block_child = any(isinstance(c.tag, str) and (c.tag.lower() in _BLOCKS or c.tag.lower() == "table") for c in el)
    if tag in _BLOCKS and not has_block_child:
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        if text:
            out.append(("p", text))
        return
    if el.text and el.text.strip() and has_block_child:
        out.append(("p", el.text.strip()))
    for child in el:
        _blocks(child, out)
        if child.tail and child.tail.strip():
            out.append(("p", child.tail.strip()))


def html_reports() -> list[Report]:
    out = []
    for path in sorted(HTML.glob("*_report.html")):
        data = path.read_bytes()
        rec = parse_document(data, f"http://127.0.0.1/{path.name}", "text/html")
        if rec["status"] not in ("complete", "inconsistent") or not all(rec[t] for t in ("table2", "table3", "table4")):
            continue
        text, _enc = decode_html(data, "text/html")
        root = _choose_root(lxml.html.fromstring(text))
        if root is None:
            continue
        blocks: list = []
        _blocks(root, blocks)
        head = [("p", rec["title"])] if rec["title"] and not any(k == "p" and rec["title"] in t for k, t in blocks[:8]) else []
        meta = "  ".join(f"{lab}：{rec[k]}" for lab, k in (("索引号", "index_no"), ("发布机构", "publisher"),
                                                          ("成文日期", "written_date"), ("发布时间", "published_date"))
                        if rec.get(k))
        if meta:
            head.insert(0, ("p", meta))
        truth = {t: rec[t] for t in ("table2", "table3", "table4")}
        truth.update({k: rec.get(k) for k in META_FIELDS})
        tables = {f"t{i}": t for i, (k, t) in enumerate((k, t) for k, t in blocks if k == "table")}
        rep = Report(title=rec["title"] or "", organ=rec["organ"] or "", year=rec["report_year"] or 0, meta={},
                     sections={}, tables=tables, truth=truth, name=f"html/{path.stem[:40]}")
        rep.blocks = head + blocks
        out.append(rep)
    return out
