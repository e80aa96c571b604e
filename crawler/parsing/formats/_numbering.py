"""Word automatic list numbering (w:numPr) rendered as text, as Word prints it.

Reports written in Word often number their headings automatically ("一、总体情况" is the text
"总体情况" plus list level text "%1、" in chineseCounting): without the label the section finder and
the table reader would not see "一、" / "（一）". Supported formats: decimal, Chinese counting
(一二三 …, also 壹贰叁 legal), enclosed/circled digits, letters, roman numerals; anything else
falls back to decimal.
"""
from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"


def _chinese(n: int, digits: str = _CN) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        ten = "十" if digits is _CN else "拾"
        return ("" if tens == 1 and digits is _CN else digits[tens]) + ten + (digits[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += s
            n -= v
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographTraditional"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("decimalEnclosedParen",):
        return f"({n})"
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman") and n >= 1:
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """Counters per list; `label(paragraph)` gives the printed label or ""."""

    def __init__(self, numbering_xml_root=None, style_numpr: dict | None = None) -> None:
        self.style_numpr = style_numpr or {}  # paragraph styleId -> w:numPr of the style
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        if numbering_xml_root is None:
            return
        abstract = {}
        for an in numbering_xml_root.iter(W + "abstractNum"):
            abstract[an.get(W + "abstractNumId")] = self._levels(an)
        for num in numbering_xml_root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is None:
                continue
            lv = dict(abstract.get(ref.get(W + "val"), {}))
            for ov in num.iter(W + "lvlOverride"):
                ilvl = int(ov.get(W + "ilvl") or 0)
                start = ov.find(W + "startOverride")
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    lv.update(self._levels_from([lvl]))
                elif start is not None and ilvl in lv:
                    f, t, _ = lv[ilvl]
                    lv[ilvl] = (f, t, int(start.get(W + "val") or 1))
            self.levels[num.get(W + "numId")] = lv

    def _levels(self, an) -> dict[int, tuple[str, str, int]]:
        return self._levels_from(an.findall(W + "lvl"))

    @staticmethod
    def _levels_from(lvls) -> dict[int, tuple[str, str, int]]:
        out = {}
        for lvl in lvls:
            ilvl = int(lvl.get(W + "ilvl") or 0)
            fmt = lvl.find(W + "numFmt")
            text = lvl.find(W + "lvlText")
            start = lvl.find(W + "start")
            out[ilvl] = (fmt.get(W + "val") if fmt is not None else "decimal",
                         text.get(W + "val") if text is not None else "",
                         int(start.get(W + "val")) if start is not None and start.get(W + "val") else 1)
        return out

    def label(self, p) -> str:
        ppr = p.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        if numpr is None and ppr is not None:
            style = ppr.find(W + "pStyle")
            numpr = self.style_numpr.get(style.get(W + "val")) if style is not None else None
        if numpr is None:
            return ""
        nid = numpr.find(W + "numId")
        ilv = numpr.find(W + "ilvl")
        num_id = nid.get(W + "val") if nid is not None else None
        try:
            ilvl = int(ilv.get(W + "val") or 0) if ilv is not None else 0
        except ValueError:
            return ""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new item restarts the sub-levels
        out = text
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in out:
                f, _, st = levels.get(k, ("decimal", "", 1))
                out = out.replace(f"%{k + 1}", format_number(counters.get(k, st), f))
        return out
