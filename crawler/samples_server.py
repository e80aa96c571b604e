"""A small threaded HTTP server that serves a portal *farm* directory on 127.0.0.1.

It reproduces what real portals need (portals.md §b, §c4, §e): query-string and POST routes
(`dataproxy.jsp`, `InfoPublic.aspx?page=N`, JSON APIs), redirects (incl. `downfile.jsp` 302 to the
file), soft 404s, charset-less GBK responses, anti-bot statuses and robots.txt.

Farm layout:
  <root>/robots.txt               served at /robots.txt on every port
  <root>/<any path>               static files; a directory serves index.html/index.htm/index.shtml
  <root>/_routes.json             list of special routes, first match wins:
      {"path": "/p/x.jsp", "method": "GET|POST|*", "query": {"k": "v"}, "form": {"k": "v"},
       "status": 200, "file": "p/page2.html" | "body": "…", "location": "/p/file.pdf",
       "content_type": "text/html", "headers": {"X": "y"}}
      and prefix rules {"prefix": "/gbk/", "content_type": "text/html"} (headers for static files)
Placeholders in text bodies: {{ORIGIN}} (this port's origin), {{ORIGIN1}}, {{ORIGIN2}} … (the other
ports), {{MIRROR}} (http://localhost:<port0>, same machine but a different host: out of scope).

    python -m crawler.samples_server samples/portals --ports 2     # prints the origins
"""
from __future__ import annotations

import argparse
import json
import mimetypes
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
_TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
          ".shtml": "text/html; charset=utf-8", ".jsp": "text/html; charset=utf-8",
          ".aspx": "text/html; charset=utf-8", ".json": "application/json; charset=utf-8",
          ".xml": "text/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
          ".pdf": "application/pdf", ".doc": "application/msword", ".wps": "application/vnd.ms-works",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".xls": "application/vnd.ms-excel", ".ofd": "application/ofd"}
NOT_FOUND = "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"


class Farm:
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        rp = self.root / "_routes.json"
        rules = json.loads(rp.read_text("utf-8")) if rp.exists() else []
        self.routes: dict[str, list[dict]] = {}
        for r in rules:
            if "path" in r:
                self.routes.setdefault(r["path"], []).append(r)
        self.prefixes = [r for r in rules if "prefix" in r]
        self.origins: list[str] = []
        self.mirror = ""
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()

    def count(self, key: str) -> None:
        with self._lock:
            self.hits[key] = self.hits.get(key, 0) + 1

    def subst(self, data: bytes, port_index: int) -> bytes:
        if b"{{" not in data:
            return data
        data = data.replace(b"{{ORIGIN}}", self.origins[port_index].encode())
        for i, o in enumerate(self.origins):
            data = data.replace(b"{{ORIGIN%d}}" % i, o.encode())
        return data.replace(b"{{MIRROR}}", self.mirror.encode())

    def match(self, method: str, path: str, query: dict, form: dict) -> dict | None:
        for r in self.routes.get(path, ()):
            if r.get("method", "*") not in ("*", method):
                continue
            if any(query.get(k) != str(v) for k, v in r.get("query", {}).items()):
                continue
            if any(form.get(k) != str(v) for k, v in r.get("form", {}).items()):
                continue
            return r
        return None

    def static(self, path: str) -> Path | None:
        p = (self.root / unquote(path).lstrip("/")).resolve()
        if self.root not in p.parents and p != self.root:
            return None
        if p.is_dir():
            for name in ("index.html", "index.htm", "index.shtml"):
                if (p / name).is_file():
                    return p / name
            return None
        return p if p.is_file() and not p.name.startswith("_") else None

    def content_type(self, path: str, file: Path) -> str:
        for r in self.prefixes:
            if path.startswith(r["prefix"]) and "content_type" in r:
                return r["content_type"]
        return _TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"


def _handler(farm: Farm, port_index: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):  # quiet
            pass

        def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None):
            if any(ctype.startswith(t) for t in _TEXT_TYPES):
                body = farm.subst(body, port_index)
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, farm.subst(v.encode(), port_index).decode())
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _serve(self, method: str):
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            form = {}
            if method == "POST":
                n = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(n).decode("utf-8", "replace"), keep_blank_values=True))
            farm.count(f"{method} {self.headers.get('Host', '')}{self.path}")
            r = farm.match(method, parts.path, query, form)
            if r is not None:
                status = int(r.get("status", 302 if "location" in r else 200))
                headers = dict(r.get("headers", {}))
                if "location" in r:
                    headers["Location"] = r["location"]
                if "file" in r:
                    f = farm.root / r["file"]
                    body = f.read_bytes()
                    ctype = r.get("content_type") or farm.content_type(parts.path, f)
                else:
                    body = r.get("body", "").encode("utf-8")
                    ctype = r.get("content_type", "text/html; charset=utf-8" if body else "")
                if r.get("delay"):
                    time.sleep(float(r["delay"]))
                return self._send(status, body, ctype, headers)
            f = farm.static(parts.path)
            if f is None:
                return self._send(404, NOT_FOUND.encode(), "text/html; charset=utf-8")
            if parts.path.endswith("/") is False and f.name.startswith("index.") and not parts.path.endswith(f.name):
                return self._send(301, b"", "", {"Location": parts.path + "/" + (("?" + parts.query) if parts.query else "")})
            return self._send(200, f.read_bytes(), farm.content_type(parts.path, f))

        def do_GET(self):
            self._serve("GET")

        def do_HEAD(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

    return Handler


class FarmServer:
    """Serve `root` on `ports` ephemeral ports of 127.0.0.1 in daemon threads."""

    def __init__(self, root: str | Path, ports: int = 1, host: str = "127.0.0.1"):
        self.farm = Farm(root)
        self.servers = []
        for i in range(ports):
            srv = ThreadingHTTPServer((host, 0), _handler(self.farm, i))
            srv.daemon_threads = True
            self.servers.append(srv)
        self.farm.origins = [f"http://{host}:{s.server_address[1]}" for s in self.servers]
        self.farm.mirror = f"http://localhost:{self.servers[0].server_address[1]}"
        self._threads = []

    @property
    def origin(self) -> str:
        return self.farm.origins[0]

    @property
    def origins(self) -> list[str]:
        return list(self.farm.origins)

    def start(self) -> "FarmServer":
        for s in self.servers:
            t = threading.Thread(target=s.serve_forever, name=f"farm-{s.server_address[1]}", daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        for s in self.servers:
            s.shutdown()
            s.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root")
    ap.add_argument("--ports", type=int, default=2)
    args = ap.parse_args(argv)
    srv = FarmServer(args.root, args.ports).start()
    print("\n".join(srv.origins), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
