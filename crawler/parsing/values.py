"""Table cell values (report-format.md §7): a blank is null, never 0; dashes are recorded as such."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normalize import clean

_UNIT = r"(?:件|条|项|个|次|家|人|宗|起|份)"
_INT = re.compile(rf"^(?P<num>\d{{1,3}}(?:[,，]\d{{3}})+|\d+)(?:\.0+)?\s*{_UNIT}?$")
_DEC = re.compile(r"^(?P<num>\d+(?:[,，]\d{3})*\.\d+|\d+(?:[,，]\d{3})*)\s*(?P<unit>万元|元)?$")
_SIGNED = re.compile(rf"^(?P<sign>[+\-−－]|增加|减少|增|减)\s*(?P<num>\d+)\s*{_UNIT}?$")
_FOOTNOTE = re.compile(rf"^(?P<num>\d+)\s*{_UNIT}?\s*(?:\*+|[①-⑳⑴-⒇⒈-⒛❶-❿¹²³⁰⁴-⁹]|\(注\d*\)|注\d*|\(\*\))$")
_ANNOTATED = re.compile(rf"^(?P<num>\d+)\s*{_UNIT}?\s*\((?P<note>[^()]*)\)$")
NA_VALUES = frozenset({"/", "—", "——", "-", "--", "–", "―", "─", "无", "空", "×", "x", "X", "\\", "-/-", "—/—"})
_NA_RE = re.compile(r"^[/／\-—–―─－]{1,3}$")
_DASH_CHARS = "-—–―─－−"


@dataclass(frozen=True)
class Cell:
    value: int | float | None
    marker: str | None = None  # None | blank | na_dash | signed | footnote | annotated | non_integer_count | unparsed | money
    raw: str = ""
    unit: str | None = None

    @property
    def is_number(self) -> bool:
        return self.value is not None


def norm_cell(raw: str | None) -> str:
    """NFKC, NBSP/zero-width removed, inner whitespace collapsed to single spaces, stripped."""
    if raw and raw.isascii():
        s = raw.strip()
        if s.isdigit() or not s:
            return s
    return re.sub(r"\s+", " ", clean(raw or "")).strip()


_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})+$")


def _unspace(t: str) -> str | None:
    """Remove spaces inside a cell only for digit grouping ('1 234'); '10 10' or '0 0 0' are
    several numbers in one cell and must not become one (None)."""
    if " " not in t:
        return t
    if _GROUPED.match(t):
        return t.replace(" ", "")
    parts = t.split(" ")
    if len(parts) > 1 and sum(1 for p in parts if re.search(r"\d", p)) > 1:
        return None
    return t.replace(" ", "")


@lru_cache(maxsize=65536)
def looks_like_value(text: str) -> bool:
    """True when a (normalised, non-empty) token/cell is a table value rather than a label."""
    t = text.strip()
    if not t:
        return False
    if t.isdigit() and t.isascii():
        return True
    if t in NA_VALUES or _NA_RE.match(t):
        return True
    t2 = _unspace(t)
    if t2 is None:
        return False
    return bool(_INT.match(t2) or _DEC.match(t2) or _SIGNED.match(t2) or _FOOTNOTE.match(t2) or _ANNOTATED.match(t2))


def parse_count(raw: str, *, signed: bool = False) -> Cell:
    """A count cell (T2 counts, T3, T4)."""
    t = norm_cell(raw)
    if not t:
        return Cell(None, "blank", raw or "")
    if t.isdigit() and t.isascii():
        return Cell(int(t), None, t)
    if t in NA_VALUES or _NA_RE.match(t):
        return Cell(None, "na_dash", t)
    c = _unspace(t)
    if c is None:
        return Cell(None, "merged_cell", t)
    m = _INT.match(c)
    if m:
        num = int(m.group("num").replace(",", "").replace("，", ""))
        marker = "non_integer_count" if "." in c else None
        return Cell(num, marker, t)
    m = _SIGNED.match(c)
    if m:
        sign = -1 if m.group("sign") in ("-", "−", "－", "减少", "减") else 1
        return Cell(sign * int(m.group("num")), "signed", t)
    m = _FOOTNOTE.match(c)
    if m:
        return Cell(int(m.group("num")), "footnote", t)
    m = _ANNOTATED.match(c)
    if m:
        return Cell(int(m.group("num")), "annotated", t)
    m = _DEC.match(c)
    if m and "." in m.group("num"):
        num = float(m.group("num").replace(",", "").replace("，", ""))
        if num == int(num):
            return Cell(int(num), "non_integer_count", t)
    return Cell(None, "unparsed", t)


def parse_money(raw: str, *, header_unit: str | None, convert_yuan_to_wan: bool) -> Cell:
    """A money cell. V2021 收费金额 is in 万元 (convert only a cell that says 元); V2019 采购总金额 is kept as printed."""
    t = norm_cell(raw)
    if not t:
        return Cell(None, "blank", raw or "")
    if t in NA_VALUES or _NA_RE.match(t):
        return Cell(None, "na_dash", t)
    c = _unspace(t)
    if c is None:
        return Cell(None, "merged_cell", t)
    m = _DEC.match(c)
    if not m:
        fm = _FOOTNOTE.match(c) or _ANNOTATED.match(c)
        if fm:
            return Cell(int(fm.group("num")), "footnote", t, unit=header_unit)
        return Cell(None, "unparsed", t)
    num_s = m.group("num").replace(",", "").replace("，", "")
    num: int | float = float(num_s) if "." in num_s else int(num_s)
    unit = m.group("unit")
    if convert_yuan_to_wan and (unit or header_unit) == "元":  # unit from the cell, else the header
        return Cell(round(float(num) / 10000, 6), "money", t, unit="万元")
    if unit:
        return Cell(num, "money", t, unit=unit)
    return Cell(num, None, t, unit=header_unit)


def split_numbers_in_cell(text: str) -> list[str] | None:
    """'0 0 0' → ['0','0','0'] (several numbers in one cell); None if it is not such a cell."""
    parts = text.split()
    if len(parts) > 1 and all(looks_like_value(p) for p in parts):
        return parts
    return None


def is_dash(text: str) -> bool:
    return bool(text) and all(ch in _DASH_CHARS for ch in text)
