"""Fuzz: the parser never raises and always returns a record that keeps the contract (record.md).

Inputs: arbitrary bytes, arbitrary text, text assembled from report vocabulary and markup, and
real reports (seeds, text and HTML fixtures) mangled by truncation, deleted/duplicated lines,
replaced characters and dropped table cells. For every record:
- `status` is one of complete | inconsistent | partial | not_a_report | failed;
- no internal exception was swallowed (`parser_error` would mean the parser crashed inside);
- `complete` ⇒ the three tables are present and every error-severity check passed or was skipped;
- `inconsistent` ⇒ at least one error-severity check failed; `failed` ⇒ a problem says why;
- every table cell is an int, a float or None (never a string; `amount_unit` is the one
  non-numeric field and is 元, 万元 or None).
"""
from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.parsing import parse_document

FIX = Path(__file__).parent / "fixtures"
STATUSES = {"complete", "inconsistent", "partial", "not_a_report", "failed"}
DOCS = sorted(str(p.relative_to(FIX)) for p in list((FIX / "seeds").glob("*.txt")) + list((FIX / "text").glob("*.txt"))
              + [q for q in (FIX / "html").glob("*_report.html")])
CONTENT_TYPES = [None, "text/html", "text/plain", "text/html; charset=utf-8", "text/html; charset=gbk",
                 "application/octet-stream", "application/pdf"]
