"""A report as data — metadata, prose, and tables 2–4 as official cell grids — with its truth.

A `Report` is built from a real seed (tests/fixtures/seeds: its title, organ, year, metadata and
prose) and a set of table values: the seed's own truth values, or values drawn under an RNG seed
that satisfy every identity of the format (row total = sum of columns, (七)总计 = sum of the
outcome rows, T3-BAL, T4 totals), so every cell's truth is known by construction.
Renderers (render.py) turn a Report into the text real extractors produce; damage.py spoils it.
"""
from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field

from tests.attachment_builders.layouts import T3_COLS, _t2_2019, _t2_2021, _t3, _t4, load_seed

T4_COLS = ("upheld", "corrected", "other", "pending", "total")
T4_ROWS = ("review", "litigation_direct", "litigation_after_review")
META_FIELDS = ("title", "report_year", "organ", "index_no", "publisher", "written_date", "published_date")
_PLACEHOLDER = re.compile(r"\{(\w+)\.(\w+)\}")


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    value_of: tuple[str, str] | None = None  # (row key, column key) when the cell holds a value
    dropped: bool = False  # the extractor lost this cell entirely (its text went into its neighbour)


@dataclass
class Table:
    name: str  # table2 | table3 | table4
    ncols: int
    rows: list[list[Cell]]
    header_rows: int  # leading rows that are column headers (repeated after a page break)


@dataclass
class Report:
    title: str
    organ: str
    year: int
    meta: dict  # index_no, publisher, written_date, published_date (None = absent from the document)
    sections: dict  # section key -> prose (str) ; tables go after the prose of their section
    tables: dict[str, Table]
    truth: dict  # {"table2": {"format_version", "rows"}, ..., metadata fields}
    name: str = ""
    breadcrumb: list[str] = field(default_factory=list)
    blocks: list | None = None  # ('p', text) / ('table', Table) in page order (HTML-fixture reports)
    link_text: str | None = None  # text of the link a crawler followed to the document (parse hint)
    print_title: bool = True  # False: the document prints no title line (the link text carries it)
    spaced_labels: bool = False  # '索 引 号：' as some templates letter-space their labels
    meta_as_row: bool = False  # the metadata block as a table row: '索引号 | X | 发布机构 | Y'
    meta_as_pairs: bool = False  # <dl><dt>索引号</dt><dd>X</dd>…<dt>信息类别</dt><dd>信息公开工作报告</dd></dl>
    title_spaced: bool = False  # 'XX镇 2023 年政府信息公开工作年度报告' (Word/PDF spacing around the year)
    printed_title: str | None = None  # the title as printed when it differs from rep.title
    page_title: str | None = None  # <title> of the HTML page when it differs from the printed title


SECTION_HEADINGS = (("overview", "一、总体情况"), ("proactive", "二、主动公开政府信息情况"),
                    ("requests", "三、收到和处理政府信息公开申请情况"),
                    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
                    ("problems", "五、存在的主要问题及改进情况"), ("other", "六、其他需要报告的事项"))
TABLE_OF_SECTION = {"proactive": "table2", "requests": "table3", "review_litigation": "table4"}


