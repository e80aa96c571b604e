"""A Report rendered the way real extractors hand it to a crawler.

* `html`      — the portal page itself (rowspan/colspan table markup): the control family.
* `flat`      — a crawler that took the text of each <tr> with no separator between cells; with
                `glue` some rows lose their line break, so `…0000014.保护第三方…` (the next row's
                number glued to the previous row's digits); `one_line` puts the whole table on one line.
* `pdftext`   — pdfplumber/pdfminer `extract_text` of the printed table: cells separated by a
                space, long labels wrapped over several lines with the values on one of them, narrow
                group-label columns set one (or a few) characters per line beside the rows, a page
                footer inside table 3, the header repeated after it.
* `markdown`  — a PDF/HTML-to-markdown converter: pipe rows, the value row on the line after a
                wrapped label, group labels inside the row-label cell, the header repeated after a
                page break.
Every option is drawn by the caller (variants); renderers take an `rng` for per-row choices.
"""
from __future__ import annotations

import html as _html
import random
import re

from .model import SECTION_HEADINGS, TABLE_OF_SECTION, Report, Table

FOOTERS = ("— {n} —", "第 {n} 页 共 {m} 页", "- {n} -", "{n}")


# ------------------------------------------------------------------ document skeleton
def _date_cn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def title_lines(rep: Report, split_title: bool) -> list[str]:
    title = rep.printed_title or rep.title
    title = title.replace(f"{rep.year}年", f" {rep.year} 年") if rep.title_spaced else title
    if split_title == "organ":  # wrapped inside the organ name: 'XX市XX县' / 'XX镇2023年…报告'
        m = re.match(r"^.{2,}?(?:市|县|区)(?=.{2,}?(?:镇|乡|街道|县|区))", title)
        if m:
            return [m.group(0), title[m.end():]]
    if split_title and title.endswith("政府信息公开工作年度报告"):
        cut = title.index(str(rep.year)) if str(rep.year) in title else len(title) - 12
        return [title[:cut].strip(), title[cut:].strip()]
    return [title]


def _label(rep: Report, label: str) -> str:
    return " ".join(label) if rep.spaced_labels else label


def head_lines(rep: Report, split_title: bool = False) -> list[str]:
    out = list(rep.breadcrumb) + (title_lines(rep, split_title) if rep.print_title else [])
    meta = []
    if rep.meta.get("index_no"):
        meta.append((_label(rep, "索引号"), rep.meta["index_no"]))
    if rep.meta.get("publisher"):
        meta.append((_label(rep, "发布机构"), rep.meta["publisher"]))
    if rep.meta.get("published_date"):
        meta.append((_label(rep, "发布时间"), rep.meta["published_date"] + " 09:30"))
    if meta and rep.meta_as_pairs:  # label and value on lines of their own, then a category field
        pairs = [x for kv in meta + [("信息类别", "信息公开工作报告")] for x in kv]
        out[len(rep.breadcrumb):len(rep.breadcrumb)] = pairs
    elif meta and rep.meta_as_row:
        out.insert(len(rep.breadcrumb), "| " + " | ".join(f"{k} | {v}" for k, v in meta) + " |")
    elif meta:
        out.insert(len(rep.breadcrumb), "  ".join(f"{k}：{v}" for k, v in meta))
    out.append(f"本报告中所列数据的统计期限自{rep.year}年1月1日起至{rep.year}年12月31日止。")
    return out


def tail_lines(rep: Report) -> list[str]:
    if not rep.meta.get("written_date"):
        return []
    return [rep.organ, _date_cn(rep.meta["written_date"])]


def render_text(rep: Report, table_lines, split_title: bool = False) -> str:
    """The whole report as text; `table_lines(table)` renders one table."""
    if rep.blocks is not None:
        out = list(rep.breadcrumb)
        for kind, x in rep.blocks:
            if kind == "table":
                out += table_lines(x)
            else:
                out += (title_lines(rep, split_title) if rep.print_title else []) if x == rep.title else [x]
        return "\n".join(out) + "\n"
    out = head_lines(rep, split_title)
    for key, heading in SECTION_HEADINGS:
        out.append(heading)
        if rep.sections.get(key):
            out.append(rep.sections[key])
        t = TABLE_OF_SECTION.get(key)
        if t and t in rep.tables:
            out += table_lines(rep.tables[t])
    out += tail_lines(rep)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ html (control)
