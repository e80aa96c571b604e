"""A county portal that misbehaves, served on 127.0.0.1 for the fault tests (tests/test_faults*.py).

Routes (every request is logged with its arrival time in `FaultServer.log`):

    /                         home → 政府信息公开 → /xxgk/
    /xxgk/                    links the 年报 column /ndbg/list_0.html (and the fault reports)
    /ndbg/list_N.html         an endless list: page N lists report tN and links 下一页 → list_{N+1}
    /ndbg/tN.html             a real report page (seed 001 renamed to district N)
    /loop/a.html ↔ /loop/b.html   a redirect loop behind a report link
    /ndbg/empty.html          a report page whose attachment /files/empty.pdf is 0 bytes
    /ndbg/gone.html           a report page whose attachment /files/gone.pdf is a 404
    /ndbg/busy.html           429 with Retry-After (seconds) on the first request, then the report
    /ndbg/slow.html           a report page whose attachment /files/slow.pdf trickles 1 byte / 0.5 s
    /ndbg/bomb.html           a report page whose attachment /files/bomb.docx is a zip bomb (tests/hostile_docs.py)
    /ndbg/huge.html           a report page whose attachment /files/huge.pdf is 200 MB
"""
from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.crash_site import report_text
from tests.fixtures.pipeline_site.site import page

FAULT_REPORTS = {  # path → (title shown in the column, extra html on the page)
    "/loop/a.html": "循环区2023年政府信息公开工作年度报告",
    "/ndbg/empty.html": "空白区2023年政府信息公开工作年度报告",
    "/ndbg/gone.html": "失效区2023年政府信息公开工作年度报告",
    "/ndbg/busy.html": "繁忙区2023年政府信息公开工作年度报告",
    "/ndbg/slow.html": "缓慢区2023年政府信息公开工作年度报告",
    "/ndbg/bomb.html": "炸弹区2023年政府信息公开工作年度报告",
    "/ndbg/huge.html": "巨大区2023年政府信息公开工作年度报告",
}
ATTACHMENTS = {"/ndbg/empty.html": "/files/empty.pdf", "/ndbg/gone.html": "/files/gone.pdf",
               "/ndbg/slow.html": "/files/slow.pdf", "/ndbg/bomb.html": "/files/bomb.docx",
               "/ndbg/huge.html": "/files/huge.pdf"}
FETCH_FAULTS = ("/loop/a.html", "/ndbg/empty.html", "/ndbg/gone.html", "/ndbg/busy.html", "/ndbg/slow.html")
MEMORY_FAULTS = ("/ndbg/bomb.html", "/ndbg/huge.html")
HUGE_PDF_BYTES = 200 * 1024 * 1024


def _report(i: int, extra: str = "") -> bytes:
    text = report_text(i)
    title = text.splitlines()[3]
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return page(title, f'<div id="zoom">{paras}</div>', extra).encode("utf-8")


def _links(items) -> str:
    return "<ul>" + "".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for h, t in items) + "</ul>"


class FaultServer:
    """ThreadingHTTPServer on an ephemeral 127.0.0.1 port; `faults` picks the fault routes linked."""

    def __init__(self, faults: tuple[str, ...] = (), retry_after: str = "2", endless: bool = True,
                 extra_links: tuple[tuple[str, str], ...] = ()):
        self.log: list[tuple[float, str]] = []
        self.faults = faults
        self.retry_after = retry_after
        self.endless = endless
        self.extra_links = extra_links
        self.busy_hits = 0
        self.told_to_wait_at = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                outer.log.append((time.monotonic(), self.path))
                outer.route(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def hits(self, prefix: str) -> list[str]:
        return [p for _t, p in self.log if p.startswith(prefix)]

    # ------------------------------------------------------------------ routes
    def route(self, h) -> None:
        path = h.path
        if path == "/robots.txt":
            return self.send(h, 404, b"")
        if path in ("/", "/index.html"):
            return self.send(h, 200, page("测试市人民政府", '<a href="/xxgk/">政府信息公开</a>').encode())
        if path == "/xxgk/":
            items = [("/ndbg/list_0.html", "政府信息公开年报")] if self.endless else []
            items += [(p, t) for p, t in FAULT_REPORTS.items() if p in self.faults]
            items += list(self.extra_links)
            return self.send(h, 200, page("政府信息公开", _links(items)).encode())
        if path.startswith("/ndbg/list_"):
            n = int(path[len("/ndbg/list_"):-len(".html")])
            body = _links([(f"/ndbg/t{n}.html", report_text(n % 90).splitlines()[3])])
            body += f'<div class="pager"><a href="/ndbg/list_{n + 1}.html">下一页</a></div>'
            # no 首页 link in the chrome: it reads as a pager link and would take one of the list's pages
            return self.send(h, 200, (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>政府信息公开年报"
                                      f"</title></head><body><h1>政府信息公开年报</h1>{body}</body></html>").encode())
        if path.startswith("/ndbg/t") and path.endswith(".html"):
            return self.send(h, 200, _report(int(path[len("/ndbg/t"):-len(".html")]) % 90))
        return self.fault(h, path)

    def fault(self, h, path: str) -> None:
        if path == "/loop/a.html":
            return self.send(h, 302, b"", [("Location", "/loop/b.html")])
        if path == "/loop/b.html":
            return self.send(h, 302, b"", [("Location", "/loop/a.html")])
        if path == "/ndbg/busy.html":
            self.busy_hits += 1
            if self.busy_hits == 1:
                self.send(h, 429, b"busy", [("Retry-After", self.retry_after)])
                self.told_to_wait_at = time.monotonic()
                return None
            return self.send(h, 200, _report(91))
        if path in ATTACHMENTS:
            att = ATTACHMENTS[path]
            extra = f'<div class="attach">附件：<a href="{att}">{FAULT_REPORTS[path]}.pdf</a></div>'
            return self.send(h, 200, _report(92 + list(ATTACHMENTS).index(path), extra))
        if path == "/files/empty.pdf":
            return self.send(h, 200, b"", [("Content-Type", "application/pdf")])
        if path == "/files/slow.pdf":
            return self.trickle(h)
        if path == "/files/bomb.docx":
            from tests.hostile_docs import zip_bomb_docx
            return self.send(h, 200, zip_bomb_docx(), [("Content-Type", "application/vnd.openxmlformats-"
                                                        "officedocument.wordprocessingml.document")])
        if path == "/files/huge.pdf":
            return self.stream(h, HUGE_PDF_BYTES)
        return self.send(h, 404, b"not found")

    @staticmethod
    def send(h, status: int, body: bytes, headers=()) -> None:
        h.send_response(status)
        ctype = dict(headers).get("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            if k != "Content-Type":
                h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    @staticmethod
    def stream(h, size: int) -> None:
        """A PDF of `size` bytes, written in 1 MB chunks (never held whole by the server)."""
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(size))
        h.end_headers()
        chunk = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
        try:
            for _ in range(size // len(chunk)):
                h.wfile.write(chunk)
        except OSError:
            pass  # the crawler hung up: what a download cap does

    @staticmethod
    def trickle(h) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(10_000_000))
        h.end_headers()
        try:
            h.wfile.write(b"%PDF-1.4\n")
            for _ in range(600):
                time.sleep(0.5)
                h.wfile.write(b" ")
                h.wfile.flush()
        except OSError:
            pass
