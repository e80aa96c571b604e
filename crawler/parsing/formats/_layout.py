"""Page geometry → `Line`s, shared by the fixed-layout converters (PDF, OFD).

Input per page: text lines outside ruled tables (each a list of positioned glyph boxes) and the
ruled tables' rows (cells with boxes). Output: paragraphs in reading order and table rows with
their cell boundaries, with page furniture (page numbers) removed, wrapped paragraph lines joined,
rows cut by a page break re-joined, and repeated table headers dropped.

Unruled tables (text aligned in columns with no grid lines) are recognised from wide horizontal
gaps between glyphs, and their cells are aligned on the column x-positions of the block so that a
missing value becomes a blank cell instead of shifting the row.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..document import Line

# Page furniture: "— 5 —", "- 5 -", "第5页", "第 5 页 共 9 页", "5/9", "Page 5"
_PAGE_NO = re.compile(r"^\s*(?:[-—–－―~·•]+\s*\d{1,4}\s*[-—–－―~·•]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                      r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$", re.I)
_BARE_NO = re.compile(r"^\s*\d{1,4}\s*$")
_NUMBERED = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十]{1,3}[）)、．.]|[（(]\d{1,2}[）)]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+)")
_NUMERIC = re.compile(r"^[\s+\-−]?[\d０-９][\d０-９,，.．]*\s*(?:件|条|项|个|次|元|万元|%)?$|^[/／—–\-－无]+$")
# Fonts in many Word/WPS PDFs map common ideographs to Kangxi radicals ("⼀" U+2F00 for "一",
# "⼆" for "二"): extraction artefacts, mapped back to the ideographs they print.
RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
_ASCII_END = re.compile(r"[A-Za-z]$")
_ASCII_START = re.compile(r"^[A-Za-z]")


@dataclass
class TextLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size (glyph height)
    segments: list[tuple[float, float, str]] = field(default_factory=list)  # (x0, x1, text) split at wide gaps


@dataclass
class TableRow:
    cells: list[tuple[float, float, str]]  # (x0, x1, text) of each real cell; merged continuations absent
    top: float
    bottom: float


@dataclass
class TableBlock:
    rows: list[TableRow]
    top: float
    bottom: float


def join_cell_lines(text: str | None) -> str:
    """Join the visual lines of a cell (wrapped or one character per line) without separators."""
    if not text:
        return ""
    text = text.translate(RADICALS)
    out = ""
    for part in (p.strip() for p in text.splitlines()):
        if not part:
            continue
        if out and _ASCII_END.search(out) and _ASCII_START.match(part):
            out += " "
        out += part
    return out


def glyph_lines(glyphs: list[tuple[float, float, float, float, str]], gap_factor: float = 1.2) -> list[TextLine]:
    """Group glyph boxes (x0, x1, top, bottom, text) into visual lines, left to right.

    A line's `segments` split it where the horizontal gap exceeds `gap_factor` × the glyph size
    (columns of an unruled table, a label and its values).
    """
    glyphs = sorted(((g[0], g[1], g[2], g[3], g[4].translate(RADICALS)) for g in glyphs),
                    key=lambda g: ((g[2] + g[3]) / 2, g[0]))
    rows: list[list] = []
    for g in glyphs:
        mid = (g[2] + g[3]) / 2
        h = max(g[3] - g[2], 1.0)
        if rows:
            last = rows[-1]
            lmid = sum((x[2] + x[3]) / 2 for x in last) / len(last)
            if abs(mid - lmid) <= h * 0.45:
                last.append(g)
                continue
        rows.append([g])
    out = []
    for row in rows:
        row.sort(key=lambda g: g[0])
        size = sorted(g[3] - g[2] for g in row)[len(row) // 2]
        segs: list[list] = [[row[0][0], row[0][1], row[0][4]]]
        text = row[0][4]
        for prev, g in zip(row, row[1:]):
            gap = g[0] - prev[1]
            if gap > gap_factor * max(size, 4.0):
                segs.append([g[0], g[1], g[4]])
                text += "  " + g[4]
                continue
            sep = " " if gap > 0.25 * max(size, 4.0) and not g[4].isspace() and not prev[4].isspace() else ""
            segs[-1][1] = g[1]
            segs[-1][2] += sep + g[4]
            text += sep + g[4]
        segments = [(a, b, t.strip()) for a, b, t in segs if t.strip()]
        if not segments:
            continue
        out.append(TextLine(text.strip(), row[0][0], max(g[1] for g in row), min(g[2] for g in row),
                            max(g[3] for g in row), size, segments))
    return out


def is_page_furniture(line: TextLine, page_height: float) -> bool:
    if _PAGE_NO.match(line.text):
        return True
    in_margin = line.top > page_height * 0.9 or line.bottom < page_height * 0.08
    return in_margin and bool(_BARE_NO.match(line.text))


class LineBuilder:
    """Accumulates page content in reading order into `Line`s (see module doc)."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._para: list[str] | None = None  # open paragraph pieces
        self._para_full = False  # last visual line reached the right margin
        self._last_row: TableRow | None = None  # last emitted table row (for page-cut rows)
        self._last_row_at_bottom = False
        self._header: list[list[str]] = []  # first rows of the table in progress
        self._grid_rows: list[list[TextLine]] = []  # unruled table: [row line, label continuations…]
        self._new_page = False
        self.body_bottom = 0.0  # lowest content seen on any page: the bottom margin
    # ---------------------------------------------------------------- paragraphs
    def paragraph(self, ln: TextLine, left_margin: float, right_margin: float) -> None:
        new_page, self._new_page = self._new_page, False
        if len(ln.segments) >= 2 and any(_NUMERIC.match(s[2]) for s in ln.segments[1:]):
            self._grid_rows.append([ln])
            return
        if self._grid_rows and self._continues_label(ln, new_page):
            self._grid_rows[-1].append(ln)
            return
        self._flush_grid()
        self._last_row = None
        text = ln.text
        em = max(ln.size, 4.0)
        # A wrapped line runs from the left margin (or a first-line indent) to the right margin;
        # its continuation starts at the left margin. Centred and right-aligned lines never join.
        full = ln.x1 >= right_margin - 1.6 * em and ln.x0 <= left_margin + 4.5 * em
        starts_left = ln.x0 <= left_margin + 1.0 * em
        if self._para is not None and self._para_full and starts_left and not _NUMBERED.match(text):
            prev = self._para[-1]
            self._para.append((" " if _ASCII_END.search(prev) and _ASCII_START.match(text) else "") + text)
        else:
            self._close_para()
            self._para = [text]
        self._para_full = full

    def _close_para(self) -> None:
        if self._para:
            self.lines.append(Line(["".join(self._para)]))
        self._para = None
        self._para_full = False

    # ---------------------------------------------------------------- unruled tables
    def _continues_label(self, ln: TextLine, new_page: bool) -> bool:
        """A text-only line right under an unruled row (or first on the next page), left of the
        row's values: the row's wrapped label text."""
        group = self._grid_rows[-1]
        row = group[0]
        values_left = min((sg[0] for sg in row.segments[1:] if _NUMERIC.match(sg[2])), default=0.0)
        if ln.x1 > values_left + 1 or _NUMBERED.match(ln.text) or abs(ln.size - row.size) > 0.15 * row.size:
            return False  # right of the labels, a numbered item or heading, or another font size
        return new_page or -0.6 * ln.size <= ln.top - group[-1].bottom <= 0.8 * max(ln.size, 4.0)

    def _flush_grid(self) -> None:
        groups, self._grid_rows = self._grid_rows, []
        if not groups:
            return
        self._close_para()
        self._last_row = None
        anchors = _column_anchors([g[0] for g in groups])
        for row, *more in groups:
            self.lines.append(Line(_align(row, anchors, more), is_row=True))

    # ---------------------------------------------------------------- ruled tables
    def table(self, block: TableBlock, at_page_top: bool, reaches_page_bottom: bool) -> None:
        self._new_page = False
        self._flush_grid()
        self._close_para()
        if all(len(r.cells) <= 1 for r in block.rows):  # a framed paragraph, not a table
            for r in block.rows:
                if r.cells and r.cells[0][2]:
                    self.lines.append(Line([r.cells[0][2]]))
            self._last_row = None
            return
        rows = list(block.rows)
        texts = [[c[2] for c in r.cells] for r in rows]
        continued = at_page_top and self._last_row is not None
        if continued and self._header:
            k = 0
            while k < len(rows) and k < len(self._header) and texts[k] == self._header[k]:
                k += 1
            if k and all(not any(_NUMERIC.match(t) for t in row if t) for row in texts[:k]):
                rows, texts = rows[k:], texts[k:]  # a repeated header row
        if not continued:
            self._header = [t for t in texts[:4]]
        if continued and rows and self._last_row_at_bottom and _is_cut_continuation(self._last_row, rows[0]):
            self._merge_into_last(rows[0])
            rows = rows[1:]
        for r in rows:
            line = Line([c[2] for c in r.cells], is_row=True)
            self.lines.append(line)
            self._last_row = r
        self._last_row_at_bottom = reaches_page_bottom

    def _merge_into_last(self, cont: TableRow) -> None:
        last = self._last_row
        line = self.lines[-1]
        cells = list(line.cells)
        for x0, x1, text in cont.cells:
            if not text:
                continue
            best, overlap = None, 0.0
            for i, (a, b, _) in enumerate(last.cells):
                ov = min(b, x1) - max(a, x0)
                if ov > overlap:
                    best, overlap = i, ov
            if best is not None:
                cells[best] = cells[best] + text
        line.cells = cells

    def page_break(self) -> None:
        self._new_page = True  # an unruled table may go on (and a row's label wrap) on the next page

    def finish(self) -> list[Line]:
        self._flush_grid()
        self._close_para()
        return self.lines


