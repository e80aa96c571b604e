"""Parse documents in a separate worker process with an address-space limit and a time limit.

A decompression bomb (a DOCX whose XML expands to gigabytes, sizes forged past the zip checks),
a PDF that makes pdfminer allocate without bound, a converter stuck in C code: none of these can
take the crawl down, because the crawl process never parses. `Worker` keeps one child interpreter
(``python -m crawler.sandbox``, a fresh process: no fork of the threaded crawl) that imports the
parser, then sets ``RLIMIT_AS`` on itself to what it uses plus ``GOVREPORTS_PARSE_MEMORY_MB``
before reading any document, then parses
documents sent over a private pipe. The parent kills it at the wall-clock limit (the parser's own
``GOVREPORTS_ATTACHMENT_TIME_LIMIT`` + a grace). A child that runs out of memory or dies answers
``resource_limit``; one killed at the deadline ``time_limit``; a new child takes the next document.
The child is also replaced every `MAX_TASKS` documents, so a fragmented heap does not grow.
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass

GRACE_SECONDS = 15.0
MAX_TASKS = 2000  # a child parsing farm and seed documents stays at ~55 MB RSS over 4,000 (benchmarks/README.md)
NEAR_LIMIT = 64 * 1024 * 1024
START_SECONDS = 120.0
_HEADER = struct.Struct("!Q")
_OOM_MARKERS = ("MemoryError", "Memory allocation failed", "Cannot allocate memory", "out of memory")


@dataclass(frozen=True)
class Limits:
    memory_bytes: int | None = 1024 * 1024 * 1024
    time_limit: float = 60.0          # the parser's own per-document limit (formats/_guard.py)
    max_bytes: int | None = None      # the parser's file_too_large cap (None: keep its default)
    grace: float = GRACE_SECONDS      # beyond time_limit before the child is killed

    @property
    def wall_seconds(self) -> float:
        return self.time_limit + self.grace


class WorkerDied(Exception):
    pass


def _write(fd: int, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, left = [], n
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise WorkerDied
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read(fd: int, deadline: float | None = None):
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exact(fd, size, deadline))


class Worker:
    """One resource-limited parse child, restarted when it dies, hangs or has served MAX_TASKS."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.proc = None
        self.tasks = 0

    def _start(self) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        args = [sys.executable, "-m", "crawler.sandbox", str(to_child_r), str(from_child_w),
                str(self.limits.memory_bytes or 0), repr(self.limits.time_limit), str(self.limits.max_bytes or 0)]
        # the child sees the parent's import path (an egg deployed to scrapyd, a test's sys.path)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.proc = subprocess.Popen(args, pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
                                     start_new_session=True, env=env)
        os.close(to_child_r)
        os.close(from_child_w)
        self.send_fd, self.recv_fd = to_child_w, from_child_r
        self.tasks = 0
        try:
            _read(self.recv_fd, time.monotonic() + START_SECONDS)  # "ready": the parser is imported
        except (TimeoutError, WorkerDied, EOFError, OSError, pickle.UnpicklingError):
            code = self.proc.poll()
            self.stop()
            raise WorkerDied(f"the parse worker did not start ({_exit_reason(code)})") from None

    def stop(self) -> None:
        if self.proc is None:
            return
        for fd in (self.send_fd, self.recv_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        self.proc = None

    def parse(self, body: bytes, url: str, content_type: str | None,
              link_text: str | None = None) -> tuple[str, object]:
        """("ok", record) or (problem code, detail): resource_limit, time_limit or parser_error."""
        if self.proc is None or self.proc.poll() is not None or self.tasks >= MAX_TASKS:
            self.stop()
            try:
                self._start()
            except WorkerDied as exc:
                return "parser_error", str(exc)
        self.tasks += 1
        try:
            _write(self.send_fd, (body, url, content_type, link_text))
            kind, payload, retiring = _read(self.recv_fd, time.monotonic() + self.limits.wall_seconds)
        except TimeoutError:
            self.stop()
            return "time_limit", f"the parser did not finish within {self.limits.wall_seconds:g} s (process killed)"
        except (WorkerDied, BrokenPipeError, OSError, EOFError, pickle.UnpicklingError):
            code = self.proc.wait() if self.proc is not None else None
            self.stop()
            return "resource_limit", f"the parser process died ({_exit_reason(code)}; memory limit {self.limits.memory_bytes} bytes)"
        if retiring:
            self.stop()
        return kind, payload


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "unknown"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def _vm_peak() -> int:
    """Peak address space of this process (bytes): what RLIMIT_AS bounds."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) * 1024
    return 0


def _hit_limit(limit: int) -> bool:
    return bool(limit) and _vm_peak() >= limit - NEAR_LIMIT


def _failed(record: dict) -> bool:
    return record.get("status") == "failed"


def _names_oom(record: dict) -> bool:
    text = " ".join(str(p.get("detail") or "") for p in record.get("problems") or [])
    return any(m in text for m in _OOM_MARKERS)


def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _serve(recv_fd: int, send_fd: int, memory_bytes: int, time_limit: float, max_bytes: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the crawl's Ctrl-C is for the crawl
    from crawler.parsing import parse_document
    from crawler.parsing.formats import _guard
    _guard.configure(max_bytes=max_bytes or None, time_limit=time_limit)
    limit = 0
    if memory_bytes:  # headroom beyond the loaded parser: the limit is for documents
        limit = _address_space() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _write(send_fd, ("ready",))
    oom = ("resource_limit", f"the parser ran out of memory (limit {memory_bytes} bytes above the parser's own)")
    while True:
        try:
            body, url, content_type, link_text = _read(recv_fd)
        except (WorkerDied, EOFError):
            return
        try:
            record = parse_document(body, url, content_type=content_type, link_text=link_text)
            del body
            # libxml2 reports a failed allocation as "unknown error": the peak address space tells
            answer = oom if _failed(record) and (_names_oom(record) or _hit_limit(limit)) else ("ok", record)
        except MemoryError:
            answer = oom
        except Exception as exc:  # noqa: BLE001 - the parent gets one answer whatever happened
            answer = ("parser_error", f"{type(exc).__name__}: {exc}"[:300])
        record = body = None
        retiring = answer is oom or _hit_limit(limit)  # a child that came near its limit is not reused
        _write(send_fd, (*answer, retiring))
        if retiring:
            return


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
