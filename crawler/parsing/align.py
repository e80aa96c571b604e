"""Logical rows → the official rows of a table, by keyword first, then by order and label similarity.

1. Keywords (spec.Row.pattern, right-most match) name most rows; per key the best candidate wins
   (most value cells, then grid rows, then longer digit runs: a prose summary '予以公开6件' before
   the table must not win over the table row).
2. A label split over two printed rows (a converter wrapped the cell) is joined back when the join
   reads more of an official row's wording: the keyword half without values + the half with values.
3. Rows with values that no keyword names (typos, dropped characters) are aligned to the official rows
   missing between their matched neighbours: order is kept (never reordered) and each pair must share
   most of the official wording (longest common subsequence). Those rows carry `row_label_fuzzy`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .normalize import label_key
from .rows import LogicalRow, match_key
from .spec import OFFICIAL_TEXT

MIN_SIMILARITY = 0.5  # share of the official wording a garbled label must still carry, in order
_ITEM_NUMBER = re.compile(r"\d[.、](?=\D)|\([一二三四五六七八]\)")  # '3.', '(六)' ('三、' may be vertical text)


@dataclass
class Aligned:
    found: dict[str, LogicalRow]
    used: set[int]
    fuzzy: list[tuple[str, str, float]] = field(default_factory=list)  # (key, printed label, similarity)


def _score(r: LogicalRow) -> tuple[int, bool, int]:
    vals = [v for v in r.values if v != ""]
    return len(vals), r.structured, sum(len(v) for v in vals)


@lru_cache(maxsize=4096)
def _lcs(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=64)
def _official(key: str) -> str:
    return label_key(OFFICIAL_TEXT.get(key, ""))


def _own_text(label: str) -> str:
    last = None
    for last in _ITEM_NUMBER.finditer(label):
        pass
    return label[last.end():] if last is not None else label


def similarity(key: str, printed: str) -> float:
    """How much of the official wording the printed label carries, in order. Compared: the words
    after the label's last item number, or else the label's end (a group label or a table caption
    may precede the item). A label cut short by wrapping ('申请人逾期未按收费通') is measured on its
    own length, a long one on the official wording's."""
    off = _official(key)
    if not off:
        return 0.0
    own = _own_text(printed)[-(len(off) + 4):]
    common = _lcs(off, own)
    return common / max(3, min(len(off), len(own))) if common >= min(3, len(off)) else 0.0


def _joined(a: LogicalRow, b: LogicalRow, values_from: LogicalRow) -> LogicalRow:
    return LogicalRow(label=a.label + b.label, values=values_from.values, structured=values_from.structured,
                      exact=values_from.exact, width=values_from.width, lines=a.lines + b.lines)


def _join_split_labels(rows: list[LogicalRow], keys: list[str | None], row_defs) -> tuple[list, list]:
    out_rows, out_keys = [], []
    i = 0
    while i < len(rows):
        r, k = rows[i], keys[i]
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and keys[i + 1] is None and nxt.label:
            if k is not None and not r.has_values and nxt.has_values:
                # '一、本年新收政府信' (blank cells) + '息公开申请数量 | 0 | …': the join must read on
                # in the official wording for most of the second half, or it is a row of its own
                off = _official(k)
                gain = _lcs(off, label_key(r.label + nxt.label)) - _lcs(off, r.key_label)
                if gain >= max(2, 0.6 * len(nxt.key_label)):
                    out_rows.append(_joined(r, nxt, nxt))
                    out_keys.append(k)
                    i += 2
                    continue
            if k is None and r.label and r.has_values != nxt.has_values:
                jk = match_key(label_key(r.label + nxt.label), row_defs)
                if jk is not None and jk not in keys:
                    out_rows.append(_joined(r, nxt, r if r.has_values else nxt))
                    out_keys.append(jk)
                    i += 2
                    continue
        out_rows.append(r)
        out_keys.append(k)
        i += 1
    return out_rows, out_keys


def _align_gap(items: list[int], missing: list[str], rows: list[LogicalRow]) -> list[tuple[int, str, float]]:
    """Order-preserving pairing of unmatched rows with missing official rows, maximising similarity."""
    n, m = len(items), len(missing)
    sim = [[similarity(missing[j], rows[items[i]].key_label) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= MIN_SIMILARITY else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= MIN_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            out.append((items[i], missing[j], sim[i][j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _own_key(label: str, row_defs) -> str | None:
    """The row named by the label's own words: text after the last item number ('3.补正…') when the
    label has one, because words before it may be the previous row's wrapped tail ('…另行制作')."""
    key = match_key(label, row_defs) if label else None
    if key is None:
        return None
    last = None
    for last in _ITEM_NUMBER.finditer(label):
        pass
    if last is not None and last.start() > 0 and match_key(label[last.start():], row_defs) is None:
        return None  # only the previous row's tail names a row: left to the alignment below
    return key


def align(rows: list[LogicalRow], row_defs) -> Aligned:
    keys = [_own_key(r.key_label, row_defs) for r in rows]
    if any(k is None and r.has_values and r.label for r, k in zip(rows, keys)):
        rows, keys = _join_split_labels(rows, keys, row_defs)
    found: dict[str, LogicalRow] = {}
    where: dict[str, int] = {}
    for i, (r, key) in enumerate(zip(rows, keys)):
        if key is not None and (key not in found or _score(r) > _score(found[key])):
            found[key], where[key] = r, i
    fuzzy = []
    order = [rd.key for rd in row_defs]
    loose = [i for i, (r, k) in enumerate(zip(rows, keys)) if k is None and r.has_values and r.label]
    if loose and found:
        for idx, key, sim in _fuzzy(loose, rows, where, order):
            found[key] = rows[idx]
            fuzzy.append((key, rows[idx].label, sim))
    used: set[int] = set()
    for r in found.values():
        used.update(r.lines)
    return Aligned(found, used, fuzzy)


def _fuzzy(loose: list[int], rows: list[LogicalRow], where: dict[str, int], order: list[str]):
    anchors = sorted((i, order.index(k)) for k, i in where.items())
    gaps: dict[tuple[int, int], list[int]] = {}
    for idx in loose:
        before = [a for a in anchors if a[0] < idx]
        after = [a for a in anchors if a[0] > idx]
        lo = before[-1][1] if before else -1
        hi = after[0][1] if after else len(order)
        if lo < hi:
            gaps.setdefault((lo, hi), []).append(idx)
    out = []
    for (lo, hi), items in gaps.items():
        missing = [k for k in order[lo + 1:hi] if k not in where]
        if missing:
            out.extend(_align_gap(items, missing, rows))
    return out