def _is_cut_continuation(last: TableRow, row: TableRow) -> bool:
    """Is `row` (first on a new page) the rest of `last`, a row that the page break cut in two?

    Word/WPS print cell text from the top, so the values stay above the cut and the rest holds
    only wrapped label text: no value, no item number, and blank cells exactly under `last`'s
    values. (A header row or a new data row under a page break has text or values there.)
    """
    texts = [c[2] for c in row.cells if c[2]]
    if not texts or any(_NUMERIC.match(t) for t in texts) or _NUMBERED.match(texts[0]):
        return False
    under = [c for c in row.cells for v in last.cells
             if v[2] and _NUMERIC.match(v[2]) and min(c[1], v[1]) - max(c[0], v[0]) > 1]
    return bool(under) and all(not c[2] for c in under)


def _column_anchors(rows: list[TextLine]) -> list[tuple[float, float]]:
    """Column spans of the numeric cells of an unruled table block."""
    spans = sorted((s[0], s[1]) for ln in rows for s in ln.segments if _NUMERIC.match(s[2]))
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 2:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(a, b) for a, b in cols]


def _align(ln: TextLine, anchors: list[tuple[float, float]], more: list[TextLine] = ()) -> list[str]:
    """Cells of one unruled row: its label segments (with the wrapped label text of the lines in
    `more` appended by x-overlap), then one cell per value column (blank if none)."""
    first = anchors[0][0] if anchors else float("inf")
    labels = [[x0, x1, t] for x0, x1, t in ln.segments if x1 <= first + 1 and not _NUMERIC.match(t)]
    for extra in more:
        for x0, x1, t in extra.segments:
            hit = max(labels, key=lambda sg: min(sg[1], x1) - max(sg[0], x0), default=None)
            if hit is not None and min(hit[1], x1) - max(hit[0], x0) > 0:
                hit[2] += t
            else:
                labels.append([x0, x1, t])
                labels.sort(key=lambda sg: sg[0])
    label_cells = [sg[2] for sg in labels]
    if len(anchors) < 2 or len(ln.segments) > len(anchors) + 6:
        return label_cells + [sg[2] for sg in ln.segments if sg[0] >= first - 1 or _NUMERIC.match(sg[2])]
    values = [""] * len(anchors)
    for x0, x1, t in ln.segments:
        if x1 <= first + 1 and not _NUMERIC.match(t):
            continue
        hit = [i for i, (a, b) in enumerate(anchors) if min(b, x1) - max(a, x0) > 0]
        if len(hit) == 1 and not values[hit[0]]:
            values[hit[0]] = t
        else:  # a segment that does not fit the column grid: keep the row as printed
            return label_cells + [sg[2] for sg in ln.segments if sg[0] >= first - 1 or _NUMERIC.match(sg[2])]
    return label_cells + values