# ------------------------------------------------------------------ values
def random_values(rng: random.Random, version: str) -> dict:
    """Table values satisfying the format's identities; mostly zeros, some small, a few large."""
    def n(p_zero=0.6, hi=30):
        if rng.random() < p_zero:
            return 0
        return rng.randint(1, hi) if rng.random() < 0.93 else rng.randint(31, 400)

    t3_keys = [c[0] for r in _t3(version)[1] for c in r if c[0].endswith(".total}")]
    keys = [_PLACEHOLDER.fullmatch(k).group(1) for k in t3_keys]
    outcome = [k for k in keys if k not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    t3 = {}
    for k in outcome:
        row = {c: n(0.8 if c != "natural_person" else 0.4, 12) for c in T3_COLS[:-1]}
        t3[k] = row
    t3["total_processed"] = {c: sum(t3[k][c] for k in outcome) for c in T3_COLS[:-1]}
    t3["carried_over"] = {c: rng.randint(0, t3["total_processed"][c]) if rng.random() < 0.3 else 0 for c in T3_COLS[:-1]}
    t3["carried_forward"] = {c: n(0.8, 5) for c in T3_COLS[:-1]}
    t3["new_received"] = {c: t3["total_processed"][c] + t3["carried_forward"][c] - t3["carried_over"][c]
                          for c in T3_COLS[:-1]}
    for row in t3.values():
        row["total"] = sum(row[c] for c in T3_COLS[:-1])
    t4 = {}
    for r in T4_ROWS:
        row = {c: n(0.85, 4) for c in T4_COLS[:-1]}
        row["total"] = sum(row.values())
        t4[r] = row
    if version == "2021":
        t2 = {k: {"issued": n(), "repealed": n(0.8, 5), "in_force": n(0.3, 200)} for k in ("rules", "normative_docs")}
        t2.update({k: {"decisions": n(0.5, 500)} for k in ("licensing", "penalty", "coercion")})
        t2["admin_fees"] = {"amount_wan_yuan": 0 if rng.random() < 0.7 else round(rng.randint(1, 999) / 10, 1)}
    else:
        cols = ("newly_made", "newly_published", "published_total")
        t2 = {k: {c: n() for c in cols} for k in ("rules", "normative_docs")}
        for k in ("licensing", "other_admin_services", "penalty", "coercion"):
            t2[k] = {"items_prev_year": n(0.5, 80), "items_change": n(0.8, 5), "decisions": n(0.5, 500)}
        t2["admin_fees"] = {"items_prev_year": n(0.7, 5), "items_change": 0}
        t2["central_procurement"] = {"projects": n(0.5, 20), "amount": n(0.5, 900), "amount_unit": None}
    return {"table2": {"format_version": version, "rows": t2}, "table3": {"format_version": version, "rows": t3},
            "table4": {"rows": t4}}


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _grid(name: str, layout: tuple[int, list], values: dict, header_rows: int) -> Table:
    ncols, rows = layout
    out = []
    for row in rows:
        cells = []
        for text, cs, rs in row:
            m = _PLACEHOLDER.fullmatch(text)
            if m:
                v = values["rows"][m.group(1)][m.group(2)]
                cells.append(Cell(_fmt(v), cs, rs, (m.group(1), m.group(2))))
            else:
                cells.append(Cell(text, cs, rs))
        out.append(cells)
    return Table(name, ncols, out, header_rows)


def tables_for(values: dict) -> dict[str, Table]:
    v = values["table2"]["format_version"]
    t4_layout = _t4()
    return {"table2": _grid("table2", _t2_2021() if v == "2021" else _t2_2019(), values["table2"], 0),
            "table3": _grid("table3", _t3(v), values["table3"], 3),
            "table4": _grid("table4", t4_layout, values["table4"], 3)}


# ------------------------------------------------------------------ seeds → reports
_PROSE_CACHE: dict[str, dict] = {}


def seed_prose(prefix: str) -> dict:
    """The seed's prose per section, as the parser reads it from the clean seed (prose is not scored)."""
    if prefix not in _PROSE_CACHE:
        from crawler.parsing import parse_document
        text, _truth = load_seed(prefix)
        rec = parse_document(text.encode("utf-8"), f"file:///{prefix}.txt")
        secs = rec.get("sections") or {}
        _PROSE_CACHE[prefix] = {k: _clip(secs.get(k) or "") for k, _ in SECTION_HEADINGS}
    return _PROSE_CACHE[prefix]


def _clip(text: str, limit: int = 600) -> str:
    # tables are rendered from the grids; keep the section's prose paragraphs, without table debris
    paras = [p for p in text.split("\n") if len(p) > 20 and "|" not in p and "\t" not in p]
    out = "\n".join(paras)
    return out[:limit].rsplit("。", 1)[0] + "。" if len(out) > limit else out


SEED_PREFIXES = ("000", "001", "002", "003", "004")


def report_from_seed(prefix: str, draw: int | None) -> Report:
    """Seed `prefix`'s metadata and prose; its own table values (draw None, seeds with tables) or a
    random identity-consistent draw."""
    _text, truth = load_seed(prefix)
    year = truth["report_year"]
    version = "2021" if year >= 2021 else "2019"
    if draw is None and truth.get("table3"):
        values = {t: copy.deepcopy(truth[t]) for t in ("table2", "table3", "table4")}
    else:
        values = random_values(random.Random(f"{prefix}:{draw}"), version)
    meta = {k: truth.get(k) for k in ("index_no", "publisher", "written_date", "published_date")}
    full = dict(values)
    full.update({k: truth.get(k) for k in META_FIELDS})
    full["organ_level"] = truth.get("organ_level")
    return Report(title=truth["title"], organ=truth["organ"], year=year, meta=meta, sections=seed_prose(prefix),
                  tables=tables_for(values), truth=full, name=f"{prefix}/{'truth' if draw is None else draw}")
