"""Resource guards shared by the attachment converters (PDF, DOCX, DOC/WPS, OFD).

* size cap on the raw bytes (`check_size`),
* a per-document deadline (`Deadline`): converters call `check()` between pages/blocks, and
  `limited()` also interrupts a single pathological step (e.g. one page whose content stream
  makes pdfminer loop) in the main thread (SIGALRM) and in worker threads (async exception),
* zip-bomb checks on container formats (`check_zip`) before any member is decompressed,
* `run_tool`: an external converter in its own process group, killed with the group on timeout.

Limits are module attributes with defaults; the crawl passes its settings
(GOVREPORTS_ATTACHMENT_MAX_BYTES, GOVREPORTS_ATTACHMENT_TIME_LIMIT) to `configure` in the child
process that parses (crawler/sandbox.py). No environment is read here.
"""
from __future__ import annotations

import io
import os
import signal
import subprocess
import threading
import time
import zipfile
import zlib
from contextlib import contextmanager

from ..document import ConversionError

MAX_BYTES = 64 * 1024 * 1024  # raw attachment size cap (the crawl's GOVREPORTS_ATTACHMENT_MAX_BYTES)
TIME_LIMIT = 60.0  # seconds per document (GOVREPORTS_ATTACHMENT_TIME_LIMIT)
MAX_PAGES = 300  # PDF/OFD pages read; the rest are dropped with a warning
ZIP_MAX_TOTAL = 200 * 1024 * 1024  # total uncompressed bytes of a DOCX/OFD container
ZIP_MAX_MEMBER = 100 * 1024 * 1024  # one uncompressed member
ZIP_MAX_RATIO = 200  # uncompressed / compressed for any member over 1 MiB
ZIP_MAX_MEMBERS = 10_000


def configure(max_bytes: int | None = None, time_limit: float | None = None) -> None:
    """Set this process's limits (the parse child calls it with the crawl's settings)."""
    global MAX_BYTES, TIME_LIMIT
    if max_bytes:
        MAX_BYTES = int(max_bytes)
    if time_limit:
        TIME_LIMIT = float(time_limit)


def check_size(data: bytes, kind: str) -> None:
    if len(data) > MAX_BYTES:
        raise ConversionError("file_too_large",
                              f"{kind} is {len(data)} bytes, over the {MAX_BYTES}-byte cap")


class Deadline:
    """Cooperative per-document time limit; see `time_limit` for the hard interrupt."""

    def __init__(self, seconds: float | None = None, what: str = "document"):
        self.seconds = TIME_LIMIT if seconds is None else seconds
        self.what = what
        self.end = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self, where: str = "") -> None:
        if time.monotonic() > self.end:
            raise self.error(where)

    def error(self, where: str = "") -> ConversionError:
        at = f" (at {where})" if where else ""
        return ConversionError("time_limit", f"{self.what} conversion exceeded {self.seconds:g} s{at}")


class _Alarm(BaseException):
    """Raised into the converting code at the deadline; BaseException so `except Exception` in a
    library cannot swallow it."""


def limited(deadline: Deadline, fn, *args):
    """Run `fn(*args)`, interrupting it at the deadline → ConversionError("time_limit").

    Main thread: a SIGALRM timer (when no one else uses SIGALRM). Other threads (the crawl parses
    in a worker thread): a timer thread raises `_Alarm` asynchronously in the converting thread
    (CPython's PyThreadState_SetAsyncExc), delivered at its next bytecode: pdfminer and the
    converters are pure Python, so a page that loops forever is stopped. The cooperative
    `deadline.check()` calls between pages apply everywhere.
    """
    try:
        if threading.current_thread() is threading.main_thread():
            with time_limit(deadline):
                return fn(*args)
        return _with_async_alarm(deadline, fn, *args)
    except _Alarm:
        raise deadline.error() from None


def _with_async_alarm(deadline: Deadline, fn, *args):
    import ctypes
    tid = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, ctypes.py_object(_Alarm))

    timer = threading.Timer(max(deadline.remaining(), 0.001), fire)
    timer.daemon = True
    timer.start()
    try:
        return fn(*args)
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["fired"]:  # not delivered yet: clear it so it cannot hit the caller later
            ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, None)
            raise _Alarm()


@contextmanager
def time_limit(deadline: Deadline):
    """Hard stop at the deadline via SIGALRM, in the main thread with no other SIGALRM user;
    elsewhere only the cooperative `deadline.check()` calls apply (use `limited`)."""
    usable = (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
              and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not usable:
        yield deadline
        return

    def _handler(signum, frame):
        raise _Alarm()

    previous = signal.signal(signal.SIGALRM, _handler)
    signal.setitimer(signal.ITIMER_REAL, max(deadline.remaining(), 0.001))
    try:
        yield deadline
    except _Alarm:
        raise deadline.error() from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open a zip container after checking every member's declared sizes (zip-bomb guard).

    Declared sizes can lie; `read_member` re-checks while decompressing.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except zipfile.BadZipFile as exc:
        code = "truncated_file" if b"PK\x05\x06" not in data[-66000:] else "corrupt_file"
        raise ConversionError(code, f"{kind} container cannot be opened: {exc}") from None
    if len(infos) > ZIP_MAX_MEMBERS:
        raise ConversionError("zip_bomb", f"{kind} has {len(infos)} members")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > ZIP_MAX_MEMBER:
            raise ConversionError("zip_bomb", f"{kind} member {info.filename} expands to {info.file_size} bytes")
        if info.file_size > 1 << 20 and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise ConversionError("zip_bomb", f"{kind} member {info.filename} has compression ratio "
                                  f"{info.file_size // max(info.compress_size, 1)}:1")
    if total > ZIP_MAX_TOTAL:
        raise ConversionError("zip_bomb", f"{kind} expands to {total} bytes, over the {ZIP_MAX_TOTAL}-byte cap")
    return z


def read_member(z: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """Read one member, never more than its declared size + 1 byte, nor the member cap."""
    info = z.getinfo(name)
    limit = min(info.file_size, ZIP_MAX_MEMBER)
    try:
        with z.open(info) as fh:
            out = fh.read(limit + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:  # CRC/deflate/truncation
        raise ConversionError("corrupt_file", f"{kind} member {name} cannot be read: {exc}") from None
    if len(out) > limit:
        raise ConversionError("zip_bomb", f"{kind} member {name} expands past its declared size")
    return out


def run_tool(args: list[str], timeout: float, cwd: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run an external converter in its own process group; kill the whole group on timeout."""
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=max(timeout, 0.1))
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise ConversionError("time_limit", f"{os.path.basename(args[0])} did not finish within {timeout:g} s") from None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)