def emit_page(builder: LineBuilder, free_glyphs: list, blocks: list[tuple[TableBlock, tuple]], page_height: float) -> None:
    """One page into the builder: text lines outside the tables and the tables, in reading order.

    `free_glyphs` are (x0, x1, top, bottom, text) boxes not inside a table; `blocks` are
    (TableBlock, (x0, top, x1, bottom)). Coordinates grow downwards.
    """
    lines = [ln for ln in glyph_lines(free_glyphs) if not is_page_furniture(ln, page_height)]
    if not lines and not blocks:
        return
    right = max([ln.x1 for ln in lines] + [box[2] for _, box in blocks])
    left = min([ln.x0 for ln in lines] + [box[0] for _, box in blocks])
    items: list[tuple[float, int, object]] = [(ln.top, 1, ln) for ln in lines]
    items += [(box[1], 0, b) for b, box in blocks]
    items.sort(key=lambda it: (it[0], it[1]))
    body_top = items[0][0]
    body_bottom = max([ln.bottom for ln in lines] + [box[3] for _, box in blocks])
    # A row cut by the page break runs down to the bottom margin (the lowest content of any page);
    # a table that merely ends near the bottom usually stops short of it.
    builder.body_bottom = max(builder.body_bottom, body_bottom)
    for _, kind, obj in items:
        if kind == 1:
            builder.paragraph(obj, left, right)
        else:
            at_bottom = obj.bottom >= body_bottom - 1 and obj.bottom >= builder.body_bottom - 2
            builder.table(obj, at_page_top=obj.top <= body_top + 1, reaches_page_bottom=at_bottom)
