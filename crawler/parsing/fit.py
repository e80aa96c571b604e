"""Fit a logical row's value cells onto the N columns the format defines.

Ragged empties at the ends are padding and are dropped; blanks inside a grid row are real
blank cells. When there are fewer values than columns, the only recovery is a digit run whose
split is made *certain* by an identity (quirk Q31: the row total; table 2 has none) or by leading
zeros ('000' has one reading as three numbers, '327' has several); anything else is left null
with a problem — never guessed. A row with several splits passes them on as `candidates` for the
table-level solver (joint.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

Constraint = Callable[[list[int]], bool]
_MAX_STEPS = 200_000
CANDIDATE_CAP = 48  # an ambiguous row with more splits than this is left to null


@dataclass
class Fitted:
    cells: list[str] | None  # exactly n raw cell strings ('' = blank), or None
    problem: str | None = None  # merged_cell | ambiguous_cells | missing_cells | extra_cells
    detail: str = ""
    split: bool = False  # values recovered by arithmetic from concatenated digits
    candidates: list[list[int]] | None = None  # ambiguous_cells: every split the row allows (for the table solver)


def _splits(tokens: list[str], n: int, ok: Constraint, partial: Callable[[list[int], int], bool] | None,
            limit: int = 2):
    """Ways to cut the digit tokens into n numbers (no leading zeros) satisfying ok; stops at `limit`."""
    sols: list[list[int]] = []
    steps = 0
    digits_left = [sum(len(t) for t in tokens[i:]) for i in range(len(tokens) + 1)]

    def rec(ti: int, pos: int, acc: list[int]):
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS or len(sols) >= limit:
            return
        if ti == len(tokens):
            if len(acc) == n and ok(acc):
                sols.append(list(acc))
            return
        tok = tokens[ti]
        remaining_parts = n - len(acc)
        remaining_digits = len(tok) - pos + digits_left[ti + 1]
        if remaining_parts <= 0 or remaining_digits < remaining_parts:
            return
        # tokens after this one need at least one part each
        min_after = len(tokens) - ti - 1
        if remaining_parts == 1:  # the last part is the rest of the digits, or nothing fits
            if min_after == 0 and (pos == len(tok) - 1 or tok[pos] != "0"):
                acc.append(int(tok[pos:]))
                if ok(acc):
                    sols.append(list(acc))
                acc.pop()
            return
        for end in range(pos + 1, len(tok) + 1):
            piece = tok[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            acc.append(int(piece))
            if partial is None or partial(acc, remaining_digits - len(piece)):
                if end == len(tok):
                    if remaining_parts - 1 >= min_after:
                        rec(ti + 1, 0, acc)
                elif remaining_parts - 1 >= 1 + min_after:
                    rec(ti, end, acc)
            acc.pop()

    rec(0, 0, [])
    return sols, steps > _MAX_STEPS


def _only_reading(tokens: list[str], n: int) -> list[int] | None:
    """The split when the digits can be read as at most n numbers in exactly one way ('000' → 0/0/0;
    '327' is not: it may be 3/27 with a blank cell). No arithmetic needed: leading zeros decide."""
    found = None
    for k in range(len(tokens), n + 1):
        sols, overflow = _splits(tokens, k, lambda _v: True, None, limit=2)
        if overflow or len(sols) > 1 or (sols and found is not None):
            return None
        if sols:
            found = sols[0]
    return found if found is not None and len(found) == n else None


def fit_values(values: list[str], n: int, ok: Constraint | None = None,
               partial: Callable[[list[int]], bool] | None = None, exact: bool = False,
               short: bool = False, one_line: bool = False) -> Fitted:
    """`short`: a separator row with fewer cells than the table's other rows, so a cell was lost and
    its remaining values cannot be placed (pipe/tab text pads rows to the grid width). `one_line`:
    the values come from one separator row (not gathered from several lines)."""
    vals = list(values)
    if short and not exact and len([v for v in vals if v != ""]) < n:
        split = _split_run(vals, n, ok, partial, short=True)
        if split is not None:
            return split
        got = " ".join(v for v in vals if v != "")
        return Fitted(None, "missing_cells", f"the row has fewer cells than the table's other rows: {got}")
    while len(vals) > n and vals and vals[-1] == "":
        vals.pop()
    while len(vals) > n and vals and vals[0] == "":
        vals.pop(0)
    if any(len(v) > 1 and v[0] == "0" and v.isdigit() for v in vals):
        # '00', '012': no printed count starts with 0, so neighbouring cells ran together
        return _merged_run(vals, n, ok, partial)
    if len(vals) == n:
        lone = [v for v in vals if v != ""]
        if not exact and n > 1 and len(lone) == 1 and vals[0] != "" and all(v == "" for v in vals[1:]):
            # Text rows pad with empty cells: one value then blanks is a merged cell (Q11), not a sparse row.
            return Fitted(None, "merged_cell", f"one value '{lone[0]}' printed for {n} cells (the rest empty)")
        if not exact and len(lone) < n and (vals[0] == "" or vals[-1] == ""):
            # In pipe/tab text an empty cell at either end of the values may be padding or a label
            # column's filler as well as a blank: the values cannot be placed with certainty
            # (unless two cells ran together and the arithmetic says how: then the edge is padding).
            split = _split_run(vals, n, ok, partial)
            if split is not None:
                return split
            return Fitted(None, "missing_cells",
                          f"{len(lone)} values for {n} columns with an empty cell at the edge: "
                          + " ".join(v or "∅" for v in vals))
        return Fitted(vals)
    nonblank = [v for v in vals if v != ""]
    if len(vals) > n and len(nonblank) == n and (exact or one_line):
        # Q13: a spare empty cell under a wide header; n numbers for n columns leave no column for a
        # blank, so the numbers are the cells in order
        return Fitted(nonblank, detail="empty spare cell dropped")
    if len(vals) > n:
        return Fitted(None, "extra_cells", f"{len(nonblank)} values for {n} columns: {' '.join(nonblank)}")
    if not vals and exact:
        # a grid row with its label cell only: the value cells are absent, not blank
        return Fitted(None, "missing_cells", f"the row prints no value cells for its {n} columns")
    if not nonblank:
        return Fitted([""] * n)
    digit_tokens = [v.replace(",", "") for v in nonblank]
    if all(t.isdigit() for t in digit_tokens) and sum(len(t) for t in digit_tokens) >= n:
        return _fit_digits(nonblank, digit_tokens, n, ok, partial)
    if len(nonblank) == 1 and n > 1:
        return Fitted(None, "merged_cell", f"one value '{nonblank[0]}' printed for {n} cells")
    return Fitted(None, "missing_cells", f"{len(vals)} cells for {n} columns: {' '.join(v or '∅' for v in vals)}")


def _run_of_digits(vals: list[str], n: int, short: bool = False) -> list[str] | None:
    """The digit tokens of a row whose cells may have run together: empty cells only at the edges
    (padding), and not n-1 values beside an empty edge cell (that cell may be a real blank) unless
    the row is short of the table's width (then its edge cells are padding: a cell was lost)."""
    a, b = 0, len(vals)
    while a < b and vals[a] == "":
        a += 1
    while b > a and vals[b - 1] == "":
        b -= 1
    toks = vals[a:b]
    if not toks or "" in toks or not all(v.isdigit() for v in toks):
        return None
    if (a > 0 or b < len(vals)) and len(toks) == n - 1 and not short:
        return None
    return toks


