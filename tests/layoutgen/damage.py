"""Damage a Report the way real documents are damaged before any extractor sees them.

* `label_typos` — row labels printed with a dropped character, a look-alike character, a stray
  space, or two characters swapped (cells with values are never touched: the truth stays the truth).
* `chrome`      — a breadcrumb / column-name line and the site name above the title (never the title).
The title split over two lines is a rendering option (render.head_lines(split_title=True)).
"""
from __future__ import annotations

import copy
import random

from .model import Report

# characters OCR and hand-typing confuse in these labels
LOOKALIKE = {"公": "分", "开": "幵", "政": "正", "申": "由", "处": "外", "理": "埋", "请": "清", "复": "夏",
             "议": "以", "诉": "拆", "讼": "松", "决": "决", "定": "走", "数": "教", "量": "暈", "息": "思",
             "属": "屬", "于": "干", "其": "具", "他": "地", "无": "天", "法": "去", "提": "堤", "供": "共"}
OPS = ("drop", "lookalike", "space", "swap")


def _typo(text: str, rng: random.Random, ops: tuple[str, ...]) -> str:
    idx = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    if len(idx) < 4:
        return text
    i = rng.choice(idx[1:-1])
    op = rng.choice(ops)
    if op == "drop":
        return text[:i] + text[i + 1:]
    if op == "lookalike" and text[i] in LOOKALIKE:
        return text[:i] + LOOKALIKE[text[i]] + text[i + 1:]
    if op == "swap" and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + " " + text[i:]


def label_typos(rep: Report, rng: random.Random, rate: float = 0.3, ops: tuple[str, ...] = OPS) -> Report:
    out = copy.deepcopy(rep)
    for t in out.tables.values():
        for row in t.rows[t.header_rows:]:
            for cell in row:
                if cell.value_of is None and rng.random() < rate:
                    cell.text = _typo(cell.text, rng, ops)
    return out


BREADCRUMBS = ("首页 > 政府信息公开 > 政府信息公开年报", "当前位置：首页 > 政务公开 > 法定主动公开内容 > 政府信息公开工作年度报告",
               "您当前的位置：首页>>信息公开>>政府信息公开年报>>年度报告目录")


def chrome(rep: Report, rng: random.Random) -> Report:
    out = copy.deepcopy(rep)
    site = rep.organ.replace("人民政府办公室", "人民政府").split("人民政府")[0] + "人民政府门户网站"
    out.breadcrumb = [site, rng.choice(BREADCRUMBS)]
    return out


def merged_cells(rep: Report, rng: random.Random, rate: float = 0.15, tables=None) -> Report:
    """Two neighbouring value cells lose the separator between them (`3 | 1 | 27` → `3 | 127`):
    the first cell carries both texts and the second disappears, so the row is one cell short."""
    out = copy.deepcopy(rep)
    for name in tables or list(out.tables):
        t = out.tables.get(name)
        if t is None:
            continue
        for row in t.rows[t.header_rows:]:
            vals = [i for i, c in enumerate(row) if c.value_of is not None]
            pairs = [(a, b) for a, b in zip(vals, vals[1:]) if b == a + 1]
            if pairs and rng.random() < rate:
                a, b = rng.choice(pairs)
                row[a].text, row[b].text, row[b].dropped = row[a].text + row[b].text, "", True
    return out


META_OPS = ("link_only", "spaced_labels", "meta_row", "meta_pairs", "no_signature", "title_spaces", "site_title_only",
            "title_no_organ")


def metadata(rep: Report, rng: random.Random, ops: tuple[str, ...]) -> Report:
    """Metadata damage real pages carry: the title printed nowhere but in the link the crawler
    followed (`link_only`), letter-spaced labels, the 索引号 block as a table row, no signature
    block (so no written date: its truth becomes null), spaces around the year in the title."""
    out = copy.deepcopy(rep)
    for op in ops:
        if op == "link_only":
            out.print_title, out.link_text = False, rep.title
        elif op == "spaced_labels":
            out.spaced_labels = True
        elif op == "meta_row":
            out.meta_as_row = True
        elif op == "meta_pairs":
            out.meta_as_pairs = True
        elif op == "no_signature" and rep.blocks is None:  # a fixture page keeps its own signature
            out.meta["written_date"] = None
            out.truth["written_date"] = None
        elif op == "title_spaces":
            out.title_spaced = True
        elif op == "site_title_only":  # only the page's <title> names the report, with the site's name after it
            out.print_title = False
            out.page_title = f"{rep.title}_{rep.organ.replace('人民政府', '')}人民政府门户网站"
        elif op == "title_no_organ" and rep.meta.get("written_date") and rep.blocks is None:
            # '2023年政府信息公开工作年度报告' printed alone; the signed organ is the issuer
            out.printed_title = out.truth["title"] = f"{rep.year}年政府信息公开工作年度报告"
            out.title = out.printed_title
    return out


def fullwidth_digits(rep: Report, rng: random.Random, rate: float = 0.5) -> Report:
    """Values typed with full-width digits ('１２'), as Word documents set in a CJK font often are."""
    out = copy.deepcopy(rep)
    table = str.maketrans("0123456789.", "０１２３４５６７８９．")
    for t in out.tables.values():
        for row in t.rows:
            for cell in row:
                if cell.value_of is not None and rng.random() < rate:
                    cell.text = cell.text.translate(table)
    return out


def blank_cells(rep: Report, rng: random.Random, rate: float = 0.1) -> Report:
    """Value cells printed empty (offices leave zeros out): the truth of such a cell is null, and a
    PDF/text extraction drops the blank, so the row's values no longer line up with its columns."""
    out = copy.deepcopy(rep)
    for t in out.tables.values():
        for row in t.rows:
            for cell in row:
                # fixture-page cells ('?') have no truth key to blank: left as printed
                if cell.value_of not in (None, ("?", "?")) and cell.text and rng.random() < rate:
                    cell.text = ""
                    key, col = cell.value_of
                    out.truth[t.name]["rows"][key][col] = None
    return out
