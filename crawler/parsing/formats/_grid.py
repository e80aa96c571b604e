"""Ruled tables from drawn line segments (for fixed-layout formats other than PDF, e.g. OFD).

pdfplumber's own edge → intersection → cell → table functions do the geometry (the same
algorithm `find_tables` uses on PDF pages); glyphs are then assigned to cells by their centre.
Coordinates grow downwards; units are whatever the caller uses, tolerances scale with `unit`.
"""
from __future__ import annotations

from pdfplumber import table as pt

from ._layout import TableBlock, TableRow, glyph_lines, join_cell_lines


def edge(x0: float, top: float, x1: float, bottom: float) -> dict | None:
    """A horizontal or vertical edge dict as pdfplumber expects; None for a slanted segment."""
    x0, x1 = sorted((x0, x1))
    top, bottom = sorted((top, bottom))
    w, h = x1 - x0, bottom - top
    if h <= max(w * 0.02, 0.3) and w > 0:
        y = (top + bottom) / 2
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": w, "height": 0, "orientation": "h",
                "object_type": "line"}
    if w <= max(h * 0.02, 0.3) and h > 0:
        x = (x0 + x1) / 2
        return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": h, "orientation": "v",
                "object_type": "line"}
    return None


def find_tables(edges: list[dict], glyphs: list[tuple], unit: float = 1.0) -> tuple[list[tuple[TableBlock, tuple]], list[tuple]]:
    """Tables built from `edges`, and the glyphs left outside them.

    Returns ([(TableBlock, bbox)], free_glyphs); glyphs are (x0, x1, top, bottom, text).
    """
    if len(edges) < 4:
        return [], glyphs
    tol = 3 * unit
    merged = pt.merge_edges(edges, tol, tol, tol, tol)
    cells = pt.intersections_to_cells(pt.edges_to_intersections(merged, tol, tol))
    groups = pt.cells_to_tables(cells)
    blocks = []
    used: set[int] = set()
    for group in groups:
        x0 = min(c[0] for c in group)
        top = min(c[1] for c in group)
        x1 = max(c[2] for c in group)
        bottom = max(c[3] for c in group)
        tops = sorted({round(c[1], 2) for c in group})
        rows = []
        for t in tops:
            row_cells = sorted((c for c in group if round(c[1], 2) == t), key=lambda c: c[0])
            out = []
            for c in row_cells:
                inside = [i for i, g in enumerate(glyphs)
                          if c[0] <= (g[0] + g[1]) / 2 <= c[2] and c[1] <= (g[2] + g[3]) / 2 <= c[3]]
                used.update(inside)
                text = "\n".join(ln.text for ln in glyph_lines([glyphs[i] for i in inside], gap_factor=1e9))
                out.append((c[0], c[2], join_cell_lines(text)))
            rows.append(TableRow(out, t, max(c[3] for c in row_cells)))
        blocks.append((TableBlock(rows, top, bottom), (x0, top, x1, bottom)))
    free = [g for i, g in enumerate(glyphs) if i not in used]
    return blocks, free
