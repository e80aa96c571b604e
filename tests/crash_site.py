"""A county portal with a long queue for the crash tests: N distinct reports on a paged 年报 list.

Every report is the seed-001 report renamed to its own district (its own organ and 索引号, so
its own record_id); every 4th report page also links a DOCX of the same report (the page and
the DOCX merge into one record whose `also_at` names the DOCX). Served over HTTP on 127.0.0.1.
"""
from __future__ import annotations

import html
import io
from pathlib import Path

from tests.fixtures.pipeline_site.site import page, seed_text

PER_PAGE = 8
NAMES = "甲乙丙丁戊己庚辛壬癸"


def district(i: int) -> str:
    return f"{NAMES[i // len(NAMES)]}{NAMES[i % len(NAMES)]}区"


def report_text(i: int) -> str:
    return seed_text("001").replace("山海关区", district(i)).replace("shg58/2024-1525", f"cs{i:02d}/2024-0001")


def docx_bytes(text: str) -> bytes:
    import docx
    doc = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
        else:
            flush()
            doc.add_paragraph(line)
    flush()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_crash_site(root: Path, n_reports: int = 48, fillers_per_page: int = 60,
                     hostile: dict[int, tuple[str, bytes]] | None = None) -> Path:
    """Each list page also links `fillers_per_page` report-titled pages that hold no report (a
    notice): cheap to fetch, and they make Scrapy's requests.seen outgrow its 8 KB write
    buffer, so a killed run leaves fingerprints on disk for requests its lost queue held."""
    def write(rel: str, content: str | bytes) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    write("index.html", page("测试市人民政府", '<a href="/xxgk/index.html">政府信息公开</a>'))
    write("xxgk/index.html", page("政府信息公开", '<a href="/xxgk/ndbg/index.html">政府信息公开年报</a>'))
    items = []
    for i in range(n_reports):
        text = report_text(i)
        title = text.splitlines()[3]
        extra = ""
        if hostile and i in hostile:  # benchmarks/memory_bench.py: a bomb linked as the report's file
            name, data = hostile[i]
            write(f"xxgk/ndbg/{name}", data)
            extra = f'<div class="attach">附件：<a href="/xxgk/ndbg/{name}">{html.escape(title)}{Path(name).suffix}</a></div>'
        elif i % 4 == 0:
            write(f"xxgk/ndbg/P{i:03d}.docx", docx_bytes(text))
            extra = f'<div class="attach">附件：<a href="/xxgk/ndbg/P{i:03d}.docx">{html.escape(title)}.docx</a></div>'
        paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
        write(f"xxgk/ndbg/t{i:03d}.html", page(title, f'<div id="zoom">{paras}</div>', extra))
        items.append((f"/xxgk/ndbg/t{i:03d}.html", title))
    pages = [items[k:k + PER_PAGE] for k in range(0, len(items), PER_PAGE)]
    for n, chunk in enumerate(pages):
        fillers = []
        for f in range(fillers_per_page):
            rel = f"xxgk/ndbg/w{n:02d}_{f:03d}.html"
            write(rel, page("工作通知", "<p>各单位：请按要求做好2023年度相关工作。</p>" * 8))
            fillers.append((f"/{rel}", f"第{n}{f:03d}号单位2023年政府信息公开工作年度报告"))
        body = "<ul>" + "".join(f'<li><a href="{h}">{html.escape(t)}</a> <span>2024-01-23</span></li>'
                                for h, t in chunk + fillers) + "</ul>"
        if n + 1 < len(pages):
            body += f'<div class="pager"><a href="index_{n + 1}.html">下一页</a></div>'
        write("xxgk/ndbg/index.html" if n == 0 else f"xxgk/ndbg/index_{n}.html", page("政府信息公开年报", body))
    return root