def html(rep: Report, split_title: bool = False) -> str:
    def table(t: Table) -> str:
        rows = []
        for row in t.rows:
            tds = "".join(f'<td colspan="{c.colspan}" rowspan="{c.rowspan}">{_html.escape(c.text)}</td>' for c in row
                          if not c.dropped)
            rows.append(f"<tr>{tds}</tr>")
        return '<table border="1">' + "".join(rows) + "</table>"

    if rep.blocks is not None:
        body = [f"<p>{_html.escape(x)}</p>" for x in rep.breadcrumb]
        for kind, x in rep.blocks:
            if kind == "table":
                body.append(table(x))
            else:
                shown = (title_lines(rep, split_title) if rep.print_title else []) if x == rep.title else [x]
                body += [f"<p>{_html.escape(t)}</p>" for t in shown]
        return ('<html><head><meta charset="utf-8"><title>' + _html.escape(rep.page_title or "") + "</title></head>"
                '<body><div class="article">' + "\n".join(body)
                + "</div></body></html>")
    body = [f"<p>{_html.escape(x)}</p>" for x in head_lines(rep, split_title)]
    for key, heading in SECTION_HEADINGS:
        body.append(f"<p><strong>{heading}</strong></p>")
        for para in (rep.sections.get(key) or "").split("\n"):
            if para:
                body.append(f"<p>{_html.escape(para)}</p>")
        t = TABLE_OF_SECTION.get(key)
        if t and t in rep.tables:
            body.append(table(rep.tables[t]))
    body += [f"<p>{_html.escape(x)}</p>" for x in tail_lines(rep)]
    page_title = _html.escape(rep.page_title or (rep.title if rep.print_title else ""))
    return ('<html><head><meta charset="utf-8"><title>' + page_title + "</title></head><body>"
            '<div class="article">' + "\n".join(body) + "</div></body></html>")


# ------------------------------------------------------------------ flat (no separators)
def flat(rng: random.Random, glue: float = 0.0, one_line: bool = False):
    def lines(t: Table) -> list[str]:
        rows = ["".join(c.text for c in row) for row in t.rows]
        if one_line:
            return ["".join(rows)]
        out = [rows[0]]
        for r in rows[1:]:
            if r[:1].isdigit() and rng.random() < glue:
                out[-1] += r  # `…0000014.保护第三方…`: the row break was lost
            else:
                out.append(r)
        return out
    return lines


