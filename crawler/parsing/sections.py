"""Find the six section headings (report-format.md §1) and split the document into sections.

Headings are searched anywhere in a line (whole reports on one line, quirk Q2), on compact text.
A preface that lists all six titles is not taken for the sections: for each section the *last*
candidate before the next section's chosen heading wins, working backwards from 六.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Line
from .normalize import clean, to_simplified
from .spec import SECTIONS

_HEADING_RES = [(s.key, re.compile(s.pattern)) for s in SECTIONS]
# Characters after which a heading may start in running text.
_MAYBE_HEADING = re.compile(r"[一二三四五六1-6]\s*(?:部\s*分)?\s*[、.,:：)．\s]?\s*(?:政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作)?\s*)?[总概基主行收因政存问主不其]")
_BOUNDARY = set("。；;:：!！?？|)）”」】>.,，(（")


@dataclass
class Span:
    key: str
    start: int  # index of the heading line in the split line list
    heading: str


def _compact_map(text: str) -> tuple[str, list[int]]:
    chars, idx = [], []
    for i, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch)
            idx.append(i)
    return "".join(chars), idx


def _simplified(comp: str) -> str:
    s = to_simplified(comp)
    return s if len(s) == len(comp) else comp


def split_at_headings(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str, str]]]:
    """Split paragraph lines so that each heading begins a line.

    Returns the new line list and the heading candidates (line index, section key, heading text).
    """
    out: list[Line] = []
    cands: list[tuple[int, str, str]] = []
    for ln in lines:
        if ln.is_row:
            text = " ".join(c for c in ln.cells if c.strip())
            comp, _ = _compact_map(clean(text))
            comp = _simplified(comp)
            for key, rx in _HEADING_RES:
                m = rx.match(comp)
                if m and len(comp) < len(m.group(0)) + 30:
                    cands.append((len(out), key, m.group(0)))
                    break
            out.append(ln)
            continue
        text = clean(ln.cells[0]) if ln.cells else ""
        if not _MAYBE_HEADING.search(text):
            out.append(Line([text], in_body=ln.in_body))
            continue
        comp, idx = _compact_map(text)
        comp_s = _simplified(comp)
        hits: list[tuple[int, str, str]] = []
        for key, rx in _HEADING_RES:
            for m in rx.finditer(comp_s):
                p = m.start()
                if p == 0 or comp_s[p - 1] in _BOUNDARY or (idx[p] > 0 and text[idx[p] - 1].isspace()):
                    hits.append((p, key, m.group(0)))
        if not hits:
            out.append(Line([text], in_body=ln.in_body))
            continue
        hits.sort()
        # a heading numbered '（二）…' is cut before its opening bracket
        hits = [(p - 1 if p > 0 and comp_s[p - 1] == "(" else p, key, h) for p, key, h in hits]
        cuts = [0] + [idx[p] for p, _, _ in hits if p > 0] + [len(text)]
        starts = {idx[p] if p > 0 else 0: (key, h) for p, key, h in hits}
        for a, b in zip(cuts, cuts[1:]):
            piece = text[a:b].strip()
            if not piece:
                continue
            if a in starts:
                key, h = starts[a]
                cands.append((len(out), key, h))
            out.append(Line([piece], in_body=ln.in_body))
    return out, cands


def choose_headings(cands: list[tuple[int, str, str]]) -> dict[str, tuple[int, str]]:
    """Pick one heading per section, backwards from 六, each before the next chosen one."""
    by_key: dict[str, list[tuple[int, str]]] = {}
    for i, key, h in cands:
        by_key.setdefault(key, []).append((i, h))
    chosen: dict[str, tuple[int, str]] = {}
    bound = None
    for sec in reversed(SECTIONS):
        options = [c for c in by_key.get(sec.key, []) if bound is None or c[0] < bound]
        if not options:
            continue
        pick = options[-1]
        chosen[sec.key] = pick
        bound = pick[0]
    return chosen


def section_spans(n_lines: int, chosen: dict[str, tuple[int, str]]) -> dict[str, tuple[int, int, str]]:
    """section key -> (first line, end line exclusive, heading text)."""
    ordered = sorted((v[0], k, v[1]) for k, v in chosen.items())
    spans = {}
    for j, (start, key, heading) in enumerate(ordered):
        end = ordered[j + 1][0] if j + 1 < len(ordered) else n_lines
        spans[key] = (start, end, heading)
    return spans


def strip_heading(line_text: str, heading: str) -> str:
    """The text of a heading line after the heading itself (one-line reports keep content there)."""
    comp, idx = _compact_map(line_text)
    comp = _simplified(comp)
    if comp.startswith("(") and not heading.startswith("("):
        heading = "(" + heading
    if comp.startswith(heading) and len(heading) <= len(idx):
        cut = idx[len(heading) - 1] + 1
        return line_text[cut:].strip(" ：:.。|")
    return line_text
