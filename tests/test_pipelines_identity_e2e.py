"""Identity end to end: `scrapy crawl` over three small portals served on 127.0.0.1.

- 米易县 (county, region 510421): a 年报 column with two townships' reports written from one
  template (identical body: all-zero tables, boilerplate; different title, organ, 索引号), a
  county copy of 得石镇's report (short title, its DOCX attached), and a report naming no unit;
- 得石镇 (township sub-site, region 510421101): 得石镇's own report;
- 盐边县 (another county, no region code given): a report naming no unit whose body is identical
  to 米易县's unit-less report.

Expected rows: 甲镇, 乙镇, 得石镇 (its page, the county copy and the DOCX), and the two unit-less
reports, one per portal: 5 rows, every document URL in exactly one of them. (`_wap` twins are
folded onto their page by the spider; their merge is tested in test_pipelines_identity.py.)
"""
from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.pipeline_site.site import Site, _docx, links, page, seed_text
from tests.test_feeds_e2e import REPO, jsonl, runs

INDEX = {"甲镇": "11510421MB1534267X/2024-00011", "乙镇": "11510421MB1827395Y/2024-00012"}


def template_body(variant: str = "") -> str:
    """Seed 004 with the unit's own names taken out: what a county's template leaves the towns."""
    lines = [ln for ln in seed_text("004").splitlines() if ln.strip() and "年政府信息公开工作年度报告" not in ln]
    text = "\n".join(lines)
    for name in ("攀枝花市米易县得石镇人民政府", "米易县得石镇人民政府", "米易县得石镇", "得石镇"):
        text = text.replace(name, "" if name.endswith("人民政府") else "我镇")
    if variant:
        assert "165 条" in text
        text = text.replace("165 条", variant)
    return text


def article(title: str, text: str, meta: str = "", extra: str = "") -> str:
    paras = "".join(f"<p>{html.escape(ln)}</p>" for ln in text.splitlines() if ln.strip())
    return page(title, f"<div class=\"meta\">{html.escape(meta)}</div><div id=\"zoom\">{paras}</div>", extra)


def write(root: Path, rel: str, content: str | bytes) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def portal(root: Path, name: str, column: list[tuple[str, str, str]]) -> None:
    """Home → 政府信息公开 → 年报 column listing `column` [(file, title, html)]."""
    write(root, "index.html", page(f"{name}人民政府", links([("/xxgk/index.html", "政府信息公开")])))
    write(root, "xxgk/index.html", page("政府信息公开", links([("/xxgk/ndbg/index.html", "政府信息公开年报")])))
    for file, _, content in column:
        write(root, f"xxgk/ndbg/{file}", content)
    write(root, "xxgk/ndbg/index.html", page("政府信息公开年报", links(
        [(f"/xxgk/ndbg/{file}", title) for file, title, _ in column])))


def build(root: Path) -> None:
    template, other = template_body(), template_body("98 条")
    county = []
    for file, town in (("t1.html", "甲镇"), ("t2.html", "乙镇")):
        title = f"米易县{town}2023年政府信息公开工作年度报告"
        county.append((file, title, article(title, template, f"索引号：{INDEX[town]} 发布机构：{town}")))
    deshi = "攀枝花市米易县得石镇2023年政府信息公开工作年度报告"
    copy_title = "得石镇2023年政府信息公开工作年度报告"
    county.append(("t3.html", copy_title, article(copy_title, seed_text("004"), "发布机构：米易县人民政府",
                   f"<div>附件：<a href=\"/xxgk/ndbg/P020240116.docx\">{copy_title}.docx</a></div>")))
    write(root / "miyi", "xxgk/ndbg/P020240116.docx", _docx("004"))
    unitless = "2023年政府信息公开工作年度报告"
    county.append(("t4.html", unitless, article(unitless, other)))
    portal(root / "miyi", "米易县", county)
    portal(root / "deshi", "得石镇", [("t1.html", deshi, article(deshi, seed_text("004"), "发布机构：得石镇"))])
    portal(root / "yanbian", "盐边县", [("t9.html", unitless, article(unitless, other))])


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    work = tmp_path_factory.mktemp("identity")
    build(work / "site")
    with Site(work / "site" / "miyi") as miyi, Site(work / "site" / "deshi") as deshi, \
            Site(work / "site" / "yanbian") as yanbian:
        portals = work / "portals.csv"
        portals.write_text(f"url,name,region_code\n{miyi.url},米易县,510421\n{deshi.url},得石镇,510421101\n"
                           f"{yanbian.url},盐边县,\n", "utf-8")
        cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"portals={portals}",
               "-s", f"GOVREPORTS_OUTPUT_DIR={work / 'out'}", "-s", f"GOVREPORTS_STATE_DIR={work / 'state'}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "TELNETCONSOLE_ENABLED=0"]
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        (run,) = runs(work / "out")
        return {"rows": jsonl(run["jsonl"]), "rejects": jsonl(run["rejects"]),
                "urls": {"miyi": miyi.url, "deshi": deshi.url, "yanbian": yanbian.url}}


def documents(row: dict) -> set[str]:
    return {row["document_url"], row["url"], *row["also_at"]}


def test_each_report_is_one_row_and_templates_stay_apart(exported):
    rows, u = exported["rows"], exported["urls"]
    assert exported["rejects"] == []
    got = sorted(sorted(documents(r)) for r in rows)
    m = u["miyi"] + "xxgk/ndbg/"
    want = sorted(sorted(d) for d in (
        {m + "t1.html"},                                                            # 甲镇
        {m + "t2.html"},                                                            # 乙镇: same body, own row
        {u["deshi"] + "xxgk/ndbg/t1.html", m + "t3.html", m + "P020240116.docx"},  # town page, county copy, DOCX
        {m + "t4.html"},                                                            # no unit named, 米易县
        {u["yanbian"] + "xxgk/ndbg/t9.html"},                                       # same body, another county
    ))
    assert got == want
    assert len({r["record_id"] for r in rows}) == 5


def test_kept_apart_templates_say_why(exported):
    by_index = {r["index_no"]: r for r in exported["rows"] if r["index_no"]}
    notes = [p for r in by_index.values() for p in r["problems"] if p["code"] == "kept_apart"]
    assert len(notes) == 1 and "索引号 differs" in notes[0]["detail"]
    assert {r["organ"] for r in by_index.values()} == {"米易县甲镇人民政府", "米易县乙镇人民政府"}
