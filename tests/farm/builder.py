"""FarmBuilder: writes pages, routes and the answer key of a portal farm."""
from __future__ import annotations

import csv
import json
from itertools import cycle
from pathlib import Path

from . import html as H


class FarmBuilder:
    """Paths are site-absolute ("/trs/index.html"); URLs in the answer key keep the server
    placeholders ({{ORIGIN}}, {{ORIGIN1}}) that tests resolve with the running server's origins."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.routes: list[dict] = []
        self.portals: list[dict] = []
        self.reports: list[str] = []           # document URLs the spider must yield (no fetch_problem)
        self.problems: dict[str, list[str]] = {"soft_404": [], "blocked": [], "http_error": [], "robots_disallowed": []}
        self.unit_hints: dict[str, str | None] = {}   # report URL -> the unit the spider must pass along (None: none)
        self.app_shell_details: list[str] = []      # report pages whose article is JSON in a script (rebuilt as HTML)
        self.decoys: list[str] = []            # URLs that must never be requested
        self.pages = 0
        self._seeds = cycle(H.seeds())
        self._n = 0

    def uid(self) -> int:
        self._n += 1
        return self._n

    def seed(self) -> str:
        return next(self._seeds)

    def write(self, path: str, content: str | bytes, encoding: str = "utf-8") -> str:
        p = self.root / path.lstrip("/")
        if p.name == "" or path.endswith("/"):
            p = p / "index.html"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        self.pages += 1
        return path

    def route(self, **r) -> None:
        self.routes.append(r)

    def portal(self, url: str, **meta) -> None:
        self.portals.append({"url": url, **meta})

    def report(self, url: str) -> str:
        self.reports.append(url)
        return url

    def problem(self, code: str, url: str) -> str:
        self.problems.setdefault(code, []).append(url)
        return url

    def decoy(self, path: str, site: str, title: str, kind: str, origin: str = "{{ORIGIN}}") -> str:
        self.write(path, H.decoy_page(site, title, kind))
        self.decoys.append(origin + path)
        return path

    def finish(self, robots: str = "User-agent: *\nDisallow: /trs/private/\n") -> dict:
        (self.root / "_routes.json").write_text(json.dumps(self.routes, ensure_ascii=False, indent=1), "utf-8")
        (self.root / "robots.txt").write_text(robots, "utf-8")
        keys = ["url"] + sorted({k for p in self.portals for k in p if k != "url"})
        with open(self.root / "portals.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=keys)
            w.writeheader()
            w.writerows(self.portals)
        answer = {"reports": sorted(set(self.reports)), "problems": {k: sorted(set(v)) for k, v in self.problems.items()},
                  "decoys": sorted(set(self.decoys)), "portals": [p["url"] for p in self.portals], "pages": self.pages}
        if self.unit_hints:
            answer["unit_hints"] = self.unit_hints
        if self.app_shell_details:
            answer["app_shell_details"] = self.app_shell_details
        (self.root / "_answer.json").write_text(json.dumps(answer, ensure_ascii=False, indent=1), "utf-8")
        return answer
