"""Rows whose digit runs split several ways, decided together by the table's own identities.

A concatenated table (cells flattened with no separator) leaves some rows with more than one split
that satisfies the row total. The table's column identities (T3-BAL, T3-RES: report-format.md §5)
tie those rows to each other and to the rows that were read with certainty. Every combination of
the rows' candidate splits is searched (depth-first, pruned by the identities' column bounds, capped);
a row is decided only when *every* combination satisfying the identities gives it the same split.
If the table breaks an identity as printed, no combination satisfies all of them: each identity is
then tried alone, and a row is decided only if all identities that still have solutions agree on it.
"""
from __future__ import annotations

from dataclasses import dataclass

_MAX_STEPS = 100_000
_MAX_SOLUTIONS = 64


@dataclass(frozen=True)
class Identity:
    name: str
    lhs: tuple[str, ...]  # per column: sum of these rows ...
    rhs: tuple[str, ...]  # ... equals the sum of these rows

    @property
    def rows(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


def _usable(ident: Identity, fixed: dict, candidates: dict) -> bool:
    return (all(r in candidates or fixed.get(r) is not None for r in ident.rows)
            and any(r in candidates for r in ident.rows))


def _enumerate(idents: list[Identity], fixed: dict[str, list[int]], candidates: dict[str, list[list[int]]]):
    """All assignments of the involved ambiguous rows that satisfy every identity (None: search too big)."""
    order = [r for r in candidates if any(r in i.rows for i in idents)]
    ncol = len(next(iter(candidates.values()))[0])
    lo = {r: [min(c[j] for c in candidates[r]) for j in range(ncol)] for r in order}
    hi = {r: [max(c[j] for c in candidates[r]) for j in range(ncol)] for r in order}
    sols: list[dict[str, list[int]]] = []
    steps = 0
    chosen: dict[str, list[int]] = {}

    def side_bounds(rows):
        low = [0] * ncol
        high = [0] * ncol
        for r in rows:
            v = chosen.get(r) or fixed.get(r)
            a, b = (v, v) if v is not None else (lo[r], hi[r])
            for j in range(ncol):
                low[j] += a[j]
                high[j] += b[j]
        return low, high

    def feasible() -> bool:
        for ident in idents:
            llo, lhi = side_bounds(ident.lhs)
            rlo, rhi = side_bounds(ident.rhs)
            if any(llo[j] > rhi[j] or rlo[j] > lhi[j] for j in range(ncol)):
                return False
        return True

    def rec(k: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS or len(sols) > _MAX_SOLUTIONS:
            return False
        if k == len(order):
            sols.append(dict(chosen))
            return True
        row = order[k]
        for cand in candidates[row]:
            chosen[row] = cand
            if feasible():
                rec(k + 1)
            del chosen[row]
        return True

    rec(0)
    if steps > _MAX_STEPS or len(sols) > _MAX_SOLUTIONS:
        return None
    return sols


def _agreed(sols: list[dict[str, list[int]]]) -> dict[str, list[int]]:
    out = {}
    for row in sols[0]:
        first = sols[0][row]
        if all(s[row] == first for s in sols[1:]):
            out[row] = first
    return out


def solve(identities: list[Identity], fixed: dict[str, list[int] | None],
          candidates: dict[str, list[list[int]]]) -> dict[str, tuple[list[int], tuple[str, ...]]]:
    """Ambiguous rows decided by the identities: row -> (values, names of the identities used)."""
    idents = [i for i in identities if _usable(i, fixed, candidates)]
    if not idents or not candidates:
        return {}
    known = {r: v for r, v in fixed.items() if v is not None}
    sols = _enumerate(idents, known, candidates)
    if sols is None:
        return {}
    if sols:
        names = tuple(i.name for i in idents)
        return {r: (v, names) for r, v in _agreed(sols).items()}
    # The printed table breaks one of the identities: decide only what every satisfiable one agrees on.
    votes: dict[str, list[tuple[list[int] | None, str]]] = {}
    for ident in idents:
        alone = _enumerate([ident], known, candidates)
        if alone is None:
            return {}
        if not alone:
            continue
        agreed = _agreed(alone)
        for row in alone[0]:
            votes.setdefault(row, []).append((agreed.get(row), ident.name))
    out = {}
    for row, vs in votes.items():
        values = [v for v, _n in vs]
        if values[0] is not None and all(v == values[0] for v in values):
            out[row] = (values[0], tuple(n for _v, n in vs))
    return out