# ------------------------------------------------------------------ pdf text (pdfplumber-like)
def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def pdftext(rng: random.Random, wrap: int = 14, values_at: str = "middle", vertical: int = 1,
            footer: bool = True, repeat_header: bool = True, page_no: int = 3, head_wrap: int | None = None):
    """`vertical`: characters per line of a narrow group-label column (rowspan ≥ 3); `head_wrap`:
    characters per line of the column headers above the value columns ('商业' / '企业')."""
    def lines(t: Table) -> list[str]:
        # 1. lines of each grid row, as {column: text}; rowspan cells handled after
        placed = _place(t)
        row_lines: list[list[dict]] = []
        spans = []
        for ri, row in enumerate(t.rows):
            frag_cells = []
            for (r, c, cell) in placed[ri]:
                if cell.dropped:
                    continue
                if cell.rowspan >= 3 and cell.value_of is None and ri >= t.header_rows:
                    spans.append((ri, c, cell))
                    continue
                narrow = head_wrap if head_wrap and ri < t.header_rows and c >= t.ncols - 7 else wrap
                frags = _wrap(cell.text, narrow) if cell.value_of is None else [cell.text]
                frag_cells.append((c, frags, cell.value_of is not None))
            h = max([len(f) for _, f, _ in frag_cells] or [1])
            rl = [dict() for _ in range(h)]
            at = {"middle": (h - 1) // 2, "first": 0, "last": h - 1}[values_at]
            for c, frags, is_value in frag_cells:
                start = at if is_value else 0
                for k, f in enumerate(frags):
                    rl[start + k][c] = f
            row_lines.append(rl)
        # 2. narrow group-label columns: a few characters per line, centred over the rows they span
        for ri, c, cell in spans:
            frags = _wrap(cell.text, vertical)
            last = min(ri + cell.rowspan, len(row_lines)) - 1  # a rowspan may overrun a table cut by a page break
            seq = [ln for rr in range(ri, last + 1) for ln in row_lines[rr]]
            while len(seq) < len(frags):
                extra = dict()
                row_lines[last].append(extra)
                seq.append(extra)
            start = (len(seq) - len(frags)) // 2
            for k, f in enumerate(frags):
                seq[start + k][c] = f
        # 3. flatten, with a page footer (and the repeated header) inside the body rows
        body_rows = list(range(t.header_rows, len(t.rows)))
        cut = rng.choice(body_rows[2:-2]) if footer and len(body_rows) > 6 else None
        out = []
        for ri, rl in enumerate(row_lines):
            if ri == cut:
                out.append(rng.choice(FOOTERS).format(n=page_no, m=page_no + 4))
                if repeat_header:
                    out += [" ".join(d[k] for k in sorted(d)) for hr in row_lines[:t.header_rows] for d in hr]
            out += [" ".join(d[k] for k in sorted(d) if d[k]) for d in rl]
        return [x for x in out if x.strip()]
    return lines


def _place(t: Table) -> list[list[tuple[int, int, object]]]:
    """Each row's cells with their grid column (rowspan continuations skipped)."""
    occupied: set[tuple[int, int]] = set()
    out = []
    for ri, row in enumerate(t.rows):
        ci, cur = 0, []
        for cell in row:
            while (ri, ci) in occupied:
                ci += 1
            cur.append((ri, ci, cell))
            occupied.update((ri + dr, ci + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            ci += cell.colspan
        out.append(cur)
    return out


# ------------------------------------------------------------------ markdown
def markdown(rng: random.Random, value_next_line: float = 0.5, group_in_label: bool = False,
             repeat_header: bool = True, ragged: bool = False, wrap: int = 16, page_no: int = 4,
             split_row_at_break: bool = False):
    """`split_row_at_break`: the row at the page break has its label before the footer and its
    values after the repeated header."""
    def lines(t: Table) -> list[str]:
        placed = _place(t)
        width = t.ncols
        grid_rows = []
        for ri, row in enumerate(placed):
            cells = [""] * width
            for _r, c, cell in row:
                if group_in_label and cell.rowspan > 1 and ri >= t.header_rows and cell.value_of is None:
                    continue  # the converter folds the group label into the first row's label cell
                cells[c] = cell.text
            if group_in_label:
                groups = [cell.text for _r, c, cell in row if cell.rowspan > 1 and ri >= t.header_rows
                          and cell.value_of is None]
                if groups:
                    first = next((i for i, x in enumerate(cells) if x), 0)
                    cells[first] = "".join(groups) + cells[first]
            grid_rows.append(cells)
        out = []
        body_rows = list(range(t.header_rows, len(t.rows)))
        cut = rng.choice(body_rows[2:-2]) if repeat_header and t.header_rows and len(body_rows) > 6 else None

        def fmt(cells, ri=None):
            if ri is not None:  # a lost cell leaves no column behind: the row is one cell short
                lost = {c for _r, c, cell in placed[ri] if cell.dropped}
                cells = [x for i, x in enumerate(cells) if i not in lost]
            if ragged:
                cells = [x for x in cells if x]
            return "| " + " | ".join(cells) + " |"
        for ri, cells in enumerate(grid_rows):
            if ri == cut:
                values = [i for i, cell in enumerate(_cells_by_col(placed[ri], width)) if cell and cell.value_of]
                if split_row_at_break and values:
                    out.append(fmt([x if i not in values else "" for i, x in enumerate(cells)], ri))
                    cells = [x if i in values else "" for i, x in enumerate(cells)]
                out += ["", rng.choice(FOOTERS).format(n=page_no, m=page_no + 3), ""]
                out += [fmt(grid_rows[0]), "|" + "---|" * width] + [fmt(c) for c in grid_rows[1:t.header_rows]]
                if split_row_at_break and values:
                    out.append(fmt(cells, ri))
                    continue
            label_len = sum(len(x) for x, cell in zip(cells, _cells_by_col(placed[ri], width))
                            if cell is None or cell.value_of is None)
            values = [i for i, cell in enumerate(_cells_by_col(placed[ri], width)) if cell and cell.value_of]
            if values and label_len > wrap and rng.random() < value_next_line:
                out.append(fmt([x if i not in values else "" for i, x in enumerate(cells)], ri))
                out.append(fmt([x if i in values else "" for i, x in enumerate(cells)], ri))
            else:
                out.append(fmt(cells, ri))
            if ri == 0:
                out.append("|" + "---|" * width)
        return [""] + out + [""]
    return lines


def _cells_by_col(row, width):
    by = [None] * width
    for _r, c, cell in row:
        if c < width:
            by[c] = cell
    return by
