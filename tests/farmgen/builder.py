"""GenBuilder: tests.farm's FarmBuilder plus report *rows* (a logical report and every URL where it
may be found: its page, county copies, its attachments) for the dedup answer key."""
from __future__ import annotations

import json

from tests.farm.builder import FarmBuilder

class GenBuilder(FarmBuilder):
    def __init__(self, root):
        super().__init__(root)
        self.rows: list[dict] = []
        self.portal_info: list[dict] = []
        self.decoy_pages: list[str] = []       # decoys behind report-like link texts: may be fetched, never exported
        self.pdf = False                       # attachments may be PDFs (converted at finish, LibreOffice)
        self.pending_pdf: dict[str, bytes] = {}  # site path of a .pdf → the DOCX it is converted from

    def attachment(self, stem: str, docx: bytes, rng) -> str:
        """Write a report attachment: DOCX, or (when self.pdf) sometimes a PDF converted from it."""
        if self.pdf and rng.random() < 0.5:
            self.pending_pdf[stem + ".pdf"] = docx
            return stem + ".pdf"
        return self.write(stem + ".docx", docx)

    def _convert_pdfs(self) -> None:
        if not self.pending_pdf:
            return
        from tests.attachment_builders.convert import lo_convert_many
        names = {f"a{i}.docx": path for i, path in enumerate(self.pending_pdf)}
        out = lo_convert_many({n: self.pending_pdf[p] for n, p in names.items()}, "pdf")
        for n, path in names.items():
            self.write(path, out[n[:-5]])

    def put(self, path: str, content: str | bytes, content_type: str = "text/html; charset=utf-8",
            method: str | None = None) -> str:
        """Write a page at a site path that may carry a query string (served through a route; with
        `method`, for that HTTP method only — the GET of an ASP.NET page whose POSTs page it)."""
        if "?" not in path:
            return self.write(path, content)
        p, q = path.split("?", 1)
        query = dict(kv.split("=", 1) for kv in q.split("&"))
        f = self.write(f"/_q/{self.uid()}.html", content).lstrip("/")
        self.route(path=p, query=query, content_type=content_type, file=f, **({"method": method} if method else {}))
        return path

    def add_row(self, urls: list[str], *, title: str, organ: str, year: int, kind: str, portal: str) -> None:
        """urls: every URL (with origin placeholders) at which this one report may be found."""
        for u in urls:
            self.report(u)
        self.rows.append({"urls": list(urls), "title": title, "organ": organ, "year": year, "kind": kind, "portal": portal})

    def finish_gen(self, meta: dict) -> dict:
        self._convert_pdfs()
        answer = self.finish(robots="User-agent: *\nDisallow: /private/\n")
        answer.update(meta)
        answer["rows"] = self.rows
        answer["expected_rows"] = len(self.rows)   # distinct reports: the exported row count of a perfect crawl
        answer["decoy_pages"] = sorted(set(self.decoy_pages))
        answer["portal_plans"] = self.portal_info
        (self.root / "_answer.json").write_text(json.dumps(answer, ensure_ascii=False, indent=1), "utf-8")
        return answer