# PARSE_FUZZ_EXAMPLES=1000 for a deeper local run; the defaults keep the suite fast on 2 cores.
_N = os.environ.get("PARSE_FUZZ_EXAMPLES")
FAST = settings(max_examples=int(_N or 150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANGLE = settings(max_examples=int(_N or 120), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_record_contract(rec: dict) -> None:
    assert isinstance(rec, dict)
    json.dumps(rec, ensure_ascii=False)  # serialisable as a JSON line
    status = rec["status"]
    assert status in STATUSES, status
    codes = [p["code"] for p in rec["problems"]]
    assert "parser_error" not in codes, [p["detail"] for p in rec["problems"] if p["code"] == "parser_error"]
    for p in rec["problems"]:
        assert p["severity"] in ("error", "warning"), p
    for t in ("table2", "table3", "table4"):
        tab = rec[t]
        if tab is None:
            continue
        for row, cols in tab["rows"].items():
            for col, v in cols.items():
                if col == "amount_unit":
                    assert v in (None, "元", "万元"), (t, row, v)
                else:
                    assert v is None or type(v) in (int, float), f"{t}.rows.{row}.{col} = {v!r}"
    for c in rec["checks"]:
        assert c["status"] in ("passed", "failed", "skipped"), c
        assert c.get("severity", "error") in ("error", "warning"), c
    error_checks = [c for c in rec["checks"] if c.get("severity", "error") == "error"]
    if status == "complete":
        assert rec["table2"] is not None and rec["table3"] is not None and rec["table4"] is not None
        assert all(c["status"] in ("passed", "skipped") for c in error_checks), \
            [c for c in error_checks if c["status"] == "failed"]
    if status == "inconsistent":
        assert any(c["status"] == "failed" for c in error_checks)
    if status == "failed":
        assert rec["problems"], "a failed record must say why"


def _parse(data: bytes, ct=None, name="fuzz.html") -> dict:
    rec = parse_document(data, f"http://www.qingxi.gov.cn/fuzz/{name}", ct)
    assert_record_contract(rec)
    return rec


# ------------------------------------------------------------------ arbitrary input
@FAST
@given(data=st.binary(max_size=6000), ct=st.sampled_from(CONTENT_TYPES))
def test_arbitrary_bytes(data, ct):
    _parse(data, ct)


@FAST
@given(text=st.text(max_size=3000), ct=st.sampled_from(CONTENT_TYPES),
       enc=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_arbitrary_text(text, ct, enc):
    _parse(text.encode(enc, "replace"), ct, "fuzz.txt")


VOCAB = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
         "XX镇2023年政府信息公开工作年度报告", "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量",
         "（七）总计", "（六）其他处理", "3.其他", "四、结转下年度继续办理", "予以公开", "第二十条第（一）项", "规章",
         "行政规范性文件", "本年制发件数", "行政许可", "采购总金额", "86500元", "行政复议", "复议后起诉", "结果维持",
         "总计", "商业 企业", "0", "1", "12", "+3", "-1", "0.5", "1,234", "９", "/", "—", "无", "", " ", "\xa0",
         "|", "||", "\t", "\n", "\n\n", "。", "，", "索引号：", "发布机构：", "成文日期：", "2024-01-18", "统计期限自2023年1月1日",
         "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td colspan="3">', '<td rowspan="22">', "<br/>",
         "&nbsp;", "<p>", "</p>", '<div id="zoom">', '<div class="TRS_Editor">', "</div>", "<h1>", "</h1>",
         "<script>document.cookie='__jsl_clearance=1'</script>", "该信息已删除或不存在", "解读", "关于做好",
         '<meta charset="gbk">', "<!--", "-->", "<![CDATA[", "]]>", "\x00", "\ufeff", "�"]


@FAST
@given(parts=st.lists(st.sampled_from(VOCAB), max_size=400), ct=st.sampled_from(CONTENT_TYPES),
       html=st.booleans())
def test_report_vocabulary_soup(parts, ct, html):
    body = "".join(parts)
    if html:
        body = "<html><head><title>t</title></head><body>" + body + "</body></html>"
    _parse(body.encode("utf-8"), ct, "soup.html" if html else "soup.txt")


# ------------------------------------------------------------------ mangled real reports
def _load(rel: str) -> tuple[str, str]:
    data = (FIX / rel).read_bytes()
    head = data[:3000]
    enc = "gbk" if b"charset=gb2312" in head else ("big5" if b"charset=big5" in head else "utf-8")
    return data.decode(enc), enc


_TD = re.compile(r"<td\b[^>]*>.*?</td>", re.S)


def mangle(text: str, ops: list[str], rnd: random.Random) -> str:
    for op in ops:
        if op == "truncate":
            text = text[:rnd.randint(0, len(text))]
        elif op == "delete_lines":
            lines = text.split("\n")
            k = rnd.randint(1, max(1, len(lines) // 4))
            for _ in range(k):
                if lines:
                    del lines[rnd.randrange(len(lines))]
            text = "\n".join(lines)
        elif op == "duplicate_lines":
            lines = text.split("\n")
            for _ in range(rnd.randint(1, 20)):
                if lines:
                    i = rnd.randrange(len(lines))
                    lines.insert(rnd.randrange(len(lines) + 1), lines[i])
            text = "\n".join(lines)
        elif op == "replace_chars":
            chars = list(text)
            alphabet = "0123456789|\t\n 　、。，()（）/—-+.元万件<>\"'&;" + "总计本年新收其他一二三四五六七"
            for _ in range(rnd.randint(1, 60)):
                if chars:
                    chars[rnd.randrange(len(chars))] = rnd.choice(alphabet)
            text = "".join(chars)
        elif op == "drop_cells":
            cells = list(_TD.finditer(text))
            if cells:
                drop = {m.start() for m in rnd.sample(cells, rnd.randint(1, min(30, len(cells))))}
                text = _TD.sub(lambda m: "" if m.start() in drop else m.group(0), text)
            else:  # text tables: drop '|'-separated or tab-separated cells
                out = []
                for line in text.split("\n"):
                    sep = "\t" if "\t" in line else ("|" if "|" in line else None)
                    if sep and rnd.random() < 0.3:
                        parts = line.split(sep)
                        del parts[rnd.randrange(len(parts))]
                        line = sep.join(parts)
                    out.append(line)
                text = "\n".join(out)
        elif op == "swap_lines":
            lines = text.split("\n")
            for _ in range(rnd.randint(1, 10)):
                if len(lines) > 1:
                    i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
                    lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


OPS = ["truncate", "delete_lines", "duplicate_lines", "replace_chars", "drop_cells", "swap_lines"]


@MANGLE
@given(rel=st.sampled_from(DOCS), ops=st.lists(st.sampled_from(OPS), min_size=1, max_size=4),
       seed=st.integers(0, 2**32 - 1))
def test_mangled_reports(rel, ops, seed):
    text, enc = _load(rel)
    out = mangle(text, ops, random.Random(seed))
    ct = "text/html" if rel.endswith(".html") else None
    _parse(out.encode(enc, "xmlcharrefreplace"), ct, Path(rel).name)


@MANGLE
@given(rel=st.sampled_from(DOCS), cut=st.floats(0, 1))
def test_truncated_bytes_mid_character(rel, cut):
    data = (FIX / rel).read_bytes()
    _parse(data[:int(len(data) * cut)], "text/html" if rel.endswith(".html") else None, Path(rel).name)


def test_the_unmangled_documents_keep_the_contract():
    assert len(DOCS) >= 15
    for rel in DOCS:
        text, enc = _load(rel)
        _parse(text.encode(enc, "xmlcharrefreplace"), "text/html" if rel.endswith(".html") else None, Path(rel).name)