def _split_run(vals: list[str], n: int, ok: Constraint | None, partial, short: bool = False) -> Fitted | None:
    toks = _run_of_digits(vals, n, short) if ok is not None else None
    if toks is None or sum(len(t) for t in toks) < n:
        return None
    fitted = _fit_digits(toks, toks, n, ok, partial)
    return fitted if fitted.cells is not None or fitted.problem == "ambiguous_cells" else None


def _merged_run(vals: list[str], n: int, ok: Constraint | None, partial) -> Fitted:
    toks = _run_of_digits(vals, n)
    if toks is None:
        return Fitted(None, "merged_cell", f"cells ran together ('{' '.join(v or '∅' for v in vals)}') among "
                                           f"other cells, so they cannot be placed")
    return _fit_digits(toks, toks, n, ok, partial)


def _fit_digits(nonblank: list[str], tokens: list[str], n: int, ok: Constraint | None,
                partial: Callable[[list[int]], bool] | None) -> Fitted:
    shown = " ".join(nonblank)
    if ok is None:
        # Only an identity (or leading zeros) can decide a split: '3 27' is 3/2/7 as much as a lost cell.
        only = _only_reading(tokens, n)
        if only is not None:
            return Fitted([str(v) for v in only], split=True,
                          detail=f"'{shown}' can only be read as {n} numbers one way: {'/'.join(map(str, only))}")
        return Fitted(None, "merged_cell" if len(nonblank) == 1 else "missing_cells",
                      f"'{shown}' printed for {n} cells and no identity decides how to split it")
    sols, overflow = _splits(tokens, n, ok, partial, limit=CANDIDATE_CAP + 1)
    if len(sols) == 1 and not overflow:
        return Fitted([str(v) for v in sols[0]], split=True,
                      detail=f"'{shown}' split into {n} cells by the table's arithmetic: {'/'.join(map(str, sols[0]))}")
    if sols:
        cands = sols if len(sols) <= CANDIDATE_CAP and not overflow else None
        return Fitted(None, "ambiguous_cells",
                      f"'{shown}' can be split into {n} cells in more than one way that satisfies the arithmetic",
                      candidates=cands)
    if len(nonblank) == 1:
        return Fitted(None, "merged_cell", f"one value '{shown}' printed for {n} cells and no split satisfies the arithmetic")
    return Fitted(None, "missing_cells", f"{len(nonblank)} values for {n} columns: {shown}")


def t3_row_ok(v: list[int]) -> bool:
    return sum(v[:6]) == v[6]


def t3_row_partial(v: list[int], rest: int | None = None) -> bool:
    """Prune: the total (last of the parts still to come, after one digit per remaining column) must
    be able to hold the applicants read so far."""
    if len(v) >= 7:
        return sum(v[:6]) == v[6]
    if rest is None:
        return True
    total_digits = rest - (6 - len(v))
    if len(v) == 6:  # the total is exactly the remaining digits
        return rest >= 1 and (10 ** (rest - 1) if rest > 1 else 0) <= sum(v) < 10 ** rest
    return total_digits >= 1 and sum(v) < 10 ** total_digits


def t4_ok(v: list[int]) -> bool:
    return all(sum(v[g:g + 4]) == v[g + 4] for g in (0, 5, 10))


def t4_partial(v: list[int], _rest: int | None = None) -> bool:
    for g in (0, 5, 10):
        if len(v) > g + 4 and sum(v[g:g + 4]) != v[g + 4]:
            return False
    return True
