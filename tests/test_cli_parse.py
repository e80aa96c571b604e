"""`python -m crawler.parsing FILES_OR_DIRS… --csv/--jsonl` through the real command line (issue 11)."""
import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import schema
from crawler.csvrow import write_csv
from crawler.exporters import ReportCsvExporter

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "fixtures" / "seeds"
ATTACH = REPO / "tests" / "fixtures" / "attachments"


def parse_cli(*args):
    return subprocess.run([sys.executable, "-m", "crawler.parsing", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_a_folder_becomes_a_csv_with_the_feed_columns(tmp_path):
    folder = tmp_path / "downloads"
    (folder / "sub").mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    for s in seeds:
        shutil.copy(s, folder / s.name)
    shutil.copy(ATTACH / "corrupt.docx", folder / "sub" / "corrupt.docx")
    (folder / ".hidden.txt").write_text("not read", "utf-8")
    out_csv, out_jsonl = tmp_path / "out" / "reports.csv", tmp_path / "out" / "reports.jsonl"
    proc = parse_cli(folder, "--csv", out_csv, "--jsonl", out_jsonl)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(ln) for ln in out_jsonl.read_text("utf-8").splitlines()]
    assert [Path(r["document_url"]).name for r in records] == [s.name for s in seeds] + ["corrupt.docx"]
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(schema.FIELDS)
    assert [r["status"] for r in rows] == [r["status"] for r in records]
    assert rows[2]["status"] == "failed" and rows[2]["problems"] == "corrupt_file"
    from crawler.identity import record_id
    for row, rec in zip(rows, records):
        assert row["title"] == (rec["title"] or "") and row["report_year"] == str(rec["report_year"] or "")
        assert row["record_id"] == rec["record_id"] == record_id(rec)  # the crawl's id for the document
    assert len({r["record_id"] for r in rows}) == 3
    counts = {s: sum(r["status"] == s for r in records) for s in ("complete", "inconsistent", "partial")}
    assert f"3 file(s): complete {counts['complete']}, inconsistent {counts['inconsistent']}" in proc.stderr


def test_csv_is_byte_identical_to_the_crawl_feed_exporter(tmp_path):
    records = [json.loads(ln) for ln in parse_cli(*sorted(SEEDS.glob("*.txt"))).stdout.splitlines()]
    assert len(records) == len(list(SEEDS.glob("*.txt")))
    write_csv(tmp_path / "cli.csv", records)
    buf = io.BytesIO()
    exporter = ReportCsvExporter(buf)
    exporter.start_exporting()
    for rec in records:
        exporter.export_item(rec)
    exporter.finish_exporting()
    assert (tmp_path / "cli.csv").read_bytes() == buf.getvalue()


def test_missing_path_is_one_line_and_exit_2(tmp_path):
    proc = parse_cli(tmp_path / "missing.pdf")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == f"error: {tmp_path / 'missing.pdf'}: no such file or directory"


def test_empty_directory_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = parse_cli(tmp_path / "empty", "--csv", tmp_path / "x.csv")
    assert proc.returncode == 2 and not (tmp_path / "x.csv").exists()
    assert proc.stderr.strip() == f"error: {tmp_path / 'empty'}: directory holds no files"


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_unreadable_file_is_a_failed_record_and_exit_1():
    # /proc/self/mem exists but reading it from offset 0 fails with EIO (permissions do not stop root)
    proc = parse_cli("/proc/self/mem")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: /proc/self/mem: cannot be read (Input/output error: /proc/self/mem)"
    rec = json.loads(proc.stdout)
    assert rec["status"] == "failed" and rec["problems"][0]["code"] == "file_unreadable"


def test_output_that_cannot_be_written_is_one_line(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[1]
    (tmp_path / "out.csv").mkdir()  # a directory where the CSV should go
    proc = parse_cli(seed, "--csv", tmp_path / "out.csv")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"error: {tmp_path / 'out.csv'}: cannot be written (Is a directory)"


def test_progress_bar_only_on_a_terminal(tmp_path):
    import os
    import pty
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "crawler.parsing", *map(str, seeds), "--jsonl",
                               str(tmp_path / "out.jsonl")], cwd=REPO, stdout=subprocess.DEVNULL, stderr=slave,
                              timeout=300)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    tty_text = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "\r[" + "#" * 30 + "] 3/3" in tty_text and "\r[" + "." * 30 + "] 0/3 " in tty_text
    piped = parse_cli(*seeds, "--jsonl", tmp_path / "out2.jsonl")
    assert "[" not in piped.stderr and piped.stderr.startswith("3 file(s): ")


def test_limits_as_arguments(tmp_path):
    proc = parse_cli(ATTACH / "truncated.pdf", "--max-bytes", "1000")
    rec = json.loads(proc.stdout)
    assert rec["problems"][0]["code"] == "file_too_large"
    assert rec["problems"][0]["detail"] == f"PDF is {(ATTACH / 'truncated.pdf').stat().st_size} bytes, over the 1000-byte cap"
    proc = parse_cli(ATTACH / "truncated.pdf", "--time-limit", "0")
    assert proc.returncode == 2 and "must be positive" in proc.stderr
