"""A Word 'web archive' (.mht, MIME multipart/related) served behind a .doc link reads like its HTML."""
import quopri
from pathlib import Path

from crawler.parsing import parse_document

HTML = Path(__file__).parent / "fixtures" / "html" / "trs_gbk_v2021_report.html"


def word_mht(html_bytes: bytes, charset: str) -> bytes:
    """The shape Word writes: quoted-printable HTML part plus an image part."""
    boundary = "----=_NextPart_01DA4F2B.6C1D2E30"
    body = quopri.encodestring(html_bytes)
    return (
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="' + boundary.encode() + b'"\r\n\r\n'
        b"This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
        b"--" + boundary.encode() + b"\r\n"
        b"Content-Location: file:///C:/D6E1F2A3/report.htm\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n"
        b'Content-Type: text/html; charset="' + charset.encode() + b'"\r\n\r\n'
        + body + b"\r\n"
        b"--" + boundary.encode() + b"\r\n"
        b"Content-Location: file:///C:/D6E1F2A3/report.files/image001.png\r\n"
        b"Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\niVBORw0KGgo=\r\n"
        b"--" + boundary.encode() + b"--\r\n"
    )


def test_mht_behind_a_doc_link_gives_the_same_record_as_the_page():
    page = HTML.read_bytes()  # GBK bytes
    direct = parse_document(page, "http://www.qingxi.gov.cn/zwgk/a.html", "text/html")
    rec = parse_document(word_mht(page, "gb2312"), "http://www.qingxi.gov.cn/zwgk/P020240118.doc",
                         "application/msword")
    assert direct["status"] == "complete"
    for key in ("title", "report_year", "organ", "table2", "table3", "table4", "status"):
        assert rec[key] == direct[key], key
    assert rec["document_type"] == "html"
    assert any(p["code"] == "mht_archive" for p in rec["problems"])


def test_mht_without_an_html_part_is_a_specific_failure():
    data = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
            b"Content-Type: image/png\r\n\r\nxx\r\n--b--\r\n")
    rec = parse_document(data, "http://x.gov.cn/a.doc")
    assert rec["status"] == "failed" and rec["problems"][0]["code"] == "corrupt_file"
